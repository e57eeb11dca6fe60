/**
 * The inventory of an org as a sweep reads it: the listing pages and each repository's webhooks by
 * REST, each listing page's deploy keys by one GraphQL query; a second read of an unchanged org is all
 * 304s (0 REST primary points) and pays GraphQL's points again (no conditional requests there).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfigTexts } from "../../engine/config/load.js";
import { inventoryOwner } from "../../engine/reconcile/inventory-owner.js";
import { createOperationContext } from "../../engine/reconcile/operations.js";
import { scaleConfigText, type ScaleShape } from "../../tools/bench/scale-config.js";
import type { CountersSnapshot } from "../../sandbox/counters.js";
import { generateScaleWorld, SCALE_ORG } from "../../sandbox/scale-world.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";

/** 250 repositories, every 10th with the build service's webhook and deploy key; 2 with 120 hooks. */
const SHAPE: ScaleShape = { links: 5, repositories: 250, foreignHooksPerRepo: 1, multiPageRepos: 2, hooksPerMultiPageRepo: 120 };

let sandbox: SandboxHandle;
let dir: string;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: generateScaleWorld({ ...SHAPE, artifactsEvery: 10 }) });
  dir = await mkdtemp(join(tmpdir(), "sourcelinks-inventory-"));
});
afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

const count = (before: CountersSnapshot, after: CountersSnapshot, endpoint: string): number =>
  (after.byEndpoint[endpoint] ?? 0) - (before.byEndpoint[endpoint] ?? 0);
const points = (s: CountersSnapshot): number => Object.values(s.primaryPointsByToken).reduce((a, b) => a + b, 0);

describe("inventoryOwner", () => {
  it("lists every repository with all its webhooks and deploy keys at one REST request per repository plus pages, and GraphQL per page", async () => {
    const config = loadConfigTexts([{ file: "scale.yaml", text: scaleConfigText(SHAPE) }]).config;
    const read = async () => {
      const before = sandbox.counters();
      const ctx = createOperationContext(config, sandbox.env, { etagCacheFile: join(dir, "etags.json"), concurrency: 16 });
      const inventory = await inventoryOwner(ctx, "github", SCALE_ORG);
      await ctx.clients.flush?.();
      return { inventory, before, after: sandbox.counters() };
    };

    const first = await read();
    expect(first.inventory.ownerType).toBe("org");
    expect(first.inventory.repositories).toHaveLength(250);
    const repo10 = first.inventory.repositories.find((r) => r.repository === `${SCALE_ORG}/repo-10`)!;
    expect(repo10.webhooks.map((h) => h.url)).toEqual([
      expect.stringMatching(/^https:\/\/cloud\.docker\.com\//) as unknown,
      `https://ci.scale.example/hooks/10/0`,
    ]);
    expect(repo10.deployKeys).toEqual([{ id: expect.stringMatching(/^\d+$/) as unknown, title: "Docker Hub Builder", readOnly: true }]);
    expect(first.inventory.repositories.filter((r) => r.deployKeys.length > 0)).toHaveLength(25);
    expect(count(first.before, first.after, "GET /github/orgs/:org/repos")).toBe(3);
    expect(count(first.before, first.after, "GET /github/repos/:owner/:repo/hooks")).toBe(250 + 2);
    expect(count(first.before, first.after, "POST /github/graphql")).toBe(3);
    expect(count(first.before, first.after, "GET /github/repos/:owner/:repo/keys")).toBe(0);

    const second = await read();
    expect(second.inventory).toEqual(first.inventory);
    expect(points(second.after) - points(second.before)).toBe(0);
    expect(second.after.notModified - second.before.notModified).toBe(3 + 252);
    expect(second.after.graphql.points - second.before.graphql.points).toBe(3);
  });

  it("reports an owner that does not exist", async () => {
    const config = loadConfigTexts([{ file: "scale.yaml", text: scaleConfigText(SHAPE) }]).config;
    const ctx = createOperationContext(config, sandbox.env);
    expect(await inventoryOwner(ctx, "github", "no-such-org")).toEqual({
      provider: "github",
      owner: "no-such-org",
      ownerType: null,
      repositories: [],
      excluded: 0,
      publicOnly: false,
    });
  });
});
