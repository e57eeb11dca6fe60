/**
 * `sourcelinks apply` killed with SIGKILL at seeded points between its changes, then run again: the
 * re-run converges to exactly the world an uninterrupted apply makes. After every kill nothing
 * foreign is gone, and `plan` still shows whatever the dead run left undone (no half-revoked link
 * goes unnoticed). A proxy holds the change the kill lands at until the process is gone, so each
 * kill cuts the run at its seeded change, whatever the machine's load.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../../sandbox/faults.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { EXAMPLE, MAIN, ensureBuilt, runCli } from "../support/cli-harness.js";
import { changesSent, fingerprint, foreignThings, KILL_ENV, killAtChange, worldWithForeignKeys } from "../support/fault-harness.js";

const SEEDS = [5101, 5202, 5303];

let baseline: unknown;
/** Changes an uninterrupted apply sends. */
let changes: number;
const sandboxes: SandboxHandle[] = [];

function cliEnv(sandbox: SandboxHandle): Record<string, string> {
  return { PATH: process.env.PATH ?? "", ...sandbox.env, ...KILL_ENV };
}

async function newSandbox(): Promise<SandboxHandle> {
  const sandbox = await startSandbox({ seed: worldWithForeignKeys() });
  sandboxes.push(sandbox);
  return sandbox;
}

/**
 * Runs `apply --yes` and SIGKILLs it at its `at`th change, which the sandbox then receives (`made`) or
 * never sees; resolves whether the run got that far and was killed.
 */
async function applyKilledAt(sandbox: SandboxHandle, at: number, made: boolean): Promise<boolean> {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const trap = await killAtChange(sandbox, at, {
    made,
    kill: async () => {
      child?.kill("SIGKILL");
      await exited;
    },
  });
  try {
    child = spawn(process.execPath, [MAIN, "apply", EXAMPLE, "--yes"], { env: { ...cliEnv(sandbox), ...trap.env }, stdio: "ignore" });
    const started = child;
    exited = new Promise<void>((resolve) => started.once("exit", () => resolve()));
    await exited;
    await trap.settled();
    return trap.sprung();
  } finally {
    await trap.close();
  }
}

beforeAll(async () => {
  await ensureBuilt();
  const clean = await newSandbox();
  const run = await runCli(["apply", EXAMPLE, "--yes"], cliEnv(clean));
  expect(run.code, run.stderr).toBe(0);
  baseline = fingerprint(clean.world());
  changes = changesSent(clean);
  expect(changes).toBeGreaterThanOrEqual(8);
}, 240_000);

afterAll(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
});

describe.concurrent("apply killed with SIGKILL, then run again", () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: two kills at random changes, then a re-run converges, losing nothing`, async ({ expect }) => {
      const random = mulberry32(seed);
      const sandbox = await newSandbox();
      const foreign = foreignThings(sandbox.world());

      for (let kill = 1; kill <= 2; kill++) {
        // Between the first change and the last one an uninterrupted run would still send.
        const after = 1 + Math.floor(random() * Math.max(1, changes - 2));
        const killed = await applyKilledAt(sandbox, after, random() < 0.5);
        expect(foreignThings(sandbox.world()), `after kill ${kill}`).toEqual(foreign);
        // The first run has all `changes` ahead of it, so it is always cut; a re-run may finish first.
        if (kill === 1) expect(killed).toBe(true);
        if (!killed) break;
        const plan = await runCli(["plan", EXAMPLE, "--detailed-exitcode"], cliEnv(sandbox));
        const converged = JSON.stringify(fingerprint(sandbox.world())) === JSON.stringify(baseline);
        expect(plan.code, `plan after kill ${kill} at change ${after}: ${plan.stdout}${plan.stderr}`).toBe(converged ? 0 : 4);
      }

      const rerun = await runCli(["apply", EXAMPLE, "--yes"], cliEnv(sandbox));
      expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
      expect(fingerprint(sandbox.world())).toEqual(baseline);
      expect(foreignThings(sandbox.world())).toEqual(foreign);
      const plan = await runCli(["plan", EXAMPLE, "--detailed-exitcode"], cliEnv(sandbox));
      expect(plan.code, plan.stdout).toBe(0);
    }, 120_000);
  }
});
