/**
 * Replacement builds in `plan` and `apply`, in process over loopback against the sandbox's demo world:
 * the builds' steps with the file's diff, the revocation of legacy-builds kept back (located) until its
 * replacement is verified, a saved plan that covers the builds, and a secret's unset env var refusing
 * the whole run before anything is sent.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { BUILDS_EXAMPLE, EXAMPLE, runCli } from "../support/cli-harness.js";

let sandbox: SandboxHandle;
let env: Record<string, string>;
let tmp: string;
/** The example's builds with acme/legacy-web retired on purpose: legacy-builds then waits for acme/legacy-api alone. */
let builds: string;

const SECRETS = { DOCKERHUB_USERNAME: "acme-ci", DOCKERHUB_TOKEN: "hub-token-value-7f3a", NPM_TOKEN: "npm-token-value-9c1e" };

beforeAll(async () => {
  sandbox = await startSandbox({});
  env = { ...sandbox.env };
  tmp = mkdtempSync(join(tmpdir(), "sourcelinks-replacement-builds-"));
  builds = join(tmp, "builds.yaml");
  writeFileSync(
    builds,
    readFileSync(BUILDS_EXAMPLE, "utf8").replace("  - image: acme/legacy-web\n", "  - image: acme/legacy-web\n    replacement: none\n"),
  );
});

afterAll(async () => {
  await sandbox?.close();
});

beforeEach(async () => {
  await sandbox.reset();
});

interface PlanJsonView {
  summary: { apiSteps: number; replacementBuildSteps?: number; builds?: number };
  resources: { resource: string; name: string; steps: { kind: string; content?: string; env?: string }[]; observed: unknown }[];
  held?: {
    link: string;
    location: { file: string; line: number };
    steps: unknown[];
    builds: { image: string; reason: string; location: { file: string } }[];
  }[];
}

async function planJson(files: string[]): Promise<PlanJsonView> {
  const run = await runCli(["plan", ...files, "--format", "json"], env);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as PlanJsonView;
}

describe("replacement builds in plan and apply", () => {
  it("plans each build's steps with its file's diff and keeps legacy-builds' revocation back, located, while the rest still runs", async () => {
    const text = await runCli(["plan", EXAMPLE, builds, "--detailed-exitcode"], env);
    expect(text.code).toBe(4);
    expect(text.stdout).toMatch(/^build acme\/legacy-api: verified, \d+ changes {2}\(.*builds\.yaml:\d+:\d+\)$/m);
    expect(text.stdout).toContain("+++ b/.github/workflows/");
    expect(text.stdout).toMatch(/^ {8}\+name: /m);
    expect(text.stdout).toMatch(/set Actions secret NPM_TOKEN of acme\/legacy-api from env var NPM_TOKEN/);
    expect(text.stdout).toMatch(/^ {2}link legacy-builds \(.*sourcelinks\.yaml:\d+:\d+\): 7 revoke steps kept back/m);
    expect(text.stdout).toMatch(
      /^ {4}waits for .*builds\.yaml:\d+:\d+: build acme\/legacy-api \(acme\/legacy-api\): the replacement of acme\/legacy-api \(acme\/legacy-api\) is absent, not verified/m,
    );
    expect(text.stdout).toMatch(/^link legacy-builds: revoked, no changes/m);
    // The rest of the plan runs: the relink of team ci is still planned.
    expect(text.stdout).toMatch(/^link acme-builds: linked, \d+ changes/m);
    expect(text.stdout).toMatch(/replacement-build steps?\b/);
    // Values are read only when sent: no plan holds one.
    for (const value of Object.values(SECRETS)) expect(text.stdout).not.toContain(value);

    const json = await planJson([EXAMPLE, builds]);
    // Replacement builds come first: apply sends them before any revocation.
    expect(json.resources.slice(0, 2).map((r) => [r.resource, r.name])).toEqual([
      ["build", "acme/mobile"],
      ["build", "acme/legacy-api"],
    ]);
    const file = json.resources[1]!.steps.find((s) => s.kind === "proposal-file");
    expect(file?.content).toContain("docker/build-push-action");
    expect(json.summary.replacementBuildSteps).toBeGreaterThan(0);
    expect(json.held).toEqual([
      expect.objectContaining({
        link: "legacy-builds",
        location: expect.objectContaining({ file: expect.stringMatching(/sourcelinks\.yaml$/) }),
        builds: [expect.objectContaining({ image: "acme/legacy-api", location: expect.objectContaining({ file: builds }) })],
      }),
    ]);
    expect(json.held![0]!.steps).toHaveLength(7);

    const markdown = await runCli(["plan", EXAMPLE, builds, "--format", "markdown"], env);
    expect(markdown.stdout).toContain("### Held back until the replacement builds are verified");
    expect(markdown.stdout).toMatch(/```diff\n {2}--- \/dev\/null\n {2}\+\+\+ b\/\.github\/workflows\//);
  });

  it("check --live reports the link its unverified replacement holds back, and the report's Continuity shows each build", async () => {
    const check = await runCli(["check", EXAMPLE, builds, "--live"], env);
    expect(check.code).toBe(3);
    expect(check.stdout).toMatch(/\[replacement-before-revocation\] link "legacy-builds"/);
    const report = await runCli(["report", EXAMPLE, builds, "--format", "json"], env);
    expect(report.code).toBe(0);
    const continuity = (JSON.parse(report.stdout) as { continuity?: { image: string; state: string }[] }).continuity;
    expect(continuity).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ image: "acme/legacy-api", state: "absent" }),
        expect.objectContaining({ image: "acme/mobile", state: "absent" }),
      ]),
    );
  });

  it("plans the basic example alone without any build", async () => {
    const json = await planJson([EXAMPLE]);
    expect(json.resources.some((r) => r.resource === "build")).toBe(false);
    expect(json.held).toBeUndefined();
    expect(json.summary.replacementBuildSteps).toBeUndefined();
  });

  it("refuses apply with nothing sent when a secret's env var is unset, naming the var and where the build is declared", async () => {
    const before = await runCli(["plan", EXAMPLE, builds], env);
    const { NPM_TOKEN: _unset, ...partial } = SECRETS;
    const run = await runCli(["apply", EXAMPLE, builds, "--yes"], { ...env, ...partial });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /builds\.yaml:\d+:\d+: build acme\/legacy-api: secret NPM_TOKEN of acme\/legacy-api is read from env var NPM_TOKEN, which is not set/,
    );
    expect(run.stderr).toContain("nothing was sent");
    expect((await runCli(["plan", EXAMPLE, builds], env)).stdout).toBe(before.stdout);
  });

  it("applies a saved plan's builds before any revocation, holds legacy-builds until its replacement is verified, then releases it", async () => {
    const saved = join(tmp, "reviewed.plan.json");
    expect((await runCli(["plan", EXAMPLE, builds, "--out", saved], env)).code).toBe(0);
    const applied = await runCli(["apply", "--plan", saved, "--yes"], { ...env, ...SECRETS });
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
    const report = applied.stdout.slice(applied.stdout.indexOf("\nApply:\n"));
    expect(report).toMatch(/^build acme\/legacy-api: done$/m);
    expect(report).not.toMatch(/^link legacy-builds:/m);
    for (const value of Object.values(SECRETS)) expect(applied.stdout).not.toContain(value);

    const proposed = await planJson([EXAMPLE, builds]);
    const api = proposed.resources.find((r) => r.name === "acme/legacy-api")!;
    expect(api.steps).toEqual([]);
    const observed = api.observed as { state: string; pullRequest: { number: number } };
    expect(observed.state).toBe("proposed");
    expect(proposed.held?.[0]?.builds[0]?.reason).toContain("is proposed, not verified");

    const merge = await fetch(`${env.SOURCELINKS_GITHUB_API_URL}/repos/acme/legacy-api/pulls/${observed.pullRequest.number}/merge`, {
      method: "PUT",
      headers: { authorization: `token ${env.GITHUB_TOKEN}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(merge.status).toBe(200);

    const verified = await planJson([EXAMPLE, builds]);
    expect(verified.held).toBeUndefined();
    expect(verified.resources.find((r) => r.name === "legacy-builds")?.steps).toHaveLength(7);
    const released = await runCli(["apply", EXAMPLE, builds, "--yes", "--max-revoke-ratio", "1"], { ...env, ...SECRETS });
    expect(released.code).toBe(0);
    expect(released.stdout.slice(released.stdout.indexOf("\nApply:\n"))).toMatch(/^link legacy-builds: done$/m);
  });

  it("holds a proposal whose branch holds someone else's commits, located in plan and check, and apply writes nothing for it", async () => {
    const branch = (await planJson([EXAMPLE, builds])).resources.find((r) => r.name === "acme/legacy-api")!.observed as { branch: string };
    const api = `${env.SOURCELINKS_GITHUB_API_URL}/repos/acme/legacy-api`;
    const headers = { authorization: `token ${env.GITHUB_TOKEN}`, "content-type": "application/json" };
    const main = (await (await fetch(`${api}/git/ref/heads/main`, { headers })).json()) as { object: { sha: string } };
    const made = await fetch(`${api}/git/refs`, {
      method: "POST",
      headers,
      body: JSON.stringify({ ref: `refs/heads/${branch.branch}`, sha: main.object.sha }),
    });
    expect(made.status).toBe(201);
    const reason = `branch ${branch.branch} of acme/legacy-api has commits not written by sourcelinks; delete it or merge it`;

    const text = await runCli(["plan", EXAMPLE, builds], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("Proposals held back: apply writes nothing for these builds:");
    expect(text.stdout).toContain(`builds.yaml:`);
    expect(text.stdout).toMatch(
      new RegExp(`^  \\S*builds\\.yaml:\\d+:\\d+: build acme/legacy-api \\(acme/legacy-api\\): ${reason.replace(/[/.]/g, "\\$&")}$`, "m"),
    );
    expect(text.stdout).toMatch(/^build acme\/legacy-api: verified, no changes/m);
    const json = await planJson([EXAMPLE, builds]);
    expect(json.resources.find((r) => r.name === "acme/legacy-api")?.observed).toMatchObject({ held: reason });
    expect(json.held?.[0]?.builds[0]?.reason).toContain(`the proposal is held back: ${reason}`);

    const check = await runCli(["check", EXAMPLE, builds, "--live"], env);
    expect(check.code).toBe(3);
    expect(check.stdout).toContain(`the proposal is held back: ${reason}`);

    const applied = await runCli(["apply", EXAMPLE, builds, "--yes"], { ...env, ...SECRETS });
    expect(applied.code).toBe(0);
    const repo = sandbox.world().github.repos.find((r) => r.owner === "acme" && r.name === "legacy-api");
    expect([repo?.git?.branches[branch.branch], repo?.pulls ?? [], repo?.secrets ?? []]).toEqual([main.object.sha, [], []]);
  });
});
