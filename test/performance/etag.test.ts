/**
 * The ETag path (docs/performance.md): a second refresh through the real operations revalidates every
 * listing with `If-None-Match`, the sandbox answers 304 to each, and the refresh costs 0 primary points.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { scaleConfigText, type ScaleShape } from "../../tools/bench/scale-config.js";
import { refresh } from "../../tools/bench/workloads.js";
import { loadConfigTexts } from "../../engine/config/load.js";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import { createOperationContext, observeLinks } from "../../engine/reconcile/operations.js";
import type { CountersSnapshot } from "../../sandbox/counters.js";
import { generateScaleWorld } from "../../sandbox/scale-world.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";

/** 4 links over 12 repositories; 2 of them hold 120 hooks, two pages at per_page=100. */
const SHAPE: ScaleShape = { links: 4, repositories: 12, foreignHooksPerRepo: 1, multiPageRepos: 2, hooksPerMultiPageRepo: 120 };
const HOOK_LISTINGS = SHAPE.repositories + SHAPE.multiPageRepos;

let sandbox: SandboxHandle;
let config: SourcelinksConfig;
let dir: string;
let etagFile: string;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: generateScaleWorld(SHAPE) });
  config = loadConfigTexts([{ file: "scale.yaml", text: scaleConfigText(SHAPE) }]).config;
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  await sandbox.reset();
  dir = await mkdtemp(join(tmpdir(), "sourcelinks-etag-"));
  etagFile = join(dir, "etags.json");
  return () => rm(dir, { recursive: true, force: true });
});

/** One refresh in a context of its own (as a new CLI run would build), counting its GitHub traffic. */
async function refreshOnce(): Promise<{ counters: Traffic; observed: Awaited<ReturnType<typeof observeLinks>> }> {
  const before = sandbox.counters();
  const ctx = createOperationContext(config, sandbox.env, { etagCacheFile: etagFile, concurrency: 8 });
  const observed = await observeLinks(ctx, config.links);
  await ctx.clients.flush?.();
  const after = sandbox.counters();
  return { counters: diff(before, after), observed };
}

describe("a second refresh with nothing changed", () => {
  it("sends If-None-Match for every listing page, gets 304s and spends no primary point", async () => {
    const first = await refreshOnce();
    expect(first.counters.notModified).toBe(0);
    expect(first.counters.primary).toBe(HOOK_LISTINGS);

    const second = await refreshOnce();
    // The webhook listings, plus one GraphQL query for the 12 repositories' deploy keys.
    expect(second.counters.github).toBe(HOOK_LISTINGS + 1);
    expect(second.counters.notModified).toBe(HOOK_LISTINGS);
    expect(second.counters.primary).toBe(0);
    // GraphQL has no conditional requests: the deploy keys cost their query's point again, from GraphQL's own budget.
    expect(second.counters.graphqlPoints).toBe(1);
    // The cached bodies stand in for the 304s: the same world is observed, multi-page lists included.
    expect(second.observed).toEqual(first.observed);
  });

  it("pays only for what changed: a repository with a new hook is re-read, the rest stay 304", async () => {
    await refreshOnce();
    const repo = sandbox.world().github.repos.find((r) => r.name === "repo-3")!;
    repo.hooks.push({
      ...structuredClone(repo.hooks[1]!),
      id: 9_999_999,
      config: { ...repo.hooks[1]!.config, url: "https://ci.scale.example/hooks/new" },
    });

    const second = await refreshOnce();
    expect(second.counters.primary).toBe(1);
    expect(second.counters.notModified).toBe(HOOK_LISTINGS - 1);
    const observed = second.observed.flatMap((o) => o.repositories).find((r) => r.repository === "scale/repo-3")!;
    expect(observed.foreignWebhookCount).toBe(2);
  });

  it("without an ETag cache nothing is revalidated and every listing costs a point", async () => {
    const ctx = createOperationContext(config, sandbox.env, { concurrency: 8 });
    await refresh(ctx, config.links);
    const before = sandbox.counters();
    await refresh(ctx, config.links);
    const second = diff(before, sandbox.counters());
    expect(second.notModified).toBe(0);
    expect(second.primary).toBe(HOOK_LISTINGS);
  });
});

/** GitHub requests, 304s, REST primary points and GraphQL points of a stretch of time. */
interface Traffic {
  github: number;
  notModified: number;
  primary: number;
  graphqlPoints: number;
}

/** The traffic between two snapshots. */
function diff(before: CountersSnapshot, after: CountersSnapshot): Traffic {
  const points = (s: CountersSnapshot): number => Object.values(s.primaryPointsByToken).reduce((a, b) => a + b, 0);
  return {
    github: (after.byService["github"] ?? 0) - (before.byService["github"] ?? 0),
    notModified: after.notModified - before.notModified,
    primary: points(after) - points(before),
    graphqlPoints: after.graphql.points - before.graphql.points,
  };
}
