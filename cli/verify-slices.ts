/**
 * `--verify-slices N` of plan, check and report: a Bitbucket sweep then re-reads one slice of N of
 * the workspace (and every repository with the build service's artifacts), so a workspace larger than
 * Bitbucket's 1,000 webhook-data requests an hour is covered in N runs, each repository at most N − 1
 * runs old (engine/reconcile/rolling-sweep.ts). The memory lives beside the ETag cache.
 */
import { dirname, join } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { FileSweepMemory, InMemorySweepMemory } from "../engine/clients/sweep-memory-file.js";
import type { OperationContext } from "../engine/reconcile/operations.js";
import { etagCachePath } from "./context.js";

/** Largest N accepted: past it a repository would go unverified for longer than any schedule means. */
const MAX_SLICES = 1000;

/** The option's value: a whole number from 1 to 1,000. */
export function parseSlices(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_SLICES) throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_SLICES}`);
  return n;
}

/** Adds `--verify-slices` to a command. */
export function addVerifySlicesOption(command: Command): Command {
  return command.option(
    "--verify-slices <n>",
    "Bitbucket sweeps re-read 1/N of each workspace per run (plus every repository with the build service's artifacts); each repository is verified at least every N runs",
    parseSlices,
  );
}

/** Where rolling sweeps keep their memory: beside the ETag cache; memory only when it is off or no cache folder is known. */
export function sweepMemoryPath(env: NodeJS.ProcessEnv): string | undefined {
  const etags = etagCachePath(env);
  return etags === undefined ? undefined : join(dirname(etags), "sweep-memory.json");
}

/** Turns rolling sweeps on in `ctx` when `slices` is given. */
export function applyVerifySlices(ctx: OperationContext, slices: number | undefined, env: NodeJS.ProcessEnv, now: () => Date): void {
  if (slices === undefined) return;
  const file = sweepMemoryPath(env);
  ctx.rolling = { slices, store: file === undefined ? new InMemorySweepMemory() : new FileSweepMemory(file), now };
}
