import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LazyFileEtagCache } from "../../engine/clients/lazy-etag-cache.js";

const dir = mkdtempSync(join(tmpdir(), "sourcelinks-lazy-etags-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const URL = "https://api.example/repos/acme/api/hooks";
const ANSWER = { etag: '"1"', data: [{ id: 1 }], link: null };
const advice = "this run goes on without persisting it (set SOURCELINKS_ETAG_CACHE to a writable file path, or to off)";

/** Uses the cache as a run does: a read, a write, then save; returns the warning. */
async function runWith(cache: LazyFileEtagCache): Promise<string | null> {
  expect(cache.get("scope", URL)).toBeUndefined();
  cache.set("scope", URL, ANSWER);
  // Still a working cache for this run, in memory.
  expect(cache.get("scope", URL)).toEqual(ANSWER);
  await cache.save();
  return cache.warning;
}

describe("LazyFileEtagCache on a path that cannot hold it", () => {
  it("a named pipe is neither read (which would block forever) nor written: a warning, and the pipe is left alone", async () => {
    const fifo = join(dir, "etags.fifo");
    execFileSync("mkfifo", [fifo]);
    expect(await runWith(new LazyFileEtagCache(fifo))).toBe(
      `warning: ETag cache ${fifo} is a named pipe (FIFO), not a regular file; ${advice}`,
    );
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it("/dev/full (reads never end, writes fail) is not touched: a warning, and the device stays a device", async () => {
    expect(await runWith(new LazyFileEtagCache("/dev/full"))).toBe(
      `warning: ETag cache /dev/full is a device, not a regular file; ${advice}`,
    );
    expect(lstatSync("/dev/full").isCharacterDevice()).toBe(true);
  });

  it("a path under a regular file (ENOTDIR) is a warning", async () => {
    const file = join(dir, "plain");
    writeFileSync(file, "x");
    expect(await runWith(new LazyFileEtagCache(join(file, "etags.json")))).toBe(
      `warning: ETag cache ${join(file, "etags.json")} cannot be used (ENOTDIR); ${advice}`,
    );
  });

  it("a write the file system refuses is a warning, not an error", async () => {
    const path = "/proc/self/sourcelinks-etags.json";
    expect(await runWith(new LazyFileEtagCache(path))).toBe(`warning: ETag cache ${path} could not be written (ENOENT); ${advice}`);
  });

  it("a regular file is read and written, with no warning", async () => {
    const file = join(dir, "etags.json");
    expect(await runWith(new LazyFileEtagCache(file))).toBeNull();
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ version: 1, entries: [[`scope ${URL}`, ANSWER]] });
    expect(new LazyFileEtagCache(file).get("scope", URL)).toEqual(ANSWER);
  });
});
