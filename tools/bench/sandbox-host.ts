#!/usr/bin/env node
/**
 * `node dist/tools/bench/sandbox-host.js`: a sandbox serving a generated scale world, in its own process so
 * its memory is not counted against the workload. Options come as JSON in `BENCH_SANDBOX`
 * (`SandboxHostOptions`); prints `{"baseUrl", "env"}` on one line like `sourcelinks sandbox`, then
 * serves until SIGTERM/SIGINT.
 */
import type { LimitsConfig } from "../sandbox/limits.js";
import { generateScaleWorld, type ScaleWorldOptions } from "../sandbox/scale-world.js";
import { startSandbox } from "../sandbox/server.js";
import { loadSeed } from "../sandbox/seed.js";
import { shardedSeed, type ShardedWorldOptions } from "./sharded-world.js";

/** How the benchmark's sandbox is started. */
export interface SandboxHostOptions {
  world: ScaleWorldOptions;
  /** Scenario (h): a sharded world (several orgs, one app installation each) instead of `world`. */
  shards?: ShardedWorldOptions;
  timeScale: number;
  limits: Partial<LimitsConfig>;
}

async function main(): Promise<void> {
  const raw = process.env["BENCH_SANDBOX"];
  if (raw === undefined) throw new Error("sandbox-host: BENCH_SANDBOX is not set");
  const options = JSON.parse(raw) as SandboxHostOptions;
  const seed = options.shards ? loadSeed(shardedSeed(options.shards), "sharded-world") : generateScaleWorld(options.world);
  const sandbox = await startSandbox({ seed, timeScale: options.timeScale, limits: options.limits });
  process.stdout.write(`${JSON.stringify({ baseUrl: sandbox.baseUrl, env: sandbox.env })}\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  await sandbox.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`sandbox-host: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
