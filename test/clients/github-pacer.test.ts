import { describe, expect, it } from "vitest";
import { Pacer, type PacerClock } from "../../engine/clients/pacer.js";

/** A clock that only moves when told to; timers fire in order as it advances. */
class ManualClock implements PacerClock {
  t = 0;
  #timers: { at: number; fn: () => void; id: number }[] = [];
  #ids = 0;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.#ids;
    this.#timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle);
  }
  /** Moves time forward, firing due timers and letting promise callbacks run. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await flush();
    for (;;) {
      this.#timers.sort((a, b) => a.at - b.at);
      const next = this.#timers[0];
      if (!next || next.at > end) break;
      this.#timers.shift();
      this.t = next.at;
      next.fn();
      await flush();
    }
    this.t = end;
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** Schedules `n` instant requests and records when each one started. */
function burst(pacer: Pacer, clock: ManualClock, n: number, method: string, endpoint: string): number[] {
  const started: number[] = [];
  for (let i = 0; i < n; i++) {
    void pacer.schedule({ method, endpoint }, async () => {
      started.push(clock.now());
    });
  }
  return started;
}

describe("Pacer", () => {
  it("keeps at most `concurrency` requests in flight", async () => {
    const pacer = new Pacer({ concurrency: 2, budgets: false });
    let inFlight = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const jobs = Array.from({ length: 5 }, () =>
      pacer.schedule({ method: "GET", endpoint: "GET /x" }, () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        return new Promise<void>((resolve) =>
          releases.push(() => {
            inFlight--;
            resolve();
          }),
        );
      }),
    );
    await flush();
    expect(releases).toHaveLength(2);
    while (releases.length > 0) {
      releases.shift()!();
      await flush();
    }
    await Promise.all(jobs);
    expect(peak).toBe(2);
  });

  it("spends at most the endpoint's points per minute, then waits for the window", async () => {
    const clock = new ManualClock();
    const pacer = new Pacer({ clock, endpointPointsPerMinute: 10 });
    const started = burst(pacer, clock, 15, "GET", "GET /repos/{}/{}/hooks");
    await clock.advance(59_999);
    expect(started).toHaveLength(10);
    await clock.advance(1);
    expect(started).toHaveLength(15);
    expect(started.slice(10)).toEqual([60_000, 60_000, 60_000, 60_000, 60_000]);
    expect(pacer.stats().budgetWaits).toBe(5);
  });

  it("charges writes 5 points and keeps endpoints apart", async () => {
    const clock = new ManualClock();
    const pacer = new Pacer({ clock, endpointPointsPerMinute: 10, contentCreatingPerMinute: 100 });
    const deletes = burst(pacer, clock, 3, "DELETE", "DELETE /repos/{}/{}/hooks/{}");
    const reads = burst(pacer, clock, 10, "GET", "GET /repos/{}/{}/keys");
    await clock.advance(1);
    expect(deletes).toHaveLength(2);
    expect(reads).toHaveLength(10);
    await clock.advance(60_000);
    expect(deletes).toHaveLength(3);
  });

  it("limits content-creating requests across endpoints, and not deletes, which create no content", async () => {
    const clock = new ManualClock();
    const pacer = new Pacer({ clock, contentCreatingPerMinute: 3 });
    const a = burst(pacer, clock, 2, "PUT", "PUT /a");
    const b = burst(pacer, clock, 2, "POST", "POST /b");
    const reads = burst(pacer, clock, 4, "GET", "GET /c");
    const deletes = burst(pacer, clock, 4, "DELETE", "DELETE /d");
    await clock.advance(1);
    expect(a.length + b.length).toBe(3);
    expect(reads).toHaveLength(4);
    expect(deletes).toHaveLength(4);
    await clock.advance(60_000);
    expect(a.length + b.length).toBe(4);
  });

  it("limits content-creating requests per hour, past what each minute allows", async () => {
    const clock = new ManualClock();
    const pacer = new Pacer({ clock, contentCreatingPerMinute: 2, contentCreatingPerHour: 5 });
    const started = burst(pacer, clock, 7, "POST", "POST /a");
    await clock.advance(1);
    expect(started).toEqual([0, 0]);
    await clock.advance(2 * 60_000);
    // Two a minute until the hour's five are spent; the sixth waits for the first to leave the hour.
    expect(started).toEqual([0, 0, 60_000, 60_000, 120_000]);
    await clock.advance(3_600_000 - 2 * 60_000 - 2);
    expect(started).toHaveLength(5);
    await clock.advance(2);
    expect(started).toEqual([0, 0, 60_000, 60_000, 120_000, 3_600_000, 3_600_000]);
  });

  it("compresses the minute by timeScale", async () => {
    const clock = new ManualClock();
    const pacer = new Pacer({ clock, endpointPointsPerMinute: 2, timeScale: 60 });
    const started = burst(pacer, clock, 3, "GET", "GET /x");
    await clock.advance(999);
    expect(started).toHaveLength(2);
    await clock.advance(1);
    expect(started).toEqual([0, 0, 1000]);
  });

  it("counts a window from when the answer arrived, so slow requests cannot overlap windows", async () => {
    const clock = new ManualClock();
    const pacer = new Pacer({ clock, endpointPointsPerMinute: 1 });
    const started: number[] = [];
    void pacer.schedule({ method: "GET", endpoint: "GET /x" }, async () => {
      started.push(clock.now());
      await new Promise<void>((resolve) => clock.setTimeout(resolve, 5_000));
    });
    void pacer.schedule({ method: "GET", endpoint: "GET /x" }, async () => {
      started.push(clock.now());
    });
    await clock.advance(64_999);
    expect(started).toEqual([0]);
    await clock.advance(1);
    expect(started).toEqual([0, 65_000]);
  });

  it("holds requests when the primary budget is spent until x-ratelimit-reset", async () => {
    const clock = new ManualClock();
    clock.t = 1_000_000;
    const pacer = new Pacer({ clock });
    pacer.observePrimary(0, 1_005);
    const started = burst(pacer, clock, 2, "GET", "GET /x");
    await clock.advance(4_999);
    expect(started).toEqual([]);
    await clock.advance(1);
    expect(started).toEqual([1_005_000, 1_005_000]);
  });

  it("paces nothing but concurrency when budgets are off (GHES)", async () => {
    const clock = new ManualClock();
    const pacer = new Pacer({ clock, budgets: false, endpointPointsPerMinute: 1 });
    pacer.observePrimary(0, 9_999_999);
    const started = burst(pacer, clock, 50, "DELETE", "DELETE /x");
    await clock.advance(0);
    expect(started).toHaveLength(50);
  });

  it("passes the result and the failure of each request through", async () => {
    const pacer = new Pacer({ budgets: false });
    await expect(pacer.schedule({ method: "GET", endpoint: "GET /x" }, async () => 42)).resolves.toBe(42);
    await expect(pacer.schedule({ method: "GET", endpoint: "GET /x" }, async () => Promise.reject(new Error("boom")))).rejects.toThrow(
      "boom",
    );
    expect(pacer.stats()).toEqual({ inFlight: 0, queued: 0, budgetWaits: 0 });
  });

  it("rejects nonsense configuration with a message naming the field", () => {
    expect(() => new Pacer({ timeScale: 0 })).toThrow(/timeScale must be a positive number/);
    expect(() => new Pacer({ concurrency: -1 })).toThrow(/concurrency/);
  });
});
