/**
 * Rolling sweeps of a Bitbucket workspace (`--verify-slices N`) over loopback: the first run reads
 * every repository, each later run re-reads one slice plus every repository holding the build
 * service's artifacts, so each repository is verified within N runs and an artifact that appears
 * anywhere is seen within N runs, while one that was known is re-read every run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InMemorySweepMemory } from "../../engine/clients/sweep-memory-file.js";
import { loadConfigTexts } from "../../engine/config/load.js";
import type { SweepObservation } from "../../engine/model/sweep.js";
import { createOperationContext } from "../../engine/reconcile/context.js";
import { observeSweep, SweepLinkWorld } from "../../engine/reconcile/observe-sweep.js";
import { BITBUCKET_SCALE_WORKSPACE, bitbucketScaleHookUrl, generateBitbucketScaleWorld } from "../../sandbox/bitbucket-scale-world.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";

const REPOSITORIES = 60;
const SLICES = 4;
const HOOK_LIST = "GET /bitbucket/2.0/repositories/:workspace/:repo_slug/hooks";
const CONFIG = [
  "apiVersion: sourcelinks/v1",
  "buildService:",
  "  kind: docker-hub",
  "  oauthApps: { bitbucket: { key: ScaleConsumerKey, name: Docker Hub Builder } }",
  "providers:",
  "  bitbucket: { usernameEnv: BITBUCKET_EMAIL, tokenEnv: BITBUCKET_API_TOKEN }",
  "links: []",
  `sweeps: [{ provider: bitbucket, owner: ${BITBUCKET_SCALE_WORKSPACE} }]`,
].join("\n");

let sandbox: SandboxHandle;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: generateBitbucketScaleWorld({ repositories: REPOSITORIES, artifactsEvery: 10 }) });
});
afterAll(() => sandbox.close());

/** One run of the sweep with the store the runs share, at a given time; what it observed and the listings it sent. */
async function run(store: InMemorySweepMemory, at: Date): Promise<{ observed: SweepObservation; listings: number }> {
  const { config } = loadConfigTexts([{ file: "sweep.yaml", text: CONFIG }]);
  const ctx = createOperationContext(config, sandbox.env);
  ctx.rolling = { slices: SLICES, store, now: () => at };
  const before = sandbox.counters().byEndpoint[HOOK_LIST] ?? 0;
  const observed = await observeSweep(ctx, config.sweeps?.[0] ?? expect.unreachable(), new SweepLinkWorld(ctx, config.links));
  return { observed, listings: (sandbox.counters().byEndpoint[HOOK_LIST] ?? 0) - before };
}

const orphanRepositories = (o: SweepObservation): string[] =>
  o.artifacts.filter((a) => a.kind === "repository-webhook").map((a) => a.repository ?? "");

describe("a rolling sweep of a Bitbucket workspace", () => {
  it("reads everything first, then one slice and the known artifacts per run, covering each repository within N runs", async () => {
    const store = new InMemorySweepMemory();
    const first = await run(store, new Date("2026-12-01T00:00:00Z"));
    expect(first.listings).toBe(REPOSITORIES);
    expect(first.observed.rolling).toMatchObject({ slices: SLICES, reread: REPOSITORIES, reused: 0, boundRuns: SLICES - 1 });
    const artifactRepos = orphanRepositories(first.observed);
    expect(artifactRepos).toHaveLength(REPOSITORIES / 10);

    // A build-service webhook appears on a repository that had none: some run within N sees it.
    const quiet = sandbox.world().bitbucket.repos.find((r) => r.slug === "repo-1")!;
    quiet.hooks.push({
      ...sandbox.world().bitbucket.repos[0]!.hooks[0]!,
      uuid: "{00000000-0000-4000-8000-00000000beef}",
      url: bitbucketScaleHookUrl(1),
    });

    let seenAt: number | null = null;
    for (let n = 1; n <= SLICES; n++) {
      const later = await run(store, new Date(Date.UTC(2026, 11, 1, n)));
      const staleness = later.observed.rolling!;
      expect(staleness.reread + staleness.reused).toBe(REPOSITORIES);
      // Only this run's slice and the repositories with known artifacts were listed.
      expect(later.listings).toBe(staleness.reread);
      expect(staleness.reread).toBeLessThan(REPOSITORIES / 2);
      expect(staleness.oldestVerifiedAt).not.toBeNull();
      // The known artifacts are re-read (and so still reported) every run.
      expect(orphanRepositories(later.observed)).toEqual(expect.arrayContaining(artifactRepos));
      if (seenAt === null && orphanRepositories(later.observed).includes(`${BITBUCKET_SCALE_WORKSPACE}/repo-1`)) seenAt = n;
    }
    expect(seenAt).not.toBeNull();
    expect(seenAt!).toBeLessThanOrEqual(SLICES);
  });

  it("verifies every repository at least once in any N consecutive runs", async () => {
    const store = new InMemorySweepMemory();
    await run(store, new Date("2026-12-02T00:00:00Z"));
    const before = await store.load(`bitbucket:${BITBUCKET_SCALE_WORKSPACE}`);
    for (let n = 1; n <= SLICES; n++) await run(store, new Date(Date.UTC(2026, 11, 2, n)));
    const after = await store.load(`bitbucket:${BITBUCKET_SCALE_WORKSPACE}`);
    const names = Object.keys(before!.repositories);
    expect(names).toHaveLength(REPOSITORIES);
    // After N more runs, no repository's observation is the first run's any more.
    expect(names.filter((name) => after!.repositories[name]!.verifiedRun === 1)).toEqual([]);
    expect(Math.min(...names.map((name) => after!.repositories[name]!.verifiedRun))).toBeGreaterThan(1);
  });
});
