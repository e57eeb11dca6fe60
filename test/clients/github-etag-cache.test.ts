import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { credentialScope, EtagCache } from "../../engine/clients/etag-cache.js";
import { Secret } from "../../engine/model/secret.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "sourcelinks-etag-cache-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("EtagCache", () => {
  it("scopes entries by a hash of the credential, never the credential", async () => {
    const raw = `test-token-${Date.now()}`;
    const scope = credentialScope(new Secret(raw));
    expect(scope).not.toContain(raw);
    expect(scope).toBe(credentialScope(new Secret(raw)));
    expect(scope).not.toBe(credentialScope(new Secret(`${raw}x`)));
    const file = join(dir, "etags.json");
    const cache = new EtagCache({ file });
    cache.set(scope, "https://api.example/repos/a/b/hooks", { etag: '"1"', data: [1], link: null });
    expect(cache.get(scope, "https://api.example/repos/a/b/hooks")?.etag).toBe('"1"');
    expect(cache.get(credentialScope(null), "https://api.example/repos/a/b/hooks")).toBeUndefined();
    await cache.save();
    expect(await readFile(file, "utf8")).not.toContain(raw);
  });

  it("saves atomically and loads back; a missing file is an empty cache", async () => {
    const file = join(dir, "sub", "etags.json");
    expect(EtagCache.fromFile(file).size).toBe(0);
    const cache = new EtagCache({ file });
    cache.set("s", "u1", { etag: '"a"', data: { x: 1 }, link: '<u2>; rel="next"' });
    await cache.save();
    expect((await readdir(join(dir, "sub"))).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const loaded = EtagCache.fromFile(file);
    expect(loaded.get("s", "u1")).toEqual({ etag: '"a"', data: { x: 1 }, link: '<u2>; rel="next"' });
  });

  it("refuses a corrupt file with a message that says what to do", async () => {
    const file = join(dir, "etags.json");
    await writeFile(file, "{not json");
    expect(() => EtagCache.fromFile(file)).toThrow(/not valid JSON: delete it/);
  });

  it("invalidates by URL across scopes and evicts the least recently used", () => {
    const cache = new EtagCache({ maxEntries: 2 });
    cache.set("a", "https://h/repos/o/r/hooks", { etag: '"1"', data: [], link: null });
    cache.set("b", "https://h/repos/o/r/keys", { etag: '"2"', data: [], link: null });
    expect(cache.invalidate((url) => url.includes("/repos/o/r/"))).toBe(2);
    cache.set("a", "1", { etag: '"1"', data: [], link: null });
    cache.set("a", "2", { etag: '"2"', data: [], link: null });
    cache.get("a", "1");
    cache.set("a", "3", { etag: '"3"', data: [], link: null });
    expect(cache.get("a", "2")).toBeUndefined();
    expect(cache.get("a", "1")).toBeDefined();
  });
});
