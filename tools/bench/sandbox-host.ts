#!/usr/bin/env node
/**
 * `node dist/tools/bench/sandbox-host.js`: a sandbox serving a generated scale world, in its own process so
 * its memory is not counted against the workload. Options come as JSON in `BENCH_SANDBOX`
 * (`SandboxHostOptions`); prints `{"baseUrl", "env"}` on one line like `sourcelinks sandbox`, then
 * serves until SIGTERM/SIGINT.
 */
import type { LimitsConfig } from "../../sandbox/limits.js";
import type { BitbucketLimitsConfig } from "../../sandbox/bitbucket/limits.js";
import { bitbucketScaleSeed, type BitbucketScaleOptions } from "../../sandbox/bitbucket-scale-world.js";
import { scaleSeed, SCALE_ORG, type ScaleWorldOptions } from "../../sandbox/scale-world.js";
import { startSandbox } from "../../sandbox/server.js";
import { loadSeed, type SeedDocument } from "../../sandbox/seed.js";
import { shardedSeed, type ShardedWorldOptions } from "./sharded-world.js";

/** How the benchmark's sandbox is started. */
export interface SandboxHostOptions {
  world: ScaleWorldOptions;
  /** Scenario (h): a sharded world (several orgs, one app installation each) instead of `world`. */
  shards?: ShardedWorldOptions;
  /** Scenario (d2): a GitHub App installed on the scale org, so a refresh can run as the app. */
  app?: ScaleApp;
  timeScale: number;
  limits: Partial<LimitsConfig>;
  /** Scenario (j): a generated Bitbucket workspace instead of `world`. */
  bitbucket?: BitbucketScaleOptions;
  /** Bitbucket's webhook-data limit; Bitbucket Cloud's 1,000 an hour when absent. */
  bitbucketLimits?: Partial<BitbucketLimitsConfig>;
}

/** The GitHub App of scenario (d2): its id, the scale org's installation, and the public half of a key made for the run. */
export interface ScaleApp {
  appId: number;
  installationId: number;
  publicKey: string;
}

/** The scale world's seed with the app installed on the scale org (it reads webhooks and deploy keys). */
function withApp(seed: SeedDocument, app: ScaleApp): SeedDocument {
  const github = seed.github ?? {};
  const permissions = { metadata: "read", repository_hooks: "read", administration: "read" } as const;
  return {
    ...seed,
    github: {
      ...github,
      apps: [{ id: app.appId, publicKey: app.publicKey, installations: [{ id: app.installationId, owner: SCALE_ORG, permissions }] }],
    },
  };
}

async function main(): Promise<void> {
  const raw = process.env["BENCH_SANDBOX"];
  if (raw === undefined) throw new Error("sandbox-host: BENCH_SANDBOX is not set");
  const options = JSON.parse(raw) as SandboxHostOptions;
  const seed = options.bitbucket
    ? loadSeed(bitbucketScaleSeed(options.bitbucket), "bitbucket-scale-world")
    : options.shards
      ? loadSeed(shardedSeed(options.shards), "sharded-world")
      : loadSeed(options.app ? withApp(scaleSeed(options.world), options.app) : scaleSeed(options.world), "scale-world");
  const sandbox = await startSandbox({
    seed,
    timeScale: options.timeScale,
    limits: options.limits,
    ...(options.bitbucketLimits ? { bitbucketLimits: options.bitbucketLimits } : {}),
  });
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
