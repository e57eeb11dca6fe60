/**
 * Progress of long runs on a pipe: a `phase: done/total` line once a phase has run for an interval,
 * then at most every interval, plus the line that completes it (a fake clock, no waiting); nothing
 * for a short run; on a terminal every step. And the CLI on a pipe, end to end; and a cancelled
 * confirmation, which is not a success.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { progressPrinter } from "../../cli/progress.js";
import { runCli as runInProcess } from "../../cli/program.js";
import type { CliIo } from "../../cli/io.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { EXAMPLE, ROOT, ensureBuilt, runCli } from "../support/cli-harness.js";

describe("progressPrinter", () => {
  it("on a pipe writes a line once the phase has run for an interval, then at most one per interval, and its last step", () => {
    let t = 0;
    const lines: string[] = [];
    const sink = progressPrinter((l) => lines.push(l), false, { now: () => t, intervalMs: 5_000 });
    for (let done = 1; done <= 100; done++) {
      t += 400; // 100 steps over 40 s
      sink("observe", done, 100, `link ${done}`);
    }
    expect(lines).toEqual([
      "observe: 14/100",
      "observe: 27/100",
      "observe: 40/100",
      "observe: 53/100",
      "observe: 66/100",
      "observe: 79/100",
      "observe: 92/100",
      "observe: 100/100",
    ]);
  });

  it("throttles each phase on its own", () => {
    let t = 0;
    const lines: string[] = [];
    const sink = progressPrinter((l) => lines.push(l), false, { now: () => t, intervalMs: 5_000 });
    sink("observe", 1, 3, "a");
    t = 6_000;
    sink("observe", 2, 3, "b");
    sink("apply", 1, 2, "x");
    t = 7_000;
    sink("observe", 3, 3, "c");
    t = 12_000;
    sink("apply", 2, 2, "y");
    expect(lines).toEqual(["observe: 2/3", "observe: 3/3", "apply: 2/2"]);
  });

  it("on a pipe writes nothing for a run shorter than the interval", () => {
    let t = 0;
    const lines: string[] = [];
    const sink = progressPrinter((l) => lines.push(l), false, { now: () => t, intervalMs: 5_000 });
    for (let done = 1; done <= 5; done++) {
      t += 100;
      sink("observe", done, 5, `link ${done}`);
    }
    expect(lines).toEqual([]);
  });

  it("on a terminal writes every step with what it was", () => {
    const lines: string[] = [];
    const sink = progressPrinter((l) => lines.push(l), true, { now: () => 0 });
    sink("apply", 1, 2, "legacy-builds: done unlink");
    sink("apply", 2, 2, "legacy-builds: done delete webhook");
    expect(lines).toEqual(["apply 1/2: legacy-builds: done unlink", "apply 2/2: legacy-builds: done delete webhook"]);
  });
});

describe("the CLI", () => {
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    await ensureBuilt();
    sandbox = await startSandbox({});
  });
  afterAll(async () => {
    await sandbox?.close();
  });
  beforeEach(async () => {
    await sandbox.reset();
  });

  it("reports each resource observed as done/total, and a slow phase on a pipe as throttled lines", async () => {
    // Each observed resource takes 3 s on this clock: a long run, without waiting for one.
    let t = 0;
    const lines: string[] = [];
    const io: CliIo = {
      out: () => undefined,
      err: () => undefined,
      progress: () => undefined,
      step: progressPrinter((l) => lines.push(l), false, { now: () => (t += 3_000), intervalMs: 5_000 }),
      interactive: false,
      ask: () => Promise.resolve(""),
      env: { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" },
    };
    expect(await runInProcess(["plan", EXAMPLE], io, ROOT)).toBe(0);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThan(5);
    // Three links, two org access entries and the sweep of acme.
    expect(lines.every((l) => /^observe: [1-6]\/6$/.test(l))).toBe(true);
    expect(lines.at(-1)).toBe("observe: 6/6");
  });

  it("prints no progress for a short run on a pipe: the log holds the result only", async () => {
    const run = await runCli(["plan", EXAMPLE], { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
  });

  it("exits 1 when the confirmation is answered with anything but yes, and sends nothing", async () => {
    const err: string[] = [];
    const io: CliIo = {
      out: () => undefined,
      err: (text) => void err.push(text),
      progress: () => undefined,
      interactive: true,
      ask: () => Promise.resolve("no"),
      env: { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" },
    };
    const before = sandbox.world().buildService.links.map((l) => l.state);
    expect(await runInProcess(["apply", EXAMPLE], io, ROOT)).toBe(1);
    expect(err).toContain("Apply cancelled; nothing was changed.");
    expect(sandbox.world().buildService.links.map((l) => l.state)).toEqual(before);
  });
});
