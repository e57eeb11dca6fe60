/**
 * End-to-end tests of the `sourcelinks` CLI against a sandbox of the demo world started in this
 * process, with the sandbox's env as the CLI's whole environment: every command, every exit code of
 * docs/cli.md, every format against its schema. Most run in this process (cli-harness.ts); "the bin"
 * runs the built `dist/cli/main.js` as users do and checks that its exit status is the CLI's code.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { Ajv } from "ajv";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import type { World } from "../../sandbox/world.js";
import { EXAMPLE, MAIN, ROOT, ensureBuilt, runBin, runCli } from "../support/cli-harness.js";

const require = createRequire(import.meta.url);
const formats = addFormats as unknown as (ajv: object) => void;

const planSchema = JSON.parse(readFileSync(join(ROOT, "schema/plan.schema.json"), "utf8")) as object;
const ajv = new Ajv({ allErrors: true });
formats(ajv);
const validatePlan = ajv.compile(planSchema);

// The SARIF 2.1.0 schema as published with Microsoft's SARIF tooling (@microsoft/jest-sarif), a draft-04 schema.
const sarifSchema = require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json") as object;
// Its `language` pattern has a stray `]` that is invalid with the `u` flag, hence unicodeRegExp: false.
const sarifAjv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
formats(sarifAjv);
const validateSarif = sarifAjv.compile(sarifSchema);

let sandbox: SandboxHandle;
let env: Record<string, string>;
let tmp: string;

function world(): World {
  return sandbox.world();
}

/** `provider:account/team/state` of every link record in `acme`. */
function linkRecords(): string[] {
  return world()
    .buildService.links.filter((l) => l.namespace === "acme")
    .map((l) => `${l.provider}:${l.account}/${l.team ?? "-"}/${l.state}`)
    .sort();
}

function hookUrls(fullName: string): string[] {
  const [owner, name] = fullName.split("/");
  return (
    world()
      .github.repos.find((r) => r.owner === owner && r.name === name)
      ?.hooks.map((h) => h.config.url) ?? []
  );
}

/** The example config with its text edited, written to a temp file. */
function variant(name: string, edit: (text: string) => string): string {
  const file = join(tmp, name);
  writeFileSync(file, edit(readFileSync(EXAMPLE, "utf8")));
  return file;
}

beforeAll(async () => {
  await ensureBuilt();
  sandbox = await startSandbox({});
  env = { ...sandbox.env };
  tmp = mkdtempSync(join(tmpdir(), "sourcelinks-cli-"));
});

afterAll(async () => {
  await sandbox?.close();
});

beforeEach(async () => {
  await sandbox.reset();
});

describe("usage and help", () => {
  // Independent of the sandbox, so the runs go in parallel to keep the file fast.
  it("every command's --help exits 0 with examples on stdout", async () => {
    const commands = ["validate", "plan", "apply", "check", "report", "export", "sandbox"];
    const runs = await Promise.all(commands.map((command) => runCli([command, "--help"], env)));
    runs.forEach((run, i) => {
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Usage: sourcelinks ${commands[i]}`);
      expect(run.stdout).toContain("Examples:");
    });
  });

  it("usage errors exit 2 with the reason on stderr and nothing on stdout", async () => {
    const cases: [string[], string][] = [
      [["plan", EXAMPLE, "--format", "xml"], "argument 'xml' is invalid"],
      [["plan", EXAMPLE, "--no-such-flag"], "unknown option '--no-such-flag'"],
      [["validate"], "missing required argument 'file'"],
      [["apply", EXAMPLE, "--max-revoke-ratio", "2"], "expected a number from 0 to 1"],
      [["sandbox", "--port", "http"], "expected a port number"],
      [["frobnicate"], "unknown command 'frobnicate'"],
      [[], "Usage: sourcelinks"],
    ];
    const runs = await Promise.all(cases.map(([args]) => runCli(args, env)));
    runs.forEach((run, i) => {
      expect(run.code, JSON.stringify(cases[i]?.[0])).toBe(2);
      expect(run.stderr).toContain(cases[i]?.[1]);
      expect(run.stdout).toBe("");
    });
  });
});

describe("the bin", () => {
  it("exits with the CLI's code and writes results on stdout, errors on stderr", async () => {
    const [valid, usage, pending] = await Promise.all([
      runBin(["validate", EXAMPLE], env),
      runBin(["plan", EXAMPLE, "--format", "xml"], env),
      runBin(["plan", EXAMPLE, "--detailed-exitcode"], env),
    ]);
    expect([valid.code, usage.code, pending.code]).toEqual([0, 2, 4]);
    expect(valid.stdout).toContain("valid (3 links, 2 org access entries)");
    expect(usage.stderr).toContain("argument 'xml' is invalid");
    expect(usage.stdout).toBe("");
    expect(pending.stdout).toContain("Plan: 12 requests on 3 of 6 resources");
  });
});

describe("validate", () => {
  it("accepts the example config (exit 0)", async () => {
    const run = await runCli(["validate", EXAMPLE], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("valid (3 links, 2 org access entries)");
  });

  it("reports a schema error as FILE:LINE:COL on stderr (exit 2)", async () => {
    const file = variant("typo.yaml", (t) => t.replace("    state: linked\n", "    state: linkd\n"));
    const run = await runCli(["validate", file], env);
    expect(run.code).toBe(2);
    const line =
      readFileSync(file, "utf8")
        .split("\n")
        .findIndex((l) => l.includes("linkd")) + 1;
    expect(run.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:${line}:\\d+: .*linkd`, "m"));
    expect(run.stdout).toBe("");
  });

  it("reports a YAML syntax error with its location (exit 2)", async () => {
    const file = join(tmp, "broken.yaml");
    writeFileSync(file, "apiVersion: sourcelinks/v1\nlinks: [\n");
    const run = await runCli(["validate", file], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+: `, "m"));
  });
});

describe("plan", () => {
  it("prints each request, grouped, and exits 4 with --detailed-exitcode", async () => {
    const run = await runCli(["plan", EXAMPLE, "--detailed-exitcode"], env);
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(/link legacy-builds: revoked, 7 changes\s+\(.*sourcelinks\.yaml:\d+:\d+\)/);
    expect(run.stdout).toContain("Provider-side revocations:");
    expect(run.stdout).toMatch(
      /delete webhook \d+ on acme\/legacy-web \(https:\/\/cloud\.docker\.com\/api\/build\/v1\/vcs\/.*\/trigger\/call\/\)/,
    );
    expect(run.stdout).toMatch(/DELETE http:\/\/127\.0\.0\.1:\d+\/github\/repos\/acme\/legacy-worker\/keys\/\d+/);
    expect(run.stdout).not.toContain("ci.acme.example");
    expect(run.stdout).toContain("Plan: 12 requests on 3 of 6 resources");
    // plan sends nothing
    expect(linkRecords()).toEqual(["bitbucket:acme-bb-builder/-/enabled", "github:jdoe/ci/enabled", "github:legacy-builder/-/unlinked"]);
  });

  it("exits 0 without --detailed-exitcode even with changes", async () => {
    expect((await runCli(["plan", EXAMPLE], env)).code).toBe(0);
  });

  it("--format json is valid against schema/plan.schema.json and lists every request", async () => {
    const run = await runCli(["plan", EXAMPLE, "--format", "json"], env);
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout) as {
      apiVersion: string;
      summary: Record<string, number | boolean>;
      resources: {
        name: string;
        steps: { kind: string; request: { method: string; url: string }; hookId?: string }[];
        observed: { repositories?: { foreignWebhookCount: number }[] };
      }[];
    };
    expect(validatePlan(plan), JSON.stringify(validatePlan.errors)).toBe(true);
    expect(plan.apiVersion).toBe("sourcelinks.plan/v1");
    expect(plan.summary).toMatchObject({
      resources: 6,
      sweeps: 1,
      resourcesWithChanges: 3,
      apiSteps: 12,
      buildServiceCalls: 4,
      providerRevocations: 1,
      webhookDeletions: 4,
      deployKeyDeletions: 3,
      hasChanges: true,
    });
    const legacy = plan.resources.find((r) => r.name === "legacy-builds");
    expect(legacy?.steps.filter((s) => s.kind === "delete-webhook").map((s) => s.request.method)).toEqual(["DELETE", "DELETE", "DELETE"]);
    expect(legacy?.observed.repositories?.map((r) => r.foreignWebhookCount)).toEqual([1, 1, 1]);
  });

  it("--format markdown is a PR comment: summary table first, details per resource", async () => {
    const run = await runCli(["plan", EXAMPLE, "--format", "markdown"], env);
    expect(run.code).toBe(0);
    const table = run.stdout.indexOf("| Resource | Desired | Observed |");
    const details = run.stdout.indexOf("<details><summary>link legacy-builds: 7 requests</summary>");
    expect(table).toBeGreaterThan(0);
    expect(details).toBeGreaterThan(table);
    expect(run.stdout).toMatch(/\| link `legacy-builds` \| revoked \| .* \| 0 \| 1 \| 3 \| 3 \| 0 \|/);
  });

  it("exits 1 with the resource's location when the build service is unreachable", async () => {
    const run = await runCli(["plan", EXAMPLE], { ...env, SOURCELINKS_BUILD_API_URL: "http://127.0.0.1:9/build/api/build/v1" });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/sourcelinks\.yaml:\d+:\d+: link acme-builds: build-service: GET http:\/\/127\.0\.0\.1:9\/.* failed/);
    expect(run.stdout).toBe("");
  });
});

describe("apply", () => {
  it("refuses on a pipe without --yes (exit 2) and changes nothing", async () => {
    const before = linkRecords();
    const run = await runCli(["apply", EXAMPLE], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("rerun with --yes");
    expect(linkRecords()).toEqual(before);
    expect(hookUrls("acme/legacy-api")).toHaveLength(2);
  });

  it("converges with --yes; then plan --detailed-exitcode is 0 and a second apply is a no-op", async () => {
    const run = await runCli(["apply", EXAMPLE, "--yes"], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Apply complete: 12 requests sent.");
    expect(linkRecords()).toEqual([
      "bitbucket:acme-bb-builder/-/enabled",
      "github:acme-builder/ci/enabled",
      "github:jdoe/ci/unlinked",
      "github:legacy-builder/-/unlinked",
    ]);
    // only the foreign webhook is left on the legacy repositories
    for (const repo of ["acme/legacy-api", "acme/legacy-web", "acme/legacy-worker"])
      expect(hookUrls(repo)).toEqual(["https://ci.acme.example/hooks/github"]);

    const plan = await runCli(["plan", EXAMPLE, "--detailed-exitcode"], env);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain("No changes: 6 resources match the configuration.");

    const requestsBefore = JSON.stringify(world());
    const again = await runCli(["apply", EXAMPLE], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("No changes");
    expect(JSON.stringify(world())).toBe(requestsBefore);
  });

  it("stops a failing link at its failed step, finishes the others, reports what remains (exit 1)", async () => {
    sandbox.injectFault({
      errorRate: 1,
      errorStatus: 422,
      match: { service: "github", method: "DELETE", pathPrefix: "/github/repos/acme/legacy-web/hooks" },
    });
    try {
      const run = await runCli(["apply", EXAMPLE, "--yes"], env);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("link legacy-builds: FAILED");
      expect(run.stdout).toMatch(/failed {2}delete webhook \d+ on acme\/legacy-web .*HTTP 422/);
      expect(run.stdout).toMatch(/remains delete webhook \d+ on acme\/legacy-worker/);
      expect(run.stdout).toContain("link acme-builds: done");
      expect(run.stdout).toMatch(/Apply incomplete: \d+ requests sent, 1 step failed/);
      expect(linkRecords()).toContain("github:acme-builder/ci/enabled");
      expect(hookUrls("acme/legacy-api")).toEqual(["https://ci.acme.example/hooks/github"]);
      expect(hookUrls("acme/legacy-worker")).toHaveLength(2);
    } finally {
      sandbox.clearFaults();
    }
  });

  it("refuses a typo that revokes most live links (exit 2), unless --max-revoke-ratio allows it", async () => {
    const file = variant("all-revoked.yaml", (t) => t.replace(/state: linked/g, "state: revoked"));
    const before = linkRecords();
    const run = await runCli(["apply", file, "--yes"], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/all-revoked\.yaml:\d+:\d+: link acme-builds would unlink live link \d+ in namespace acme/);
    expect(run.stderr).toContain("refusing to revoke 2 of 2 live links (100% > 25%)");
    expect(linkRecords()).toEqual(before);
    expect(hookUrls("acme/legacy-api")).toHaveLength(2);

    const allowed = await runCli(["apply", file, "--yes", "--max-revoke-ratio", "1"], env);
    expect(allowed.code).toBe(0);
    expect(linkRecords()).toEqual(["bitbucket:acme-bb-builder/-/unlinked", "github:jdoe/ci/unlinked", "github:legacy-builder/-/unlinked"]);
  });
});

describe("check", () => {
  it("passes the example config offline (exit 0)", async () => {
    const run = await runCli(["check", EXAMPLE], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("No policy violations (configuration checked).");
  });

  it("--live finds the mandatory violations of the demo world (exit 3), located in the YAML", async () => {
    const run = await runCli(["check", EXAMPLE, "--live"], env);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/sourcelinks\.yaml:\d+:\d+: error \[revoked-link-has-no-webhooks\] link "legacy-builds"/);
    expect(run.stdout).toMatch(/sourcelinks\.yaml:\d+:\d+: error \[team-link-uses-service-account\]/);
  });

  it("--live passes after apply (exit 0)", async () => {
    expect((await runCli(["apply", EXAMPLE, "--yes"], env)).code).toBe(0);
    const run = await runCli(["check", EXAMPLE, "--live", "--format", "json"], env);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { apiVersion: string; summary: { mandatory: number; passed: boolean } };
    expect(report).toMatchObject({ apiVersion: "sourcelinks.check/v1", summary: { mandatory: 0, passed: true } });
  });

  it("--format sarif is valid SARIF 2.1.0 whose results point at the offending YAML lines", async () => {
    const run = await runCli(["check", EXAMPLE, "--live", "--format", "sarif"], env);
    expect(run.code).toBe(3);
    const sarif = JSON.parse(run.stdout) as {
      version: string;
      runs: {
        tool: { driver: { rules: { id: string; defaultConfiguration: { level: string } }[] } };
        results: {
          ruleId: string;
          level: string;
          message: { text: string };
          locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
        }[];
      }[];
    };
    expect(validateSarif(sarif), JSON.stringify(validateSarif.errors)).toBe(true);
    const [sarifRun] = sarif.runs;
    const rules = sarifRun?.tool.driver.rules ?? [];
    expect(rules.find((r) => r.id === "revoked-link-has-no-webhooks")?.defaultConfiguration.level).toBe("error");
    expect(rules.find((r) => r.id === "webhook-hygiene")?.defaultConfiguration.level).toBe("warning");
    const lines = readFileSync(EXAMPLE, "utf8").split("\n");
    const hook = sarifRun?.results.find(
      (r) => r.ruleId === "revoked-link-has-no-webhooks" && r.message.text.includes("acme/legacy-worker"),
    );
    const location = hook?.locations[0]?.physicalLocation;
    expect(location?.artifactLocation.uri).toBe("examples/basic/sourcelinks.yaml");
    expect(hook?.level).toBe("error");
    expect(lines[(location?.region.startLine ?? 0) - 1]).toContain("acme/legacy-worker");
  });

  it("--format markdown lists the mandatory violations in a table", async () => {
    const run = await runCli(["check", EXAMPLE, "--live", "--format", "markdown"], env);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain("## sourcelinks check");
    expect(run.stdout).toMatch(/\| mandatory \| `revocation-is-two-sided` \| legacy-builds \|/);
  });
});

describe("export", () => {
  it("writes YAML that validates and that plan shows as no changes (with --config)", async () => {
    const run = await runCli(["export", "--config", EXAMPLE], env);
    expect(run.code).toBe(0);
    const file = join(tmp, "exported.yaml");
    writeFileSync(file, run.stdout);
    expect(run.stdout).toMatch(/account: jdoe\n\s+serviceAccount: false\n/);
    expect(run.stdout).toMatch(/NOTE: link \d+ in acme \(github account legacy-builder\) is unlinked/);
    expect((await runCli(["validate", file], env)).code).toBe(0);
    // The team linked through a person is a policy violation of the world, with the fix.
    const check = await runCli(["check", file], env);
    expect(check.code).toBe(3);
    expect(check.stdout).toMatch(
      /exported\.yaml:\d+:\d+: error \[team-link-uses-service-account\] link "[^"]+" links team "ci" through account "jdoe", which is not declared a service account: link the team through a service account and set serviceAccount: true/,
    );
    const plan = await runCli(["plan", file, "--detailed-exitcode"], env);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain("No changes: 4 resources match the configuration.");
  });

  it("builds the config from the environment and flags without --config", async () => {
    const run = await runCli(
      [
        "export",
        "--namespace",
        "acme",
        "--org",
        "contractor-co",
        "--github-client-id",
        "Iv1.5a9d0c3e7b214f68",
        "--bitbucket-key",
        "SbxKey7Q2w",
      ],
      env,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`apiUrl: ${env["SOURCELINKS_BUILD_API_URL"]}`);
    expect(run.stdout).toMatch(/org: contractor-co\n\s+provider: github\n\s+app: github\n\s+access: denied/);
    const file = join(tmp, "exported-env.yaml");
    writeFileSync(file, run.stdout);
    expect((await runCli(["plan", file, "--detailed-exitcode"], env)).code).toBe(0);
  });

  it("without --config or SOURCELINKS_BUILD_API_URL is invalid input (exit 2)", async () => {
    const run = await runCli(["export", "--namespace", "acme"], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("pass --config FILE");
  });
});

describe("sandbox", () => {
  it("prints one JSON line with baseUrl and env, serves, and exits 0 on SIGTERM", async () => {
    const child = spawn(process.execPath, [MAIN, "sandbox", "--port", "0"], { env: {}, stdio: ["ignore", "pipe", "pipe"] });
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once("line", resolve);
      child.once("error", reject);
    });
    const start = JSON.parse(first) as { baseUrl: string; env: Record<string, string> };
    expect(start.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(start.env["SOURCELINKS_BUILD_API_URL"]).toBe(`${start.baseUrl}/build/api/build/v1`);
    const run = await runCli(["plan", EXAMPLE, "--detailed-exitcode"], start.env);
    expect(run.code).toBe(4);
    const exit = new Promise<number | null>((resolve) => child.once("close", resolve));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
  });
});

describe("secrets", () => {
  it("no token, password or grant appears in any output of a whole review-and-apply cycle", async () => {
    const secrets = [
      env["SOURCELINKS_BUILD_TOKEN"],
      env["GITHUB_TOKEN"],
      env["BITBUCKET_API_TOKEN"],
      env["SOURCELINKS_GITHUB_CLIENT_SECRET"],
      ...world().github.tokens.map((t) => t.token),
      ...world().bitbucket.users.flatMap((u) => [u.apiToken, u.appPassword, ...u.grants.map((g) => g.accessToken)]),
      ...world().buildService.tokens.map((t) => t.token),
    ].filter((s): s is string => typeof s === "string" && s.length >= 8);
    expect(secrets.length).toBeGreaterThan(4);
    // The commands run in sequence, each on the world the previous one left, as a reviewer would.
    const commands: string[][] = [
      ["check", EXAMPLE, "--live", "--format", "sarif"],
      ["plan", EXAMPLE, "--format", "markdown"],
      ["apply", EXAMPLE, "--yes"],
      ["export", "--namespace", "acme", "--config", EXAMPLE],
    ];
    const outputs: string[] = [];
    for (const args of commands) {
      const run = await runCli(args, env);
      expect(run.code, `${args.join(" ")}: ${run.stderr}`).not.toBe(1);
      outputs.push(run.stdout, run.stderr);
    }
    const all = outputs.join("\n");
    expect(all).toContain("acme-builds");
    for (const secret of secrets) expect(all.includes(secret), "a secret leaked into CLI output").toBe(false);
  }, 120_000);
});
