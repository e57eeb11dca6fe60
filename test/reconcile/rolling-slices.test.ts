import { describe, expect, it } from "vitest";
import { selectRollingSlice, sliceOf, stalenessBoundRuns } from "../../engine/reconcile/rolling-slices.js";

const repositories = Array.from({ length: 1000 }, (_, i) => `acme/repo-${i}`);

describe("rolling slices", () => {
  it("verifies every repository exactly once in N consecutive runs, about 1/N per run", () => {
    const seen = new Map<string, number>();
    let slice = 0;
    for (let run = 0; run < 4; run++) {
      const selection = selectRollingSlice({ repositories, slices: 4, slice });
      expect(selection.read.length + selection.reuse.length).toBe(1000);
      expect(selection.read.length).toBeGreaterThan(200);
      expect(selection.read.length).toBeLessThan(300);
      for (const r of selection.read) seen.set(r, (seen.get(r) ?? 0) + 1);
      slice = selection.nextSlice;
    }
    expect(slice).toBe(0);
    expect(seen.size).toBe(1000);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });

  it("reads the repositories that must be read every run whatever their slice", () => {
    const selection = selectRollingSlice({
      repositories,
      slices: 10,
      slice: 3,
      mustRead: (r) => r === "acme/repo-7" || r === "acme/repo-8",
    });
    expect(selection.read).toEqual(expect.arrayContaining(["acme/repo-7", "acme/repo-8"]));
    expect(selection.reuse).not.toContain("acme/repo-7");
  });

  it("places a repository by its name, whatever its case, and one slice reads everything", () => {
    expect(sliceOf("Acme/Repo-1", 7)).toBe(sliceOf("acme/repo-1", 7));
    expect(selectRollingSlice({ repositories, slices: 1, slice: 5 }).reuse).toEqual([]);
    expect(stalenessBoundRuns(4)).toBe(3);
    expect(() => sliceOf("a/b", 0)).toThrow(RangeError);
  });
});
