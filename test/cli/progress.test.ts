/**
 * Progress of long runs on a pipe: a `phase: done/total` line at most every interval, plus the line
 * that completes the phase (a fake clock, no waiting); on a terminal every step. And the CLI on a
 * pipe, end to end; and a cancelled confirmation, which is not a success.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { progressPrinter } from "../../cli/progress.js";
import { runCli as runInProcess } from "../../cli/program.js";
import type { CliIo } from "../../cli/io.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { EXAMPLE, ROOT, ensureBuilt, runCli } from "./cli-harness.js";

describe("progressPrinter", () => {
  it("on a pipe writes a phase's first step, then at most one line per interval, and its last step", () => {
    let t = 0;
    const lines: string[] = [];
    const sink = progressPrinter((l) => lines.push(l), false, { now: () => t, intervalMs: 5_000 });
    for (let done = 1; done <= 100; done++) {
      t += 400; // 100 steps over 40 s
      sink("observe", done, 100, `link ${done}`);
    }
    expect(lines).toEqual(["observe: 1/100", "observe: 14/100", "observe: 27/100", "observe: 40/100", "observe: 53/100", "observe: 66/100", "observe: 79/100", "observe: 92/100", "observe: 100/100"]);
  });

  it("throttles each phase on its own", () => {
    const t = 0;
    const lines: string[] = [];
    const sink = progressPrinter((l) => lines.push(l), false, { now: () => t, intervalMs: 5_000 });
    sink("observe", 1, 3, "a");
    sink("observe", 2, 3, "b");
    sink("apply", 1, 2, "x");
    sink("observe", 3, 3, "c");
    expect(lines).toEqual(["observe: 1/3", "apply: 1/2", "observe: 3/3"]);
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

  it("shows done/total on a pipe, not one line per step", async () => {
    const run = await runCli(["plan", EXAMPLE], { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" });
    expect(run.code).toBe(0);
    const progress = run.stderr.split("\n").filter((l) => l.startsWith("observe"));
    expect(progress[0]).toBe("observe: 1/5");
    expect(progress.at(-1)).toBe("observe: 5/5");
    expect(progress.length).toBeLessThan(5);
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
