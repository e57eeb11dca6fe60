/**
 * Rolling reads of a Bitbucket workspace over loopback (the sweep's `verifySlices: N`, the sweeps'
 * refresh policy): after the first full read, each run lists one slice plus the repositories with known
 * build-service artifacts, so a webhook the build service leaves on a quiet repository is found
 * within N runs, and each run sends only the listings it reports.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InventoryStore } from "../../engine/clients/inventory-store.js";
import { loadConfigTexts } from "../../engine/config/load.js";
import type { SweepObservation } from "../../engine/model/sweep.js";
import { createOperationContext } from "../../engine/reconcile/context.js";
import { observeSweep, SweepLinkWorld } from "../../engine/reconcile/observe-sweep.js";
import { DEFAULT_REFRESH } from "../../engine/reconcile/refresh-owner.js";
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
  `sweeps: [{ provider: bitbucket, owner: ${BITBUCKET_SCALE_WORKSPACE}, verifySlices: ${SLICES} }]`,
].join("\n");

let sandbox: SandboxHandle;
let dir: string;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: generateBitbucketScaleWorld({ repositories: REPOSITORIES, artifactsEvery: 10 }) });
  dir = mkdtempSync(join(tmpdir(), "sourcelinks-rolling-"));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One run with the store the runs share: what it observed and the webhook listings it sent. */
async function run(store: InventoryStore): Promise<{ observed: SweepObservation; listings: number }> {
  const { config } = loadConfigTexts([{ file: "sweep.yaml", text: CONFIG }]);
  const ctx = createOperationContext(config, sandbox.env);
  ctx.refresh = { overlapMs: DEFAULT_REFRESH.overlapMs, store, now: () => Date.UTC(2026, 11, 1) };
  const before = sandbox.counters().byEndpoint[HOOK_LIST] ?? 0;
  const observed = await observeSweep(ctx, config.sweeps?.[0] ?? expect.unreachable(), new SweepLinkWorld(ctx, config.links));
  return { observed, listings: (sandbox.counters().byEndpoint[HOOK_LIST] ?? 0) - before };
}

const webhookRepositories = (o: SweepObservation): string[] =>
  o.artifacts.filter((a) => a.kind === "repository-webhook").map((a) => a.repository ?? "");

describe("rolling reads of a Bitbucket workspace", () => {
  it("finds an artifact left on a quiet repository within N runs, listing only one slice and the known artifacts each run", async () => {
    const store = new InventoryStore(join(dir, "inventories.json"));
    const first = await run(store);
    expect(first.listings).toBe(REPOSITORIES);
    const known = webhookRepositories(first.observed);
    expect(known).toHaveLength(REPOSITORIES / 10);

    const quiet = sandbox.world().bitbucket.repos.find((r) => r.slug === "repo-1")!;
    const template = sandbox.world().bitbucket.repos[0]!.hooks[0]!;
    quiet.hooks.push({ ...template, uuid: "{00000000-0000-4000-8000-00000000beef}", url: bitbucketScaleHookUrl(1) });

    let foundAt: number | null = null;
    for (let n = 1; n <= SLICES; n++) {
      const later = await run(store);
      expect(later.observed.refresh).toMatchObject({ mode: "rolling", stalenessBoundRuns: SLICES - 1 });
      expect(later.listings).toBe(later.observed.refresh?.reread);
      expect(later.listings).toBeLessThan(REPOSITORIES / 2);
      // The known artifacts are re-read, and so still reported, every run.
      expect(webhookRepositories(later.observed)).toEqual(expect.arrayContaining(known));
      if (foundAt === null && webhookRepositories(later.observed).includes(`${BITBUCKET_SCALE_WORKSPACE}/repo-1`)) foundAt = n;
    }
    expect(foundAt).not.toBeNull();
  });
});
