/**
 * Sweeps match repositories by identity and say what they could not see, against the sweep world
 * (test/fixtures/worlds/sweep.yaml) over loopback:
 * - a repository a live link builds from, renamed on GitHub (the old name redirects): the sweep of its
 *   org keeps its webhook and deploy key, naming the link and the old name, and apply leaves them;
 * - a user's private repositories are swept with the user's own token, and a sweep through anyone
 *   else's token says that only public repositories were covered;
 * - an archived repository, unarchived on GitHub, has its orphan deleted by the next apply.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { ROOT, runCli } from "../support/cli-harness.js";

const SEED = join(ROOT, "test/fixtures/worlds/sweep.yaml");
const CONFIG = join(ROOT, "test/fixtures/worlds/sweep.sourcelinks.yaml");
const LIVE_HOOK = "https://cloud.docker.com/api/build/v1/vcs/22222222-aaaa-4bbb-8ccc-000000000001/trigger/call/";

let sandbox: SandboxHandle;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: SEED });
});

afterAll(async () => {
  await sandbox?.close();
});

beforeEach(async () => {
  await sandbox.reset();
});

const env = (token?: string): Record<string, string> => ({
  ...sandbox.env,
  SOURCELINKS_ETAG_CACHE: "off",
  ...(token === undefined ? {} : { GITHUB_TOKEN: token }),
});

interface SweepPlan {
  resource: string;
  name: string;
  steps: { kind: string; repository?: string }[];
  manualSteps: { id: string }[];
  kept?: { repository?: string; keptFor: string[] }[];
  observed: { repositoriesSwept: number; publicOnly?: boolean };
}

async function sweepPlan(config: string, name: string, token?: string): Promise<SweepPlan> {
  const run = await runCli(["plan", config, "--format", "json"], env(token));
  expect(run.code, run.stderr).toBe(0);
  const found = (JSON.parse(run.stdout) as { resources: SweepPlan[] }).resources.find((r) => r.resource === "sweep" && r.name === name);
  if (!found) throw new Error(`no sweep ${name} in the plan`);
  return found;
}

/** A config of the sweep world's links with only the sweep of user ops. */
function opsOnlyConfig(): string {
  const text = readFileSync(CONFIG, "utf8")
    .replace(/ {2}- \{ provider: github, owner: acme, exclude: \["acme\/sandbox-\*"\] \}\n/, "")
    .replace(/ {2}- \{ provider: bitbucket, owner: acme-team \}\n/, "");
  const file = join(mkdtempSync(join(tmpdir(), "sourcelinks-sweep-identity-")), "ops.yaml");
  writeFileSync(file, text);
  return file;
}

function tokenOf(login: string): string {
  const token = sandbox.world().github.tokens.find((t) => t.login === login && t.kind === "pat" && !t.revoked)?.token;
  if (token === undefined) throw new Error(`no PAT of ${login}`);
  return token;
}

describe("a sweep after a repository was renamed", () => {
  it("keeps the webhook and deploy key of a repository a live link names by its old name, says why, and apply leaves them", async () => {
    const renamed = await fetch(`${sandbox.baseUrl}/github/repos/acme/api`, {
      method: "PATCH",
      headers: { authorization: `token ${tokenOf("ops")}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "api-next" }),
    });
    expect(renamed.status).toBe(200);
    const repo = sandbox.world().github.repos.find((r) => r.name === "api-next")!;
    const before = { hooks: repo.hooks.map((h) => h.config.url), keys: repo.keys.map((k) => k.title) };
    expect(before).toEqual({ hooks: [LIVE_HOOK], keys: ["Docker Hub Builder"] });

    const acme = await sweepPlan(CONFIG, "sweep-github-acme");
    expect(acme.steps.filter((s) => s.repository === "acme/api-next")).toEqual([]);
    expect(acme.kept?.filter((k) => k.repository === "acme/api-next").map((k) => k.keptFor)).toEqual([
      ["acme-api (as acme/api)", expect.stringMatching(/^acme\/\d+ \(acme-builder\) \(as acme\/api\)$/)],
      ["acme-api (as acme/api)", expect.stringMatching(/^acme\/\d+ \(acme-builder\) \(as acme\/api\)$/)],
    ]);

    const apply = await runCli(["apply", CONFIG, "--yes"], env());
    expect(apply.code, apply.stderr + apply.stdout).toBe(0);
    const after = sandbox.world().github.repos.find((r) => r.id === repo.id)!;
    expect({ hooks: after.hooks.map((h) => h.config.url), keys: after.keys.map((k) => k.title) }).toEqual(before);
    // The orphans elsewhere were still deleted: identity matching keeps only what a live link uses.
    expect(
      sandbox
        .world()
        .github.repos.find((r) => r.name === "forgotten")
        ?.keys.map((k) => k.title),
    ).toEqual(["deploy-bot"]);
  });
});

describe("a sweep of an archived repository", () => {
  it("gives the unarchive step; once the repository is unarchived on GitHub, plan deletes the orphan instead and apply does", async () => {
    const first = await sweepPlan(CONFIG, "sweep-github-acme");
    expect(first.manualSteps.map((m) => m.id)).toEqual(["unarchive:github:acme:frozen"]);
    expect(first.steps.filter((s) => s.repository === "acme/frozen")).toEqual([]);

    const unarchived = await fetch(`${sandbox.baseUrl}/github/repos/acme/frozen`, {
      method: "PATCH",
      headers: { authorization: `token ${tokenOf("ops")}`, "content-type": "application/json" },
      body: JSON.stringify({ archived: false }),
    });
    expect(unarchived.status).toBe(200);

    const second = await sweepPlan(CONFIG, "sweep-github-acme");
    expect(second.manualSteps).toEqual([]);
    expect(second.steps.filter((s) => s.repository === "acme/frozen").map((s) => s.kind)).toEqual(["delete-webhook"]);
    const apply = await runCli(["apply", CONFIG, "--yes"], env());
    expect(apply.code, apply.stderr + apply.stdout).toBe(0);
    expect(sandbox.world().github.repos.find((r) => r.name === "frozen")?.hooks).toEqual([]);
  });
});

describe("a sweep of a GitHub user", () => {
  it("with the user's own token covers the private repositories too", async () => {
    const world = sandbox.world();
    world.github.repos.push({
      id: world.nextId++,
      owner: "ops",
      name: "private-tool",
      private: true,
      hooks: [
        {
          id: world.nextId++,
          active: true,
          events: ["push"],
          config: { url: "https://registry.hub.docker.com/hooks/github", content_type: "json", secret: null, insecure_ssl: "0" },
          created_at: "2024-01-01T00:00:00Z",
          updated_at: "2024-01-01T00:00:00Z",
          last_response: { code: null, status: "unused", message: null },
        },
      ],
      keys: [],
    });
    const ops = await sweepPlan(opsOnlyConfig(), "operator-repos");
    expect(ops.observed.repositoriesSwept).toBe(2);
    expect(ops.observed.publicOnly).toBeUndefined();
    expect(ops.steps.map((s) => [s.kind, s.repository])).toEqual([
      ["delete-webhook", "ops/dotfiles"],
      ["delete-webhook", "ops/private-tool"],
    ]);
  });

  it("through another account's token says plainly that private repositories were not swept, and check --live does not pass it", async () => {
    const dotfiles = sandbox.world().github.repos.find((r) => r.owner === "ops" && r.name === "dotfiles")!;
    dotfiles.private = true;
    const config = opsOnlyConfig();
    const ops = await sweepPlan(config, "operator-repos", tokenOf("acme-builder"));
    expect([ops.observed.repositoriesSwept, ops.observed.publicOnly, ops.steps]).toEqual([0, true, []]);
    const text = await runCli(["plan", config], env(tokenOf("acme-builder")));
    expect(text.stdout).toContain(
      "observed: 0 public repositories of github ops: 0 covered artifacts, 0 leftover, 0 orphaned, public repositories only: GitHub lists another user's private repositories to no one else, so they were not swept",
    );
    // check --live does not pass what it did not see.
    const check = await runCli(["check", config, "--live", "--format", "json"], env(tokenOf("acme-builder")));
    expect(check.code, check.stderr).toBe(3);
    const violations = (
      JSON.parse(check.stdout) as { violations: { ruleId: string; resource: string; enforcement: string; message: string }[] }
    ).violations;
    expect(violations.filter((v) => v.resource === "operator-repos").map((v) => [v.ruleId, v.enforcement, v.message])).toEqual([
      [
        "no-orphaned-build-service-artifacts",
        "mandatory",
        `sweep "operator-repos" covered the public repositories of user ops only: GitHub lists a user's private repositories to that user and to apps installed on the account, so whether they hold build-service artifacts was not observed: run with ops's own token (GITHUB_TOKEN) or a GitHub App installed on ops, which list its private repositories too`,
      ],
    ]);
    // Nor does the report: the owner is not swept, so nothing is proven retired there.
    const report = await runCli(["report", config, "--format", "json"], env(tokenOf("acme-builder")));
    expect(report.code, report.stderr).toBe(0);
    const summary = (JSON.parse(report.stdout) as { summary: { retired: boolean; notProven: { reason: string; names: string[] }[] } })
      .summary;
    expect(summary.retired).toBe(false);
    expect(summary.notProven.find((n) => n.reason === "owners-not-swept")?.names).toContain(
      "github:ops (sweep operator-repos saw public repositories only)",
    );
  });
});
