import { describe, expect, it } from "vitest";
import { mapLimit, settleAll } from "../../engine/reconcile/map-limit.js";

describe("mapLimit", () => {
  it("keeps input order and never runs more than the limit at once", async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      // Yield a varying number of microtask turns so calls finish out of order.
      for (let i = 0; i < n; i++) await Promise.resolve();
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(peak).toBe(2);
  });

  it("rejects with the first failure and starts no new work after it", async () => {
    const started: number[] = [];
    const run = mapLimit([1, 2, 3, 4], 1, async (n) => {
      started.push(n);
      if (n === 2) throw new Error("boom");
      return n;
    });
    await expect(run).rejects.toThrow("boom");
    expect(started).toEqual([1, 2]);
  });
});

describe("settleAll", () => {
  it("settles every item in input order, never more than the limit at once, a failure stopping nothing", async () => {
    let running = 0;
    let peak = 0;
    const out = await settleAll([3, 0, 2, 1], 2, async (n, index) => {
      running++;
      peak = Math.max(peak, running);
      for (let i = 0; i < n; i++) await Promise.resolve();
      running--;
      if (index === 1) throw new Error(`item ${index} failed`);
      return n * 10;
    });
    expect(out).toEqual([
      { status: "fulfilled", value: 30 },
      { status: "rejected", reason: new Error("item 1 failed") },
      { status: "fulfilled", value: 20 },
      { status: "fulfilled", value: 10 },
    ]);
    expect(peak).toBe(2);
  });

  it("turns a synchronous throw into that item's rejection", async () => {
    const out = await settleAll(["a", "b"], 1, (item) => {
      if (item === "a") throw new Error("sync");
      return Promise.resolve(item);
    });
    expect(out).toEqual([
      { status: "rejected", reason: new Error("sync") },
      { status: "fulfilled", value: "b" },
    ]);
  });
});
