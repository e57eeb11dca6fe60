import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FileStore, MemoryStore, StateFileError, writeAtomically, type StateStore } from "../../sandbox/store.js";
import { emptyWorld } from "../../sandbox/world.js";

const dir = (): string => mkdtempSync(join(tmpdir(), "sourcelinks-store-"));

describe("writeAtomically", () => {
  it("replaces the file and leaves no temp file behind", async () => {
    const d = dir();
    const path = join(d, "s.json");
    writeFileSync(path, "old");
    await writeAtomically(path, "new");
    expect(readFileSync(path, "utf8")).toBe("new");
    expect(readdirSync(d)).toEqual(["s.json"]);
  });

  it("fails without touching the target when the directory is missing", async () => {
    await expect(writeAtomically(join(dir(), "missing", "s.json"), "x")).rejects.toThrow(/ENOENT/);
  });
});

describe("FileStore", () => {
  it("group-commits a burst of saves and ends with the last state", async () => {
    const path = join(dir(), "state.json");
    const store = new FileStore(path);
    const world = emptyWorld();
    const saves: Promise<void>[] = [];
    for (let i = 0; i < 50; i++) {
      world.nextId = 2000 + i;
      saves.push(store.save(world));
    }
    await Promise.all(saves);
    expect(JSON.parse(readFileSync(path, "utf8")).nextId).toBe(2049);
    expect(store.load()?.nextId).toBe(2049);
    await store.close();
  });

  it("loads nothing when the file does not exist, and refuses garbage", () => {
    const d = dir();
    expect(new FileStore(join(d, "none.json")).load()).toBeUndefined();
    writeFileSync(join(d, "bad.json"), "{");
    expect(() => new FileStore(join(d, "bad.json")).load()).toThrow(StateFileError);
  });

  it("rejects the save when the write fails", async () => {
    const store = new FileStore(join(dir(), "missing", "state.json"));
    await expect(store.save(emptyWorld())).rejects.toThrow(/ENOENT/);
    await store.close();
  });
});

describe("MemoryStore", () => {
  it("has nothing to resume", async () => {
    const store: StateStore = new MemoryStore();
    await store.save(emptyWorld());
    expect(store.load()).toBeUndefined();
  });
});
