/**
 * `sourcelinks report` end to end: the built CLI as a child process against a sandbox of the demo
 * world over loopback, in all three formats, before and after `apply`; `--merge` of org shards; and
 * bad input to `--merge` and `--as-of`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import yaml from "js-yaml";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import type { RetirementReport } from "../../cli/report/model.js";
import { EXAMPLE, ROOT, ensureBuilt, runCli } from "../support/cli-harness.js";

const validateReport = new Ajv2020({ allErrors: true }).compile(
  JSON.parse(readFileSync(join(ROOT, "schema/report.schema.json"), "utf8")) as object,
);

let sandbox: SandboxHandle;
let env: Record<string, string>;
let tmp: string;

beforeAll(async () => {
  await ensureBuilt();
  sandbox = await startSandbox({});
  // No ETag cache file: each run reads the world as it is.
  env = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" };
  tmp = mkdtempSync(join(tmpdir(), "sourcelinks-report-"));
});

afterAll(async () => {
  await sandbox?.close();
});

beforeEach(async () => {
  await sandbox.reset();
});

/** The demo config with its links filtered and edited, written to a temp file. */
/** The parts of the example a shard splits; a build goes with the shard that holds its link. */
interface ShardDocument {
  links: Record<string, unknown>[];
  orgAccess: Record<string, unknown>[];
  sweeps?: Record<string, unknown>[];
  builds?: Record<string, unknown>[];
}

function shard(name: string, edit: (doc: ShardDocument) => void): string {
  const doc = yaml.load(readFileSync(EXAMPLE, "utf8")) as ShardDocument;
  edit(doc);
  const names = new Set(doc.links.map((l) => l.name));
  doc.builds = (doc.builds ?? []).filter((b) => b.link === undefined || names.has(b.link));
  const file = join(tmp, name);
  writeFileSync(file, yaml.dump(doc));
  return file;
}

async function jsonReport(args: string[]): Promise<RetirementReport> {
  const run = await runCli(["report", ...args, "--format", "json", "--as-of", "2026-11-26"], env);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  const report = JSON.parse(run.stdout) as unknown;
  expect(validateReport.errors ?? [], JSON.stringify(validateReport.errors)).toEqual([]);
  expect(validateReport(report)).toBe(true);
  return report as RetirementReport;
}

/** Every build-service hook URL of a demo repository, from the sandbox's own state. */
function hookUrls(fullName: string): string[] {
  const [owner, name] = fullName.split("/");
  return sandbox
    .world()
    .github.repos.find((r) => r.owner === owner && r.name === name)!
    .hooks.map((h) => h.config.url)
    .filter((u) => !u.startsWith("https://ci.acme.example/"));
}

describe("sourcelinks report", () => {
  it("--format json: the live evidence of the demo world, valid against schema/report.schema.json", async () => {
    const report = await jsonReport([EXAMPLE]);
    expect(report).toMatchObject({
      asOf: "2026-11-26",
      retirementDate: "2027-04-01",
      daysLeft: 126,
      sources: [{ asOf: "2026-11-26", files: [EXAMPLE] }],
    });
    expect(report.summary).toEqual({
      links: { linked: 2, disabled: 0, revoked: 1, absent: 0, unknown: 0 },
      grants: { active: 2, revoked: 0, unverifiable: 1 },
      artifacts: { "in-use": 5, leftover: 6, orphaned: 1 },
      manualSteps: { open: 0, done: 0, observedOtherwise: 0 },
      orgAccess: { granted: 1, denied: 1, requested: 0, unknown: 0 },
      retired: false,
      notProven: [
        { reason: "live-links", names: ["acme-builds", "mobile-builds"] },
        { reason: "active-grants", names: ["jdoe", "legacy-builder"] },
        {
          reason: "artifacts-left",
          names: expect.arrayContaining([expect.stringMatching(/^webhook \S+ on acme\/legacy-web$/)]) as unknown as string[],
        },
      ],
      facts: {
        verified: [
          "link legacy-builds: no live record on the build service (revoked)",
          "org acme: access granted (via build-service)",
          "sweep sweep-github-acme of github:acme: 6 repositories read, 7 leftovers or orphans",
          "org contractor-co: access denied (via build-service)",
        ],
        recordedByHand: [],
      },
    });
    expect(report.namespaces.map((n) => n.namespace)).toEqual(["acme"]);
    // team ci is still linked through a person's account: the report shows the live account.
    expect(report.namespaces[0]!.links.map((l) => [l.name, l.account, l.observedState, l.providerGrant])).toEqual([
      ["acme-builds", "jdoe", "linked", "active"],
      ["legacy-builds", "legacy-builder", "revoked", "active"],
      ["mobile-builds", "acme-bb-builder", "linked", "unverifiable"],
    ]);
    const acme = report.owners.find((o) => o.provider === "github" && o.owner === "acme")!;
    expect(acme.orgAccess).toEqual({ declared: "granted", observed: "granted", observedVia: "build-service", manualSteps: [] });
    const leftovers = acme.artifacts.filter((a) => a.state === "leftover");
    expect(leftovers.filter((a) => a.kind === "repository-webhook").map((a) => [a.repository, a.target])).toEqual(
      ["acme/legacy-api", "acme/legacy-web", "acme/legacy-worker"].flatMap((r) => hookUrls(r).map((url) => [r, url])),
    );
    expect(leftovers.filter((a) => a.kind === "deploy-key").map((a) => [a.repository, a.target, a.links])).toEqual(
      ["acme/legacy-api", "acme/legacy-web", "acme/legacy-worker"].map((r) => [r, "Docker Hub Builder", ["legacy-builds"]]),
    );
  });

  it("after apply, the leftovers are gone and the revoked link's grant is revoked", async () => {
    expect((await runCli(["apply", EXAMPLE, "--yes"], env)).code).toBe(0);
    const report = await jsonReport([EXAMPLE]);
    expect(report.summary.artifacts.leftover).toBe(0);
    expect(report.namespaces[0]!.links.find((l) => l.name === "legacy-builds")!.providerGrant).toBe("revoked");
    expect(report.namespaces[0]!.links.find((l) => l.name === "acme-builds")!.account).toBe("acme-builder");
  });

  it("a grant step recorded done while the grant still answers is 'recorded done, but observed otherwise', not done", async () => {
    const file = shard("recorded.yaml", (doc) => {
      doc.links[1]!.manualSteps = [{ id: "revoke-grant:github:legacy-builder", done: "2026-11-20", by: "jdoe" }];
    });
    const report = await jsonReport([file]);
    const legacy = report.namespaces[0]!.links.find((l) => l.name === "legacy-builds")!;
    expect(legacy.manualSteps).toEqual([
      {
        id: "revoke-grant:github:legacy-builder",
        summary: null,
        uiPath: null,
        url: null,
        status: "observed-otherwise",
        done: "2026-11-20",
        by: "jdoe",
        observed: "the github grant of legacy-builder still answers (active)",
      },
    ]);
    expect(report.summary.manualSteps).toEqual({ open: 0, done: 0, observedOtherwise: 1 });
    expect(report.summary.notProven).toContainEqual({ reason: "observed-otherwise", names: ["revoke-grant:github:legacy-builder"] });
    const check = await runCli(["check", file, "--live", "--format", "json"], env);
    expect(check.code).toBe(3);
    const found = (JSON.parse(check.stdout) as { violations: { ruleId: string; resource: string; enforcement: string }[] }).violations;
    expect(found.filter((v) => v.ruleId === "recorded-steps-match-observed")).toEqual([
      expect.objectContaining({ resource: "legacy-builds", enforcement: "mandatory" }),
    ]);
  });

  it("--format markdown: days left, counts and the leftovers with repository and URL, under GitHub's cap", async () => {
    const run = await runCli(["report", EXAMPLE, "--format", "markdown", "--as-of", "2027-03-31"], env);
    expect(run.code).toBe(0);
    expect(run.stdout.length).toBeLessThanOrEqual(65_536);
    expect(run.stdout).toContain("**1 day left** until Docker Hub autobuilds retire on 2027-04-01 (as of 2027-03-31).");
    expect(run.stdout).toContain(
      "| 2 linked, 0 disabled, 1 revoked, 0 absent, 0 unknown | 2 active, 0 revoked, 1 unverifiable | 5 in use, 6 leftover, 1 orphaned |",
    );
    for (const url of hookUrls("acme/legacy-web"))
      expect(run.stdout).toContain(`- leftover webhook \`acme/legacy-web\`: \`${url}\` (legacy-builds)`);
  });

  it("--format html --out FILE: one self-contained page with the namespace, owners and days left; nothing on stdout", async () => {
    const out = join(tmp, "report.html");
    const run = await runCli(["report", EXAMPLE, "--out", out, "--as-of", "2026-11-26"], env);
    expect(run).toMatchObject({ code: 0, stdout: "" });
    const html = readFileSync(out, "utf8");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain('<span class="days" id="days-left">126 days left</span>');
    expect(html).toContain("Namespace <code>acme</code>: 3 links");
    expect(html).toContain("<title>github acme: 6 leftover</title>");
    expect(html).toContain("github acme: 6 leftovers, 1 orphan");
    expect(html).not.toMatch(/<script|\ssrc=|<link/i);
  });

  it("a report that cannot be written is an operational error (exit 1) naming the file", async () => {
    const out = join(tmp, "no-such-folder", "report.html");
    const run = await runCli(["report", EXAMPLE, "--out", out], env);
    expect(run).toMatchObject({ code: 1, stdout: "" });
    expect(run.stderr).toMatch(
      new RegExp(`^sourcelinks: cannot write the report to ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(ENOENT\\)`),
    );
  });

  it("refuses a date that does not exist (exit 2), before any request", async () => {
    const run = await runCli(["report", EXAMPLE, "--as-of", "2026-02-30"], env);
    expect(run).toMatchObject({ code: 2, stdout: "" });
    expect(run.stderr).toBe("sourcelinks: --as-of 2026-02-30: not a calendar date (YYYY-MM-DD)\n");
  });

  it("--help documents the formats, the merge and the exit codes", async () => {
    const run = await runCli(["report", "--help"], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("--merge");
    expect(run.stdout).toContain("schema/report.schema.json");
    expect(run.stdout).toContain("Exit codes: 0 report written");
  });
});

describe("sourcelinks report --merge", () => {
  it("merges org shards (one JSON per CI job) into the report of the whole config", async () => {
    const github = shard("github.yaml", (doc) => {
      doc.links = doc.links.filter((l) => l.provider === "github");
    });
    const bitbucket = shard("bitbucket.yaml", (doc) => {
      doc.links = doc.links.filter((l) => l.provider === "bitbucket");
      doc.orgAccess = [];
      doc.sweeps = [];
    });
    const a = join(tmp, "github.report.json");
    const b = join(tmp, "bitbucket.report.json");
    for (const [file, out] of [
      [github, a],
      [bitbucket, b],
    ] as const) {
      expect((await runCli(["report", file, "--format", "json", "--out", out, "--as-of", "2026-11-26"], env)).code).toBe(0);
    }
    const whole = await jsonReport([EXAMPLE]);
    const merged = await runCli(["report", "--merge", a, b, "--format", "json"], env);
    expect(merged).toMatchObject({ code: 0, stderr: "" });
    const report = JSON.parse(merged.stdout) as RetirementReport;
    expect(validateReport(report)).toBe(true);
    expect(report.summary).toEqual(whole.summary);
    expect(report.namespaces).toEqual(whole.namespaces);
    expect(report.owners).toEqual(whole.owners);
    expect(report.sources).toEqual([
      { asOf: "2026-11-26", files: [github] },
      { asOf: "2026-11-26", files: [bitbucket] },
    ]);

    const md = await runCli(["report", "--merge", a, b, "--format", "markdown"], env);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain("(2 runs merged)");
  });

  it("names every file that is not a valid report, and what is wrong with it (exit 2)", async () => {
    const plan = join(tmp, "plan.json");
    const planRun = await runCli(["plan", EXAMPLE, "--format", "json"], env);
    writeFileSync(plan, planRun.stdout);
    const broken = join(tmp, "broken.json");
    writeFileSync(broken, '{"apiVersion": "sourcelinks.report/v1",');
    const missing = join(tmp, "missing.json");
    const run = await runCli(["report", "--merge", plan, broken, missing], env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe(
      `${plan}: not a sourcelinks report: it has apiVersion "sourcelinks.plan/v1", expected "sourcelinks.report/v1" (as sourcelinks report --format json writes it)`,
    );
    expect(lines.some((l) => l.startsWith(`${broken}: not a sourcelinks report: not JSON: `))).toBe(true);
    expect(lines.some((l) => l.startsWith(`${missing}: cannot read the report: no such file`))).toBe(true);
  });

  it("refuses --as-of with --merge (exit 2)", async () => {
    const run = await runCli(["report", "--merge", "x.json", "--as-of", "2026-11-26"], env);
    expect(run).toMatchObject({
      code: 2,
      stderr: "sourcelinks: --as-of does not apply to --merge: a merged report keeps the dates of its runs\n",
    });
  });
});
