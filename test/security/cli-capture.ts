/**
 * Runs the built CLI (test/support/cli-harness.ts) at most `CLI_CONCURRENCY` processes at a time, and
 * turns each run, and each file a run left behind, into labelled outputs for the canary search.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { runCli, type CliRun } from "../support/cli-harness.js";
import type { Output } from "./canaries.js";

/** CLI processes in flight at once (the machine has two cores; each run is mostly waiting on loopback HTTP). */
export const CLI_CONCURRENCY = 4;

let free = CLI_CONCURRENCY;
const waiting: (() => void)[] = [];

async function slot<T>(task: () => Promise<T>): Promise<T> {
  if (free > 0) free--;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await task();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else free++;
  }
}

/** One CLI run and its outputs, labelled `SCENARIO: sourcelinks ARGS (stdout|stderr)`. */
export interface CapturedRun extends CliRun {
  command: string;
  outputs: Output[];
}

/** Runs `sourcelinks ARGS` with `env` as its whole environment, in a bounded slot. */
export async function capture(scenario: string, args: readonly string[], env: Record<string, string>): Promise<CapturedRun> {
  const run = await slot(() => runCli(args, env));
  const command = `sourcelinks ${args.map((a) => (a.includes("/") ? a.slice(a.lastIndexOf("/") + 1) : a)).join(" ")}`;
  return {
    ...run,
    command,
    outputs: [
      { where: `${scenario}: ${command} (stdout)`, text: run.stdout },
      { where: `${scenario}: ${command} (stderr)`, text: run.stderr },
    ],
  };
}

/** Runs several commands concurrently (each in a bounded slot). */
export function captureAll(
  scenario: string,
  commands: readonly (readonly string[])[],
  env: Record<string, string>,
): Promise<CapturedRun[]> {
  return Promise.all(commands.map((args) => capture(scenario, args, env)));
}

/** Every file under `dir` (e.g. the ETag cache a run persisted under its HOME), as outputs. */
export function filesUnder(scenario: string, dir: string): Output[] {
  const out: Output[] = [];
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push({ where: `${scenario}: file ${relative(dir, path)}`, text: readFileSync(path, "utf8") });
    }
  };
  walk(dir);
  return out;
}

/** A short description of a run for assertion messages (its streams, already safe to print after redaction). */
export function describeRun(run: CapturedRun, redact: (text: string) => string): string {
  return redact(`${run.command} exited ${run.code}\n--- stdout\n${run.stdout.slice(0, 1500)}\n--- stderr\n${run.stderr.slice(0, 1500)}`);
}
