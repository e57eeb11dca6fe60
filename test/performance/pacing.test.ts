/**
 * Pacing (docs/performance.md): with the sandbox enforcing GitHub's secondary limits on a compressed clock
 * and a workload several windows larger than one window's budget, a refresh and an apply complete
 * with no request rejected, because the client spends each budget no faster than it is granted.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { benchContext } from "../../tools/bench/context.js";
import { scaleConfigText, type ScaleShape } from "../../tools/bench/scale-config.js";
import { apply, refresh } from "../../tools/bench/workloads.js";
import { createGitHubClients } from "../../engine/clients/github/index.js";
import { Secret } from "../../engine/model/secret.js";
import { loadConfigTexts } from "../../engine/config/load.js";
import type { LimitsConfig } from "../../sandbox/limits.js";
import { generateScaleWorld } from "../../sandbox/scale-world.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";

/** 12 links over 60 repositories: 60 webhook listings, three times the per-endpoint budget below. */
const SHAPE: ScaleShape = { links: 12, repositories: 60, foreignHooksPerRepo: 1, multiPageRepos: 0, hooksPerMultiPageRepo: 0 };
/** A GitHub minute lasts 200 ms. */
const TIME_SCALE = 300;
/** Small budgets so a small world spans several windows: 20 points per endpoint, 5 writes per minute. */
const LIMITS: LimitsConfig = {
  enabled: true,
  primaryPointsPerHour: 10_000,
  maxConcurrent: 100,
  endpointPointsPerMinute: 20,
  contentCreatingPerMinute: 5,
  contentCreatingPerHour: 500,
  graphqlPointsPerHour: 5000,
  graphqlEndpointPointsPerMinute: 2000,
};
const HOOK_LIST = "GET /github/repos/:owner/:repo/hooks";
const HOOK_DELETE = "DELETE /github/repos/:owner/:repo/hooks/:hook_id";

let sandbox: SandboxHandle;
/** When set, the sandbox's clock stands still, so a burst lands in one window however slow the machine. */
let frozenAt: number | null = null;

beforeAll(async () => {
  sandbox = await startSandbox({
    seed: generateScaleWorld(SHAPE),
    timeScale: TIME_SCALE,
    limits: LIMITS,
    now: () => frozenAt ?? Date.now(),
  });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  await sandbox.reset();
  // Fresh windows for each test, as a pause of an hour of GitHub time would give.
  sandbox.setLimits({});
});

/** Rejections for limits the client could know (every reason but injected faults). */
function knowableRejections(before: Record<string, number>, after: Record<string, number>): number {
  return Object.keys(after)
    .filter((k) => k !== "injected")
    .reduce((n, k) => n + (after[k] ?? 0) - (before[k] ?? 0), 0);
}

describe("under enforced limits", () => {
  it("the workload exceeds one window: unpaced listings are rejected", async () => {
    const before = sandbox.counters();
    const github = createGitHubClients({
      apiUrl: sandbox.env.SOURCELINKS_GITHUB_API_URL,
      token: new Secret(sandbox.env.GITHUB_TOKEN),
      concurrency: 16,
      pacing: { budgets: false },
      rateLimitRetries: 0,
    });
    const repos = Array.from({ length: SHAPE.repositories }, (_, r) => `scale/repo-${r}`);
    // Octokit's first request pays for its setup; the burst that follows is what the limit sees.
    await github.provider.listWebhooks(repos[0]!);
    frozenAt = Date.now();
    const results = await Promise.allSettled(repos.map((repo) => github.provider.listWebhooks(repo))).finally(() => (frozenAt = null));
    expect(results.filter((r) => r.status === "rejected").length).toBeGreaterThan(0);
    expect(sandbox.counters().rejections["secondary-points"]).toBeGreaterThan(before.rejections["secondary-points"]);
  });

  it("a paced refresh reads every repository once with no rejection", async () => {
    const config = loadConfigTexts([{ file: "scale.yaml", text: scaleConfigText(SHAPE) }]).config;
    const ctx = benchContext(config, sandbox.env, { concurrency: 16, pacedTimeScale: TIME_SCALE, budgets: LIMITS });
    const before = sandbox.counters();
    const summary = await refresh(ctx, config.links);
    const after = sandbox.counters();

    expect(summary).toMatchObject({ repositories: SHAPE.repositories, missingRepositories: 0, buildServiceWebhooks: SHAPE.repositories });
    expect(knowableRejections(before.rejections, after.rejections)).toBe(0);
    // Exactly one listing per repository: nothing was refused and retried.
    expect((after.byEndpoint[HOOK_LIST] ?? 0) - (before.byEndpoint[HOOK_LIST] ?? 0)).toBe(SHAPE.repositories);
    expect(after.secondaryPoints[HOOK_LIST]!.peakWindow).toBeLessThanOrEqual(LIMITS.endpointPointsPerMinute);
  });

  it("a paced apply deletes more webhooks than one window allows with no rejection", async () => {
    const config = loadConfigTexts([{ file: "scale.yaml", text: scaleConfigText(SHAPE, { revokeEvery: 4 }) }]).config;
    const revokedRepos = config.links.filter((l) => l.state === "revoked").flatMap((l) => l.repositories);
    expect(revokedRepos.length).toBeGreaterThan(LIMITS.contentCreatingPerMinute);
    const ctx = benchContext(config, sandbox.env, { concurrency: 16, pacedTimeScale: TIME_SCALE, budgets: LIMITS });
    const before = sandbox.counters();
    const summary = await apply(ctx, config.links);
    const after = sandbox.counters();

    expect(summary.failedLinks).toBe(0);
    expect(knowableRejections(before.rejections, after.rejections)).toBe(0);
    expect((after.byEndpoint[HOOK_DELETE] ?? 0) - (before.byEndpoint[HOOK_DELETE] ?? 0)).toBe(revokedRepos.length);
    // Only the build service's webhooks went; every foreign webhook is still there.
    for (const name of revokedRepos) {
      const repo = sandbox.world().github.repos.find((r) => `${r.owner}/${r.name}` === name)!;
      expect(repo.hooks.map((h) => h.config.url)).toEqual([expect.stringMatching(/^https:\/\/ci\.scale\.example\//)]);
    }
  });
});
