/**
 * The listings a replacement's observation reads on GitHub are read to their last page over loopback
 * against the sandbox: a branch's pull requests and an org secret's selected repositories beyond the
 * first 100.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { proposalTargets } from "../../engine/builds/proposal.js";
import type { BuildSpec } from "../../engine/model/build-spec.js";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import { createOperationContext } from "../../engine/reconcile/context.js";
import { observeReplacement } from "../../engine/reconcile/observe-replacement.js";
import type { GitHubPullState } from "../../sandbox/world.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { githubRepo, loadDemoConfig } from "../support/demo-config.js";

let sandbox: SandboxHandle;
let demoConfig: () => SourcelinksConfig;

beforeAll(async () => {
  demoConfig = await loadDemoConfig();
  sandbox = await startSandbox({});
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const STAMP = "2026-11-01T10:00:00Z";

function build(overrides: Partial<BuildSpec> = {}): BuildSpec {
  return {
    image: "acme/api",
    provider: "github",
    repository: "acme/api",
    autotest: "off",
    rules: [{ sourceType: "branch", source: "main", tag: "latest", dockerfile: "Dockerfile", context: "/", autobuild: true, cache: false }],
    env: {},
    secrets: { NPM_TOKEN: "NPM_READ" },
    registry: { login: "token" },
    secretScope: "repository",
    ...overrides,
  };
}

function observe(spec: BuildSpec) {
  const ctx = createOperationContext({ ...demoConfig(), builds: [spec] }, { ...sandbox.env });
  return observeReplacement(ctx, proposalTargets([spec])[0]!);
}

async function gh(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${sandbox.env.SOURCELINKS_GITHUB_API_URL}${path}`, {
    method,
    headers: { authorization: `token ${sandbox.env.GITHUB_TOKEN}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

function pull(number: number, head: string, merged: boolean): GitHubPullState {
  return {
    number,
    id: 9_000 + number,
    title: `proposal ${number}`,
    body: null,
    head,
    base: "main",
    state: "closed",
    merged,
    mergeCommitSha: null,
    user: "jdoe",
    created_at: STAMP,
    updated_at: STAMP,
    closed_at: STAMP,
    merged_at: merged ? STAMP : null,
    mergedBy: merged ? "jdoe" : null,
  };
}

describe("listings a replacement's observation reads on GitHub", () => {
  it("finds the merged pull request the proposal branch's head came from behind 130 newer closed ones, so the branch may be reset", async () => {
    const spec = build();
    const branch = proposalTargets([spec])[0]!.branch;
    // Someone's branch at main's head (no sourcelinks commit), which pull request #1 merged.
    const main = await gh("GET", "/repos/acme/api/git/ref/heads/main");
    const sha = (main.body as { object: { sha: string } }).object.sha;
    expect((await gh("POST", "/repos/acme/api/git/refs", { ref: `refs/heads/${branch}`, sha })).status).toBe(201);
    // GitHub lists the newest first: the merged one (#1) is on the second page of 100.
    githubRepo(sandbox.world(), "acme/api").pulls = Array.from({ length: 131 }, (_, i) => pull(i + 1, branch, i === 0));
    const observed = await observe(spec);
    expect(observed.branchUse).toBe("reset");
    expect(observed.held).toBeNull();
    expect(sandbox.counters().byEndpoint["GET /github/repos/:owner/:repo/pulls"]).toBe(2);
  });

  it("finds the repository among an org secret's 150 selected repositories", async () => {
    const spec = build({ secretScope: "organization" });
    const world = sandbox.world();
    const api = githubRepo(world, "acme/api");
    // 150 other repositories selected before acme/api: it is on the second page of 100.
    const others = Array.from({ length: 150 }, (_, i) => ({
      id: 700_000 + i,
      owner: "acme",
      name: `service-${i}`,
      private: true,
      hooks: [],
      keys: [],
    }));
    world.github.repos.unshift(...others);
    const target = proposalTargets([spec])[0]!;
    const acme = world.github.orgs.find((o) => o.login === "acme")!;
    acme.secrets = target.secrets.map((s) => ({
      name: s.name.toUpperCase(),
      value: "sealed-elsewhere",
      created_at: STAMP,
      updated_at: STAMP,
      visibility: "selected" as const,
      selectedRepositoryIds: [...others.map((o) => o.id), api.id],
    }));
    const secrets = (await observe(spec)).secrets;
    expect(Object.keys(secrets).length).toBe(target.secrets.length);
    expect(Object.values(secrets).every((state) => state === "present")).toBe(true);
  });
});
