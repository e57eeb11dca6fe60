/**
 * Secrets never leave (docs/safety.md, "Secrets").
 * Every credential of the demo world is a canary made at run time (`canary-<kind>-<hex>`): the build
 * token, the GitHub PATs, the OAuth apps' client secrets, the Bitbucket app password, the grant tokens
 * the build service holds for its links (and any it mints during a run), webhook secrets, plus wrong
 * credentials used to make calls fail. The search covers each value, its Basic-auth
 * (`user:password`, `client_id:client_secret`), `Bearer`/`token`, base64 and URL-encoded forms, and a
 * prefix of its random part. Every CLI command runs through the built bin, the provider runs in
 * Pulumi's own dynamic-provider host over gRPC, and calls are made to fail in every way whose error
 * could carry a credential: 401/403 for wrong or revoked credentials, injected 5xx, `/_sandbox/act`
 * revocations, and a hostile server that echoes the Authorization header, query string and body
 * back in error bodies, `Location`/`Link` headers and pagination links. A leak is reported as
 * `SCENARIO: COMMAND (STREAM): WHAT: …excerpt…` with every canary replaced by its label.
 *
 * One documented exception: `sourcelinks sandbox` prints its `env` (docs/sandbox.md) so users can
 * export it; those values are the sandbox's own made-up credentials, and the test checks that the
 * `env` object is the only place they appear.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import type { World } from "../../sandbox/world.js";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import type * as LinkProvider from "../../provider/link-provider.js";
import type * as OrgAccessProvider from "../../provider/org-access-provider.js";
import { EXAMPLE, MAIN } from "../support/cli-harness.js";
import {
  demoConfig,
  linkInputs,
  orgAccessInputs,
  requireDist,
  runProgramWithMocks,
  serializedProviders,
  type RegisteredResource,
} from "../support/provider-dist.js";
import { FakeEngine, HostRpcError, makeUrn, type PropertyMap, ProviderHost } from "../support/engine-harness.js";
import { ensureBuilt } from "../support/ensure-built.js";
import { canary, CanarySet, type Output } from "./canaries.js";
import { canaryDemoWorld, worldCredentials } from "./canary-world.js";
import { capture, captureAll, describeRun, filesUnder, type CapturedRun } from "./cli-capture.js";
import { startCollector, startHostileServer, type Attack } from "./hostile-server.js";

const GITHUB_APP = "Iv1.5a9d0c3e7b214f68";
const BITBUCKET_APP = "SbxKey7Q2w";
/** Timeout of the hook that may compile dist/ (a cold `tsc -p .`). */
const BUILD_TIMEOUT_MS = 240_000;

const canaries = new CanarySet();
const demo = canaryDemoWorld(canaries);
/** Credentials that exist nowhere: calls made with them fail with 401. */
const wrong = {
  build: canary("wrong-build-token"),
  github: canary("wrong-gh-pat"),
  bitbucket: canary("wrong-bb-app-password"),
  clientSecret: canary("wrong-client-secret"),
};
canaries.add("a wrong build-service token", wrong.build);
canaries.add("a wrong GitHub PAT", wrong.github);
canaries.add("a wrong Bitbucket app password", wrong.bitbucket, { basicUser: "acme-bb-builder" });
canaries.add("a wrong GitHub client secret", wrong.clientSecret, { basicUser: GITHUB_APP });

let tmp: string;

beforeAll(async () => {
  await ensureBuilt(["dist/cli/main.js", "dist/provider/index.js", "dist/pulumi-program.js"]);
  tmp = mkdtempSync(join(tmpdir(), "sourcelinks-secrets-"));
}, BUILD_TIMEOUT_MS);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A sandbox of the canary demo world. */
function canarySandbox(): Promise<SandboxHandle> {
  return startSandbox({ seed: demo.world });
}

/** The whole environment of a CLI run: the sandbox's variables, a private HOME (for the ETag cache), and changes. */
function cliEnv(sandbox: SandboxHandle, changes: Record<string, string> = {}): Record<string, string> {
  return { ...sandbox.env, HOME: mkdtempSync(join(tmp, "home-")), ...changes };
}

/** Adds what a world holds now (grants minted during a run) to the search, then searches. */
function leaksIn(outputs: readonly Output[], world?: World, source = "sandbox"): string[] {
  if (world) canaries.addWorld(world, source);
  return canaries.report(outputs);
}

function outputsOf(runs: readonly CapturedRun[]): Output[] {
  return runs.flatMap((r) => r.outputs);
}

/** Asserts the exit code, with the run's (redacted) output in the message. */
function expectExit(run: CapturedRun, code: number, check = expect): void {
  check(
    run.code,
    describeRun(run, (t) => canaries.redact(t)),
  ).toBe(code);
}

async function postJson(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
}

describe("the canary world", () => {
  it("holds a canary for every credential, and the sandbox's env hands them out", async () => {
    const sandbox = await canarySandbox();
    try {
      const credentials = worldCredentials(sandbox.world());
      expect(credentials.length).toBeGreaterThanOrEqual(12);
      expect(credentials.filter((c) => !c.startsWith("canary-") || !canaries.has(c))).toEqual([]);
      const env = sandbox.env;
      for (const key of ["SOURCELINKS_BUILD_TOKEN", "GITHUB_TOKEN", "BITBUCKET_API_TOKEN", "SOURCELINKS_GITHUB_CLIENT_SECRET"] as const) {
        expect(canaries.has(env[key]), key).toBe(true);
      }
    } finally {
      await sandbox.close();
    }
  });

  it("the search finds a canary in each form it travels in, and names it", () => {
    const pat = demo.seed.github?.users?.[0]?.pat as string;
    const password = demo.seed.bitbucket?.users?.[0]?.appPassword as string;
    const basic = Buffer.from(`acme-bb-builder:${password}`).toString("base64");
    expect(canaries.leaks("t", `x ${pat} y`).map((l) => l.label)).toContain("GitHub PAT of jdoe");
    expect(canaries.leaks("t", `Authorization: Basic ${basic}`).map((l) => l.label)).toEqual([
      'Bitbucket app password of acme-bb-builder as "Basic …" header',
    ]);
    expect(canaries.leaks("t", `echo=${basic}`).map((l) => l.label)).toEqual([
      "Bitbucket app password of acme-bb-builder as Basic acme-bb-builder:…",
    ]);
    expect(canaries.leaks("t", `?auth=${encodeURIComponent(`Basic ${basic}`)}`)).not.toEqual([]);
    expect(canaries.leaks("t", `cut off: ${pat.slice(0, -8)}`)).not.toEqual([]);
    expect(canaries.redact(`token ${pat}`)).not.toContain(pat);
  });
});

// Steps of one lifecycle, each on the state the one before left: run in order even when shuffled.
describe("every CLI command, against the canary world", { shuffle: false }, () => {
  let sandbox: SandboxHandle;
  let env: Record<string, string>;
  const all: Output[] = [];

  beforeAll(async () => {
    sandbox = await canarySandbox();
    env = cliEnv(sandbox);
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it("help, validate, plan in every format, check in every format with and without --live, export, and a refused apply", async () => {
    const commands: string[][] = [
      ["--help"],
      ...["validate", "plan", "apply", "check", "export", "sandbox"].map((c) => [c, "--help"]),
      ["validate", EXAMPLE],
      ["plan", EXAMPLE, "--format", "text"],
      ["plan", EXAMPLE, "--format", "json"],
      ["plan", EXAMPLE, "--format", "markdown"],
      ["plan", EXAMPLE, "--detailed-exitcode"],
      ...["text", "json", "markdown", "sarif"].flatMap((f) => [
        ["check", EXAMPLE, "--format", f],
        ["check", EXAMPLE, "--live", "--format", f],
      ]),
      ["export", "--config", EXAMPLE],
      [
        "export",
        "--namespace",
        "acme",
        "--org",
        "acme",
        "--org",
        "contractor-co",
        "--github-client-id",
        GITHUB_APP,
        "--bitbucket-key",
        BITBUCKET_APP,
      ],
      // Not a terminal and no --yes: refused before anything is sent.
      ["apply", EXAMPLE],
    ];
    const runs = await captureAll("before apply", commands, env);
    all.push(...outputsOf(runs));
    const byCommand = new Map(runs.map((r) => [r.command, r]));
    const run = (command: string): CapturedRun => {
      const found = byCommand.get(command);
      if (!found) throw new Error(`no run of ${command}`);
      return found;
    };
    // Each command did its work (an early failure would hide nothing).
    expectExit(run("sourcelinks validate sourcelinks.yaml"), 0);
    expectExit(run("sourcelinks plan sourcelinks.yaml --format json"), 0);
    expect(JSON.parse(run("sourcelinks plan sourcelinks.yaml --format json").stdout)).toBeTypeOf("object");
    expectExit(run("sourcelinks plan sourcelinks.yaml --detailed-exitcode"), 4);
    expectExit(run("sourcelinks check sourcelinks.yaml --live --format sarif"), 3);
    expect(JSON.parse(run("sourcelinks check sourcelinks.yaml --live --format sarif").stdout)).toHaveProperty("runs");
    expectExit(run("sourcelinks export --config sourcelinks.yaml"), 0);
    expect(run("sourcelinks export --config sourcelinks.yaml").stdout).toContain("tokenEnv: SOURCELINKS_BUILD_TOKEN");
    expectExit(run("sourcelinks apply sourcelinks.yaml"), 2);
    for (const r of runs.filter((r) => r.command !== "sourcelinks apply sourcelinks.yaml")) {
      expect(
        [0, 3, 4],
        describeRun(r, (t) => canaries.redact(t)),
      ).toContain(r.code);
    }
    expect(leaksIn(outputsOf(runs), sandbox.world())).toEqual([]);
  });

  it("report in every format, and its help, print no canary", async () => {
    const runs = await captureAll(
      "report",
      [["report", "--help"], ...["json", "markdown", "html"].map((f) => ["report", EXAMPLE, "--format", f])],
      env,
    );
    all.push(...outputsOf(runs));
    for (const r of runs) expectExit(r, 0);
    expect(runs.find((r) => r.command.endsWith("--format json"))!.stdout).toContain("sourcelinks.report/v1");
    expect(leaksIn(outputsOf(runs), sandbox.world())).toEqual([]);
  });

  it("apply --yes relinks the team and revokes the legacy grant (client secret + grant token on the wire), printing neither", async () => {
    const legacyGrant = sandbox.world().buildService.links.find((l) => l.account === "legacy-builder")?.grantToken;
    const applied = await capture("apply", ["apply", EXAMPLE, "--yes"], env);
    all.push(...applied.outputs);
    expectExit(applied, 0);
    const world = sandbox.world();
    // The grant was revoked by API: its token went to DELETE /applications/{client_id}/grant.
    expect(world.github.tokens.find((t) => t.token === legacyGrant)?.revoked).toBe(true);
    // The relink minted a new grant for the service account: it joins the search.
    const minted = world.buildService.links.find((l) => l.account === "acme-builder")?.grantToken;
    expect(minted).toMatch(/^sbx-github-oauth-/);
    expect(leaksIn(applied.outputs, world, "after apply")).toEqual([]);
    expect(canaries.has(minted!)).toBe(true);
  });

  it("after apply: plan, check --live, export and a second apply print no canary, nor the grant minted by the relink", async () => {
    const runs = await captureAll(
      "after apply",
      [
        ["plan", EXAMPLE, "--format", "text", "--detailed-exitcode"],
        ["plan", EXAMPLE, "--format", "json"],
        ["check", EXAMPLE, "--live", "--format", "markdown"],
        ["check", EXAMPLE, "--live", "--format", "sarif"],
        ["export", "--config", EXAMPLE],
      ],
      env,
    );
    const again = await capture("after apply", ["apply", EXAMPLE, "--yes"], env);
    all.push(...outputsOf([...runs, again]));
    expectExit(runs[0]!, 0);
    expectExit(again, 0);
    expect(leaksIn(outputsOf([...runs, again]), sandbox.world(), "after apply")).toEqual([]);
  });

  it("the files the runs wrote (the persisted ETag cache) hold no canary, and neither does any earlier output", () => {
    const files = filesUnder("every command", env.HOME!);
    expect(files.map((f) => f.where)).toEqual([expect.stringMatching(/\.cache\/sourcelinks\/etags\.json$/)]);
    expect(files[0]!.text.length).toBeGreaterThan(100);
    // Tokens minted late are searched for in the early outputs too.
    expect(leaksIn([...all, ...files], sandbox.world())).toEqual([]);
  });
});

describe("a credential pasted into the YAML where an env var name belongs", () => {
  it("is refused (exit 2) by validate, plan and check without being echoed", async () => {
    const file = join(tmp, "pasted.yaml");
    const pat = demo.seed.github?.users?.[0]?.pat as string;
    const build = demo.seed.buildService?.namespaces?.[0]?.tokens?.[0]?.value as string;
    const secret = demo.seed.oauthApps?.[0]?.clientSecret as string;
    const text = readFileSync(EXAMPLE, "utf8")
      .replace("tokenEnv: SOURCELINKS_BUILD_TOKEN", `tokenEnv: ${build}`)
      .replace("tokenEnv: GITHUB_TOKEN }", `tokenEnv: "${pat}" }`)
      .replace("clientSecretEnv: SOURCELINKS_GITHUB_CLIENT_SECRET", `clientSecretEnv: ${secret}`);
    expect(text).toContain(pat);
    writeFileSync(file, text);
    const runs = await captureAll(
      "pasted credential",
      [
        ["validate", file],
        ["plan", file, "--format", "json"],
        ["check", file, "--format", "sarif"],
      ],
      { HOME: mkdtempSync(join(tmp, "home-")) },
    );
    for (const run of runs) {
      expectExit(run, 2);
      expect(run.stderr).toMatch(/tokenEnv must be the NAME of an environment variable/);
    }
    expect(leaksIn(outputsOf(runs))).toEqual([]);
  });
});

describe("sourcelinks sandbox", () => {
  it("prints the seeded credentials only inside the env of its start line (by design), never in request logs", async () => {
    const seedFile = join(tmp, "canary-seed.yaml");
    writeFileSync(seedFile, stringify(demo.seed));
    const child = spawn(process.execPath, [MAIN, "sandbox", "--port", "0", "--seed", seedFile], {
      env: {},
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once("line", resolve);
      child.once("error", reject);
    });
    child.stdout.on("data", (d: string) => (stdout += d));
    const closed = new Promise<number | null>((resolve) => child.once("close", resolve));
    try {
      const start = JSON.parse(first) as { baseUrl: string; env: Record<string, string> };
      // The documented exception: env holds exactly the seed's canaries, so users can export them.
      expect(start.env["GITHUB_TOKEN"]).toBe(demo.seed.github?.users?.find((u) => u.login === "jdoe")?.pat);
      expect(start.env["SOURCELINKS_BUILD_TOKEN"]).toBe(demo.seed.buildService?.namespaces?.[0]?.tokens?.[0]?.value);
      expect(start.env["BITBUCKET_API_TOKEN"]).toBe(demo.seed.bitbucket?.users?.[0]?.apiToken);
      expect(start.env["SOURCELINKS_GITHUB_CLIENT_SECRET"]).toBe(demo.seed.oauthApps?.find((a) => a.provider === "github")?.clientSecret);
      const line = {
        ...start,
        env: Object.fromEntries(
          Object.keys(start.env).map((k) => [k, canaries.has(start.env[k]!) ? "(canary: the sandbox's own)" : start.env[k]]),
        ),
      };

      // Requests carrying credentials in headers and in the query string, right and wrong, are logged on stderr.
      const pat = start.env["GITHUB_TOKEN"]!;
      const requests: [string, Record<string, string>][] = [
        [`/github/user?access_token=${pat}`, { authorization: `token ${pat}` }],
        [`/github/user?client_secret=${start.env["SOURCELINKS_GITHUB_CLIENT_SECRET"]}`, { authorization: `Bearer ${wrong.github}` }],
        [
          "/bitbucket/2.0/user",
          {
            authorization: `Basic ${Buffer.from(`${start.env["BITBUCKET_EMAIL"]}:${start.env["BITBUCKET_API_TOKEN"]}`).toString("base64")}`,
          },
        ],
        ["/build/api/build/v1/acme/links/", { authorization: `Bearer ${start.env["SOURCELINKS_BUILD_TOKEN"]}` }],
      ];
      for (const [path, headers] of requests) await (await fetch(`${start.baseUrl}${path}`, { headers })).text();
      const plan = await capture("sandbox command", ["plan", EXAMPLE, "--format", "json"], {
        ...start.env,
        HOME: mkdtempSync(join(tmp, "home-")),
      });
      expectExit(plan, 0);
      // Grants the spawned sandbox minted for its links join the search.
      const snapshot = (await (await fetch(`${start.baseUrl}/_sandbox/snapshot`)).json()) as World;
      child.kill("SIGTERM");
      expect(await closed).toBe(0);
      expect(stderr).toMatch(/GET .*\/github\/user\?access_token=.* 200/);
      expect(
        leaksIn(
          [
            { where: "sourcelinks sandbox (start line, env values masked)", text: JSON.stringify(line) },
            { where: "sourcelinks sandbox (stdout after the start line)", text: stdout },
            { where: "sourcelinks sandbox (stderr: request log)", text: stderr },
            ...plan.outputs,
          ],
          snapshot,
          "spawned sandbox",
        ),
      ).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill("SIGTERM");
      await closed;
    }
  });
});

/** A failure scenario: a sandbox of the canary world, maybe a hostile server in front, and runs that fail. */
interface FailureCase {
  name: string;
  /** Prepares the sandbox (faults, acts, world edits); returns env changes. */
  setup?: (sandbox: SandboxHandle) => Promise<Record<string, string>> | Record<string, string>;
  /** A hostile server in front of the sandbox, attacking these requests. */
  attacks?: Attack[];
  commands: string[][];
  /** Expected exit code of every command, or of each command in turn. */
  exit: number | number[];
  /** What the error must say on stderr (or, with `inReport`, in the report on stdout), so it stays useful after redaction. */
  error: RegExp;
  inReport?: boolean;
}

const plan = ["plan", EXAMPLE, "--format", "json"];
const apply = ["apply", EXAMPLE, "--yes"];
const exportLive = ["export", "--config", EXAMPLE];

const failures: FailureCase[] = [
  {
    name: "a wrong build-service token (401)",
    setup: () => ({ SOURCELINKS_BUILD_TOKEN: wrong.build }),
    commands: [plan, exportLive],
    exit: 1,
    error: /build-service: GET .* HTTP 401/,
  },
  {
    name: "a wrong GitHub PAT (401)",
    setup: () => ({ GITHUB_TOKEN: wrong.github }),
    commands: [plan],
    exit: 1,
    error: /github: GET .* HTTP 401/,
  },
  {
    name: "a wrong Bitbucket API token (401)",
    setup: () => ({ BITBUCKET_API_TOKEN: wrong.bitbucket }),
    commands: [plan],
    exit: 1,
    error: /bitbucket: GET .* HTTP 401/,
  },
  {
    name: "a wrong GitHub client secret (401 on the grant endpoints)",
    setup: () => ({ SOURCELINKS_GITHUB_CLIENT_SECRET: wrong.clientSecret }),
    commands: [plan, apply],
    exit: 1,
    error: /github: \w+ .*\/applications\/.* HTTP 401/,
  },
  {
    name: "a revoked GitHub PAT (401)",
    setup: (sandbox) => {
      const pat = sandbox.world().github.tokens.find((t) => t.kind === "pat" && t.login === "jdoe");
      if (!pat) throw new Error("jdoe has no PAT");
      pat.revoked = true;
      return { GITHUB_TOKEN: pat.token };
    },
    commands: [plan],
    exit: 1,
    error: /github: GET .* HTTP 401/,
  },
  {
    name: "injected 503 on the build service (POST /_sandbox/faults)",
    setup: async (sandbox) => {
      await postJson(`${sandbox.baseUrl}/_sandbox/faults`, { errorRate: 1, errorStatus: 503, match: { service: "build-service" } });
      return {};
    },
    commands: [plan],
    exit: 1,
    error: /build-service: GET .* HTTP 503/,
  },
  {
    name: "injected 500 on Bitbucket (POST /_sandbox/faults)",
    setup: async (sandbox) => {
      await postJson(`${sandbox.baseUrl}/_sandbox/faults`, { errorRate: 1, errorStatus: 500, match: { service: "bitbucket" } });
      return {};
    },
    commands: [plan],
    exit: 1,
    error: /bitbucket: GET .* HTTP 500/,
  },
  {
    name: "injected 422 on GitHub's grant revocation and webhook deletes (POST /_sandbox/faults)",
    setup: async (sandbox) => {
      await postJson(`${sandbox.baseUrl}/_sandbox/faults`, {
        errorRate: 1,
        errorStatus: 422,
        match: { service: "github", method: "DELETE" },
      });
      return {};
    },
    commands: [apply],
    exit: 1,
    error: /github: DELETE .* HTTP 422/,
    inReport: true,
  },
  {
    name: "revocations in web UIs (POST /_sandbox/act): the legacy grant, the Bitbucket grant, acme denying the app",
    setup: async (sandbox) => {
      const act = `${sandbox.baseUrl}/_sandbox/act`;
      await postJson(act, { as: "user", login: "legacy-builder", action: "revoke-authorization", app: GITHUB_APP });
      await postJson(act, {
        as: "user",
        provider: "bitbucket",
        username: "acme-bb-builder",
        action: "revoke-authorization",
        app: BITBUCKET_APP,
      });
      await postJson(act, { as: "org-owner", org: "acme", app: GITHUB_APP, action: "deny" });
      return {};
    },
    commands: [["check", EXAMPLE, "--live"], apply],
    exit: [3, 0],
    error: /org "acme" declares access granted for the build service's github app but it is denied/,
    inReport: true,
  },
  {
    name: "a hostile build service answering 401 with the request echoed",
    attacks: [{ service: "build-service", trap: { kind: "error", status: 401 } }],
    commands: [plan, apply],
    exit: 1,
    error: /build-service: GET .* HTTP 401: hostile/,
  },
  {
    name: "a hostile build service answering 502 (retried) with the request echoed",
    attacks: [{ service: "build-service", trap: { kind: "error", status: 502 } }],
    commands: [plan],
    exit: 1,
    error: /build-service: GET .* HTTP 502: hostile/,
  },
  {
    name: "a hostile build service whose meta.next echoes the token",
    attacks: [{ service: "build-service", method: "GET", path: /\/links\/$/, trap: { kind: "paginate" } }],
    commands: [plan, apply],
    exit: 1,
    error: /build-service: GET .* HTTP 422/,
  },
  {
    name: "a hostile GitHub answering 401 to webhook listings with the request echoed",
    attacks: [{ service: "github", method: "GET", path: /\/hooks$/, trap: { kind: "error", status: 401 } }],
    commands: [plan, apply],
    exit: 1,
    error: /github: GET .* HTTP 401: hostile/,
  },
  {
    name: "a hostile GitHub whose Link header echoes the token",
    attacks: [{ service: "github", method: "GET", path: /\/hooks$/, trap: { kind: "paginate" } }],
    commands: [plan, apply],
    exit: 1,
    error: /github: GET .* HTTP 422/,
  },
  {
    name: "a hostile GitHub redirecting deploy-key reads (GraphQL) to a URL that echoes the token",
    attacks: [{ service: "github", method: "POST", path: /\/graphql$/, trap: { kind: "redirect" } }],
    commands: [plan],
    exit: 1,
    error: /github: POST .*\/graphql failed: HTTP 302: refusing to follow a redirect/,
  },
  {
    name: "a hostile GitHub echoing the Basic client credentials and the grant token of the OAuth app endpoints",
    attacks: [{ service: "github", path: /^\/applications\//, trap: { kind: "error", status: 400 } }],
    commands: [plan, apply],
    exit: 1,
    error: /github: \w+ .*\/applications\/.* HTTP 400: hostile/,
  },
  {
    name: "a hostile Bitbucket answering 401 with the request echoed",
    attacks: [{ service: "bitbucket", trap: { kind: "error", status: 401 } }],
    commands: [plan, apply],
    exit: 1,
    error: /bitbucket: GET .* HTTP 401: hostile/,
  },
  {
    name: "a hostile Bitbucket whose `next` page link echoes the Basic credentials",
    attacks: [{ service: "bitbucket", method: "GET", path: /\/hooks$/, trap: { kind: "paginate" } }],
    commands: [plan, apply],
    exit: 1,
    error: /bitbucket: GET .* HTTP 422/,
  },
];

describe.concurrent("failed HTTP calls: the expected exit code, a useful error, no canary", () => {
  it.for(failures)("$name", async ({ name, setup, attacks, commands, exit, error, inReport }, { expect: check }) => {
    const sandbox = await canarySandbox();
    const hostile = attacks ? await startHostileServer(sandbox.baseUrl, attacks) : null;
    try {
      const changes = { ...(await setup?.(sandbox)), ...hostile?.env };
      // Retries wait a hundredth of their time: what is asserted is the words, not the waits.
      const env = cliEnv(sandbox, { SOURCELINKS_RETRY_WAIT_SCALE: "0.01", ...changes });
      const runs: CapturedRun[] = [];
      // In order: apply changes what the next command sees.
      for (const args of commands) runs.push(await capture(name, args, env));
      if (hostile) check(hostile.attacked(), "the attack was reached").toBeGreaterThan(0);
      runs.forEach((run, i) => expectExit(run, Array.isArray(exit) ? exit[i]! : exit, check));
      for (const run of runs.filter((r) => r.code === 1)) {
        check(run.stderr !== "" || /: FAILED\n/.test(run.stdout), `${run.command} failed without saying why`).toBe(true);
      }
      const said = runs.some((r) => error.test(canaries.redact(inReport ? `${r.stderr}\n${r.stdout}` : r.stderr)));
      check(said, `an error matching ${error}:\n${runs.map((r) => describeRun(r, (t) => canaries.redact(t))).join("\n")}`).toBe(true);
      check(leaksIn([...outputsOf(runs), ...filesUnder(name, env.HOME!)], sandbox.world())).toEqual([]);
    } finally {
      await hostile?.close();
      await sandbox.close();
    }
  });
});

describe.concurrent("credentials stay on the API's origin: a link or redirect elsewhere is never sent one", () => {
  const cases: { name: string; attacks: (elsewhere: string) => Attack[] }[] = [
    {
      name: "GitHub: a Link header naming another origin",
      attacks: (to) => [{ service: "github", method: "GET", path: /\/hooks$/, trap: { kind: "paginate", to } }],
    },
    {
      name: "GitHub: a redirect to another origin",
      attacks: (to) => [{ service: "github", method: "POST", path: /\/graphql$/, trap: { kind: "redirect", to } }],
    },
    {
      name: "Bitbucket: a next page on another origin",
      attacks: (to) => [{ service: "bitbucket", method: "GET", path: /\/hooks$/, trap: { kind: "paginate", to } }],
    },
    {
      name: "the build service: a meta.next on another origin",
      attacks: (to) => [{ service: "build-service", method: "GET", path: /\/links\/$/, trap: { kind: "paginate", to } }],
    },
  ];
  it.for(cases)("$name", async ({ name, attacks }, { expect: check }) => {
    const sandbox = await canarySandbox();
    const elsewhere = await startCollector();
    const hostile = await startHostileServer(sandbox.baseUrl, attacks(elsewhere.baseUrl));
    try {
      const run = await capture(name, plan, cliEnv(sandbox, hostile.env));
      check(hostile.attacked(), "the attack was reached").toBeGreaterThan(0);
      const received = { where: `${name}: what the other origin received`, text: elsewhere.received().join("\n") };
      check(
        /"authorization"/i.test(received.text),
        `${name}: the other origin was sent an Authorization header: ${canaries.redact(received.text)}`,
      ).toBe(false);
      check(leaksIn([received, ...run.outputs], sandbox.world())).toEqual([]);
    } finally {
      await hostile.close();
      await elsewhere.close();
      await sandbox.close();
    }
  });
});

const LINK_TYPE = "pulumi-nodejs:dynamic/sourcelinks:SourceProviderLink";
const ORG_TYPE = "pulumi-nodejs:dynamic/sourcelinks:OrgThirdPartyAccess";
/** The env vars of the demo config that hold credentials (the others are URLs and a username). */
const CREDENTIAL_VARS = ["SOURCELINKS_BUILD_TOKEN", "GITHUB_TOKEN", "BITBUCKET_API_TOKEN", "SOURCELINKS_GITHUB_CLIENT_SECRET"];

/** The four credentials as stack config, as `pulumi config set --secret sourcelinks:…` would hold them. */
function stackSecrets(sandbox: SandboxHandle): Record<string, string> {
  return {
    "sourcelinks:githubToken": sandbox.env.GITHUB_TOKEN,
    "sourcelinks:buildToken": sandbox.env.SOURCELINKS_BUILD_TOKEN,
    "sourcelinks:bitbucketToken": sandbox.env.BITBUCKET_API_TOKEN,
    "sourcelinks:githubClientSecret": sandbox.env.SOURCELINKS_GITHUB_CLIENT_SECRET,
  };
}

/** A host's environment: PATH, the sandbox's URLs and username, its credentials only when asked, then overrides. */
function hostEnv(sandbox: SandboxHandle, credentials: boolean, overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "" };
  for (const [key, value] of Object.entries(sandbox.env)) if (credentials || !CREDENTIAL_VARS.includes(key)) env[key] = value;
  return { ...env, ...overrides };
}

/** Puts back the environment variables a test set. */
function restoreEnv(saved: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

/** Every response and error of a provider run, labelled, for the canary search. */
class Recorder {
  readonly outputs: Output[] = [];
  constructor(readonly label: string) {}

  record(what: string, value: unknown): void {
    this.outputs.push({ where: `${this.label}: ${what}`, text: typeof value === "string" ? value : JSON.stringify(value) });
  }

  /** Awaits an RPC that must fail and records its error (message and gRPC details). */
  async failure(what: string, call: Promise<unknown>): Promise<HostRpcError> {
    const error = await call.then(
      () => null,
      (e: unknown) => e,
    );
    if (!(error instanceof HostRpcError)) throw new Error(`${this.label}: ${what} did not fail with a gRPC error: ${String(error)}`);
    this.record(`${what} (gRPC error details)`, `${error.message}\n${error.details}`);
    return error;
  }
}

describe("the provider: serialized, and in Pulumi's dynamic-provider host over gRPC", () => {
  let config: SourcelinksConfig;
  let serialized: { link: string; orgAccess: string };

  // Serialized as a program would, but with every credential variable set and both provider objects
  // configured in this very process: every test below sends this `__provider`, so a credential
  // captured here would show up in every output.
  beforeAll(async () => {
    config = await demoConfig();
    const sandbox = await canarySandbox();
    const saved = Object.fromEntries(CREDENTIAL_VARS.map((k) => [k, process.env[k]]));
    try {
      for (const key of CREDENTIAL_VARS) process.env[key] = sandbox.env[key as keyof typeof sandbox.env];
      const secrets = new Map(Object.entries(stackSecrets(sandbox)));
      const stack = { config: { get: (key: string) => secrets.get(key) } } as unknown as pulumi.dynamic.ConfigureRequest;
      await requireDist<typeof LinkProvider>("provider/link-provider.js").linkProvider.configure?.(stack);
      await requireDist<typeof OrgAccessProvider>("provider/org-access-provider.js").orgAccessProvider.configure?.(stack);
      serialized = await serializedProviders();
    } finally {
      restoreEnv(saved);
      await sandbox.close();
    }
  });

  it("serializes with no canary, with every credential variable set and the provider objects configured in this very process", () => {
    expect(serialized.link).toContain("sourcelinks/provider/link-methods");
    expect(serialized.orgAccess).toContain("sourcelinks/provider/org-access-methods");
    expect(
      leaksIn([
        { where: "serialized SourceProviderLink provider (__provider)", text: serialized.link },
        { where: "serialized OrgThirdPartyAccess provider (__provider)", text: serialized.orgAccess },
      ]),
    ).toEqual([]);
  });

  /** Create, no-op, refresh, disable, revoke and destroy a GitHub team link; finish a legacy revoke; a Bitbucket link; org access. */
  async function lifecycle(host: ProviderHost, sandbox: SandboxHandle, rec: Recorder): Promise<void> {
    const engine = new FakeEngine(host);
    const link = (name: string, change: PropertyMap = {}): PropertyMap => linkInputs(config, name, serialized.link, change);
    const urn = makeUrn(LINK_TYPE, "acme-builds");

    rec.record("check acme-builds", await host.check(urn, {}, link("acme-builds")));
    // A token pasted where the env var NAME belongs: refused without being repeated.
    const pasted = await host.check(
      urn,
      {},
      link("acme-builds", { buildService: { ...config.buildService, tokenEnv: sandbox.env.SOURCELINKS_BUILD_TOKEN } }),
    );
    expect(pasted.failures.map((f) => f.property)).toContain("buildService.tokenEnv");
    rec.record("check with a token pasted into tokenEnv: failures", pasted.failures);

    rec.record("create acme-builds (relink)", (await engine.up(urn, link("acme-builds"))).entry);
    rec.record("diff acme-builds, unchanged", (await engine.up(urn, link("acme-builds"))).diff);
    rec.record("read acme-builds (refresh)", await engine.refresh(urn));
    rec.record("update acme-builds to disabled", (await engine.up(urn, link("acme-builds", { state: "disabled" }))).entry);
    const revoked = await engine.up(urn, link("acme-builds", { state: "revoked" }));
    rec.record("update acme-builds to revoked", revoked.entry);
    expect(revoked.entry.outputs).toMatchObject({ liveState: "revoked", providerGrant: "revoked" });
    await engine.destroy(urn);

    const legacy = makeUrn(LINK_TYPE, "legacy-builds");
    const legacyGrant = sandbox.world().buildService.links.find((l) => l.account === "legacy-builder")?.grantToken;
    rec.record("create legacy-builds (finish the revoke)", (await engine.up(legacy, link("legacy-builds"))).entry);
    // Revoked by API: the grant token and the client secret were on the wire.
    expect(sandbox.world().github.tokens.find((t) => t.token === legacyGrant)?.revoked).toBe(true);

    const mobile = makeUrn(LINK_TYPE, "mobile-builds");
    rec.record("create mobile-builds", (await engine.up(mobile, link("mobile-builds"))).entry);
    rec.record("read mobile-builds", await engine.refresh(mobile));
    await engine.destroy(mobile);

    for (const org of ["acme", "contractor-co"]) {
      const orgUrn = makeUrn(ORG_TYPE, `${org}-github`);
      rec.record(`create org access ${org}`, (await engine.up(orgUrn, orgAccessInputs(config, org, serialized.orgAccess))).entry);
      rec.record(`read org access ${org}`, await engine.refresh(orgUrn));
    }

    // A failing call: GitHub refuses every DELETE, so finishing the legacy revoke stops half-way.
    await sandbox.reset();
    sandbox.injectFault({ errorRate: 1, errorStatus: 422, match: { service: "github", method: "DELETE" } });
    const failed = await rec.failure(
      "create legacy-builds with GitHub refusing DELETE",
      new FakeEngine(host).up(legacy, link("legacy-builds")),
    );
    expect(failed.details).toMatch(/HTTP 422/);
    sandbox.clearFaults();
    await rec.failure("read of an id that is not a link id", host.read("not-a-link-id", urn, link("acme-builds"), link("acme-builds")));
  }

  it.each([
    { how: "as a stack-config secret (Configure)", label: "credentials from stack config", fromEnv: false, stackConfig: stackSecrets },
    {
      how: "in the environment",
      label: "credentials from the environment",
      fromEnv: true,
      stackConfig: (): Record<string, string> => ({}),
    },
  ])("with every credential $how, no response, error or host log holds a canary", async ({ label, fromEnv, stackConfig }) => {
    const sandbox = await canarySandbox();
    const host = await ProviderHost.start({ env: hostEnv(sandbox, fromEnv) });
    const rec = new Recorder(label);
    try {
      await host.configure(stackConfig(sandbox));
      await lifecycle(host, sandbox, rec);
      rec.record("host stderr", host.stderr);
      expect(leaksIn(rec.outputs, sandbox.world(), "provider sandbox")).toEqual([]);
    } finally {
      await host.close();
      await sandbox.close();
    }
  });

  it("against a hostile server echoing credentials, create, read and delete fail with errors that hold no canary", async () => {
    const sandbox = await canarySandbox();
    const hostile = await startHostileServer(sandbox.baseUrl, [
      { service: "github", method: "GET", path: /\/hooks$/, trap: { kind: "paginate" } },
      { service: "github", path: /^\/applications\//, trap: { kind: "error", status: 400 } },
      { service: "bitbucket", trap: { kind: "error", status: 401 } },
      { service: "build-service", method: "GET", path: /\/access\/$/, trap: { kind: "error", status: 403 } },
    ]);
    // Credentials both ways: stack config wins, the environment's are there to be leaked too.
    const host = await ProviderHost.start({ env: hostEnv(sandbox, true, hostile.env) });
    const rec = new Recorder("hostile server");
    try {
      await host.configure(stackSecrets(sandbox));
      const link = (name: string): PropertyMap => linkInputs(config, name, serialized.link);
      const revoking = (name: string): PropertyMap => linkInputs(config, name, serialized.link, { onDelete: "revoke" });
      const urn = (name: string): string => makeUrn(LINK_TYPE, name);
      await rec.failure("create acme-builds", host.create(urn("acme-builds"), link("acme-builds")));
      await rec.failure(
        "read mobile-builds",
        host.read("acme/bitbucket/acme-bb-builder", urn("mobile-builds"), link("mobile-builds"), link("mobile-builds")),
      );
      await rec.failure(
        "update mobile-builds",
        host.update(
          "acme/bitbucket/acme-bb-builder",
          urn("mobile-builds"),
          link("mobile-builds"),
          link("mobile-builds"),
          link("mobile-builds"),
        ),
      );
      await rec.failure(
        "delete legacy-builds (onDelete: revoke)",
        host.delete("acme/github/legacy-builder", urn("legacy-builds"), revoking("legacy-builds"), revoking("legacy-builds")),
      );
      await rec.failure(
        "create org access contractor-co",
        host.create(makeUrn(ORG_TYPE, "contractor-co-github"), orgAccessInputs(config, "contractor-co", serialized.orgAccess)),
      );
      rec.record("host stderr", host.stderr);
      expect(hostile.attacked()).toBeGreaterThanOrEqual(4);
      expect(leaksIn(rec.outputs, sandbox.world(), "provider sandbox")).toEqual([]);
    } finally {
      await host.close();
      await hostile.close();
      await sandbox.close();
    }
  });

  it("the root program under pulumi.runtime.setMocks registers no canary, with credentials in the env and in stack config", async () => {
    const sandbox = await canarySandbox();
    const saved = Object.fromEntries(CREDENTIAL_VARS.map((k) => [k, process.env[k]]));
    const registered: RegisteredResource[] = [];
    try {
      for (const key of CREDENTIAL_VARS) process.env[key] = sandbox.env[key as keyof typeof sandbox.env];
      pulumi.runtime.setAllConfig(stackSecrets(sandbox), Object.keys(stackSecrets(sandbox)));
      // Registration is asynchronous: wait until the Links component and its six resources (the sweep
      // included) reached the mocks.
      let allRegistered!: () => void;
      const seven = new Promise<void>((resolve) => (allRegistered = resolve));
      const outputs = await runProgramWithMocks(registered, () => {
        if (registered.length === 7) allRegistered();
      });
      await seven;
      expect(registered).toHaveLength(7);
      expect(
        leaksIn([
          { where: "setMocks: registered resource inputs", text: JSON.stringify(registered) },
          {
            where: "setMocks: program outputs",
            text: JSON.stringify(outputs, (_k, v: unknown) => (pulumi.Output.isInstance(v) ? "<output>" : v)),
          },
        ]),
      ).toEqual([]);
    } finally {
      restoreEnv(saved);
      await sandbox.close();
    }
  });
});
