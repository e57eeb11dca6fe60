/**
 * The rolling sweeps' memory file: a file that is not a memory is an empty memory (the next run reads
 * in full, never trusting it), and two owners saved by one run at once are both kept.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FileSweepMemory } from "../../engine/clients/sweep-memory-file.js";
import type { OwnerMemory } from "../../engine/model/sweep-memory.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function file(): string {
  const dir = mkdtempSync(join(tmpdir(), "sourcelinks-memory-"));
  dirs.push(dir);
  return join(dir, "nested", "sweep-memory.json");
}

const memory = (run: number): OwnerMemory => ({
  slices: 4,
  nextSlice: run % 4,
  run,
  repositories: {
    "ws/a": {
      id: "{a}",
      private: true,
      archived: false,
      webhooks: [],
      deployKeys: [],
      verifiedRun: run,
      verifiedAt: "2026-12-01T00:00:00.000Z",
    },
  },
});

describe("the sweep memory file", () => {
  it("reads a missing, malformed or foreign file as an empty memory", async () => {
    const path = file();
    expect(await new FileSweepMemory(path).load("bitbucket:ws")).toBeNull();
    for (const text of [
      "{not json",
      JSON.stringify({ version: 2, owners: {} }),
      JSON.stringify({ version: 1, owners: { "bitbucket:ws": { run: "x" } } }),
    ]) {
      await new FileSweepMemory(path).save("other", memory(1));
      writeFileSync(path, text);
      expect(await new FileSweepMemory(path).load("bitbucket:ws")).toBeNull();
    }
  });

  it("keeps every owner saved in one run, written atomically where the cache folder does not exist yet", async () => {
    const path = file();
    const store = new FileSweepMemory(path);
    await Promise.all([store.save("bitbucket:one", memory(1)), store.save("bitbucket:two", memory(2))]);
    const again = new FileSweepMemory(path);
    expect(await again.load("bitbucket:one")).toEqual(memory(1));
    expect(await again.load("bitbucket:two")).toEqual(memory(2));
    expect(Object.keys((JSON.parse(readFileSync(path, "utf8")) as { owners: object }).owners).sort()).toEqual([
      "bitbucket:one",
      "bitbucket:two",
    ]);
  });
});
