/**
 * What the ETag cache keeps of GitHub's listings (cached-fields.ts): only the fields the client reads,
 * on every page a paginator follows (a per-request option once meant to trim them never reached page 2),
 * for repositories, repository and org webhooks, and deploy keys; and a second run answered by 304s
 * from what was kept observes exactly what the first did.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OwnerRepository } from "../../engine/clients/types.js";
import { loadConfigTexts } from "../../engine/config/load.js";
import { createOperationContext } from "../../engine/reconcile/operations.js";
import { scaleConfigText, type ScaleShape } from "../../tools/bench/scale-config.js";
import { loadSeed } from "../../sandbox/seed.js";
import { SCALE_ORG, scaleSeed } from "../../sandbox/scale-world.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";

/** 150 repositories: two listing pages of 100; repo-0 has 120 hooks (two pages); every 10th has a deploy key. */
const SHAPE: ScaleShape = { links: 2, repositories: 150, foreignHooksPerRepo: 1, multiPageRepos: 1, hooksPerMultiPageRepo: 120 };

let sandbox: SandboxHandle;
let dir: string;
beforeAll(async () => {
  const seed = scaleSeed({ ...SHAPE, artifactsEvery: 10 });
  const github = seed.github!;
  // On the second listing page, so the kept fields of page 2 are read back too.
  github.repos![120]!.archived = true;
  github.repos![130]!.private = true;
  github.orgs![0]!.hooks = [
    { url: "https://cloud.docker.com/api/build/v1/org-hook/", events: ["push"], secret: "sbx-org-hook-secret" },
    { url: "https://ci.scale.example/org-hook", events: ["push", "release"], insecureSsl: true },
  ];
  sandbox = await startSandbox({ seed: loadSeed(seed, "cached-fields") });
  dir = await mkdtemp(join(tmpdir(), "sourcelinks-cached-fields-"));
});
afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

/** The persisted cache file's entries as `[path+query, data]`. */
async function cachedEntries(file: string): Promise<{ url: URL; data: unknown }[]> {
  const parsed = JSON.parse(await readFile(file, "utf8")) as { entries: [string, { data: unknown }][] };
  return parsed.entries.map(([key, entry]) => ({ url: new URL(key.slice(key.indexOf(" ") + 1)), data: entry.data }));
}

/** The sorted own keys of each item of a cached listing page. */
function itemKeys(data: unknown): string[][] {
  expect(Array.isArray(data)).toBe(true);
  return (data as Record<string, unknown>[]).map((item) => Object.keys(item).sort());
}

describe("the ETag cache of GitHub listings", () => {
  it("keeps only the fields read, on every page, and a run of 304s observes the same as the first run", async () => {
    const config = loadConfigTexts([{ file: "scale.yaml", text: scaleConfigText(SHAPE) }]).config;
    const file = join(dir, "etags.json");
    const read = async () => {
      const before = sandbox.counters();
      const ctx = createOperationContext(config, sandbox.env, { etagCacheFile: file });
      const owner = ctx.clients.owners!.github!;
      const provider = ctx.clients.providers.github!;
      const listing = await owner.repositoryPages(SCALE_ORG);
      const repositories: OwnerRepository[] = [];
      for await (const page of listing!.pages) repositories.push(...page);
      const observed = {
        ownerType: listing!.ownerType,
        repositories,
        orgHooks: await owner.listOrgWebhooks(SCALE_ORG),
        hooks0: await provider.listWebhooks(`${SCALE_ORG}/repo-0`),
        hooks10: await provider.listWebhooks(`${SCALE_ORG}/repo-10`),
        keys0: await provider.listDeployKeys(`${SCALE_ORG}/repo-0`),
        keys10: await provider.listDeployKeys(`${SCALE_ORG}/repo-10`),
      };
      await ctx.clients.flush?.();
      return { observed, before, after: sandbox.counters() };
    };

    const first = await read();
    expect(first.observed.repositories).toHaveLength(150);
    expect(first.observed.repositories.find((r) => r.repository === `${SCALE_ORG}/repo-120`)).toMatchObject({ archived: true });
    expect(first.observed.repositories.find((r) => r.repository === `${SCALE_ORG}/repo-130`)).toMatchObject({ private: true });
    expect(first.observed.orgHooks.map((h) => h.url)).toEqual([
      "https://cloud.docker.com/api/build/v1/org-hook/",
      "https://ci.scale.example/org-hook",
    ]);
    expect(first.observed.hooks0.items).toHaveLength(120);
    expect(first.observed.keys10.items).toEqual([
      { id: expect.stringMatching(/^\d+$/) as unknown, title: "Docker Hub Builder", readOnly: true },
    ]);

    const entries = await cachedEntries(file);
    const of = (pattern: RegExp) => entries.filter((e) => pattern.test(e.url.pathname));
    const repoPages = of(/\/orgs\/scale\/repos$/);
    const hookPages = of(/\/hooks$/);
    const keyPages = of(/\/keys$/);
    // Two pages of repositories, two of repo-0's hooks, one of repo-10's, one of the org's; a page of keys each.
    expect(repoPages).toHaveLength(2);
    expect(repoPages.map((e) => e.url.searchParams.get("page") ?? "1").sort()).toEqual(["1", "2"]);
    expect(hookPages).toHaveLength(4);
    expect(hookPages.filter((e) => e.url.searchParams.get("page") === "2")).toHaveLength(1);
    expect(keyPages).toHaveLength(2);

    for (const page of repoPages) {
      for (const keys of itemKeys(page.data)) expect(keys).toEqual(["archived", "full_name", "id", "private"]);
    }
    for (const page of hookPages) {
      for (const keys of itemKeys(page.data)) expect(keys).toEqual(["active", "config", "events", "id", "last_response"]);
      for (const hook of page.data as { config: Record<string, unknown> }[]) {
        expect(Object.keys(hook.config).every((k) => ["url", "secret", "insecure_ssl"].includes(k))).toBe(true);
        expect(hook.config).toHaveProperty("url");
      }
    }
    for (const page of keyPages) {
      for (const keys of itemKeys(page.data)) expect(keys).toEqual(["id", "read_only", "title"]);
    }
    const kept = JSON.stringify([...repoPages, ...hookPages, ...keyPages].map((e) => e.data));
    for (const dropped of ["ping_url", "created_at", "owner", "description", "node_id", "html_url"])
      expect(kept).not.toContain(`"${dropped}"`);

    const second = await read();
    expect(second.observed).toEqual(first.observed);
    const requests = second.after.requests - second.before.requests;
    expect(requests).toBeGreaterThanOrEqual(2 + 4 + 2);
    expect(second.after.notModified - second.before.notModified).toBe(requests);
  });
});
