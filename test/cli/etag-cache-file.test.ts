/**
 * The ETag cache only saves requests: a cache file that cannot be read as a cache (cut short, the
 * wrong shapes, a symbolic link to someone else's file) is a warning on stderr naming the file, and
 * the run goes on without it, with the same result as a run without a cache. The file is left as it is.
 */
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { EXAMPLE, runCli } from "../support/cli-harness.js";

let sandbox: SandboxHandle;
let tmp: string;
/** The plan of a run without a cache file: what every run below must print. */
let expected: string;

/**
 * The plan less the note on how the sweep was read: the inventories kept beside the cache file make
 * the sweep's note differ from a run without a cache (full read, then refreshed from the audit log).
 */
function withoutRefreshNote(text: string): string {
  return text.replace(/, (full read \(|refreshed from the audit log: )[^\n]*/g, "");
}

beforeAll(async () => {
  sandbox = await startSandbox({});
  tmp = mkdtempSync(join(tmpdir(), "sourcelinks-etag-file-"));
  const run = await runCli(["plan", EXAMPLE], { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" });
  expect(run.code, run.stderr).toBe(0);
  expected = run.stdout;
}, 120_000);
afterAll(async () => {
  await sandbox?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const advice = "this run goes on without persisting it (set SOURCELINKS_ETAG_CACHE to a writable file path, or to off)";
const unknown = "has an unknown format";

const CONTENTS: { name: string; text: string; reason: string }[] = [
  { name: "cut short", text: '{"version":1,"entries":[["x', reason: "is not valid JSON" },
  {
    name: "an entry that is a number",
    text: '{"version":1,"entries":[5]}',
    reason: `${unknown} (entry 0 is not a [key, { etag, data, link }] pair)`,
  },
  {
    name: "entries that are an object",
    text: '{"version":1,"entries":{}}',
    reason: `${unknown} (expected version 1 and a list of entries)`,
  },
  {
    name: "an entry whose etag is not text",
    text: '{"version":1,"entries":[["anonymous https://x", {"etag": 5, "data": [], "link": null}]]}',
    reason: `${unknown} (entry 0 is not a [key, { etag, data, link }] pair)`,
  },
  { name: "JSON null", text: "null", reason: `${unknown} (expected version 1 and a list of entries)` },
];

describe("a cache file that is not a cache", () => {
  it.each(CONTENTS)(
    "$name: a warning naming the file, the same plan, exit 0, and the file left as it was",
    async ({ name, text, reason }) => {
      const file = join(tmp, `${name.replace(/\W+/g, "-")}.json`);
      writeFileSync(file, text);
      const run = await runCli(["plan", EXAMPLE], { ...sandbox.env, SOURCELINKS_ETAG_CACHE: file });
      expect({ code: run.code, stdout: withoutRefreshNote(run.stdout), stderr: run.stderr }).toEqual({
        code: 0,
        stdout: expected,
        stderr: `warning: ETag cache ${file} ${reason}: delete it to start a new cache; ${advice}\n`,
      });
      expect(readFileSync(file, "utf8")).toBe(text);
    },
  );

  it("a symbolic link (to /etc/passwd) is neither read nor replaced: a warning, the same plan, exit 0", async () => {
    const link = join(tmp, "etags-link.json");
    symlinkSync("/etc/passwd", link);
    const passwd = readFileSync("/etc/passwd", "utf8");
    const run = await runCli(["plan", EXAMPLE], { ...sandbox.env, SOURCELINKS_ETAG_CACHE: link });
    expect({ code: run.code, stdout: withoutRefreshNote(run.stdout), stderr: run.stderr }).toEqual({
      code: 0,
      stdout: expected,
      stderr: `warning: ETag cache ${link} is a symbolic link, not a regular file; ${advice}\n`,
    });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe("/etc/passwd");
    expect(readFileSync("/etc/passwd", "utf8")).toBe(passwd);
  });
});
