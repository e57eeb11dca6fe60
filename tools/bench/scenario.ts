#!/usr/bin/env node
/**
 * `node dist/tools/bench/scenario.js <refresh|apply|naive|sweep>`: one benchmark workload in its own
 * process, so its peak memory is its own (the sandbox runs in another process). Parameters come as
 * JSON in `BENCH_SCENARIO`, credentials and URLs in the sandbox's environment variables. Prints one
 * JSON line (`ScenarioOutcome`) on stdout.
 */
import { loadConfigFiles } from "../../engine/config/load.js";
import { benchContext, type BenchClientOptions } from "./context.js";
import { sampleRss } from "./rss.js";
import {
  apply,
  bitbucketSweep,
  propose,
  refresh,
  naiveListing,
  sweep,
  verify,
  type ApplySummary,
  type ProposeSummary,
  type RefreshSummary,
  type VerifySummary,
} from "./workloads.js";

/** The workloads a scenario process can run. */
export const WORKLOADS = ["refresh", "apply", "naive", "sweep", "bitbucket-sweep", "propose", "verify"] as const;
/** One of `WORKLOADS`. */
export type WorkloadName = (typeof WORKLOADS)[number];

/** What the parent passes in `BENCH_SCENARIO`. */
export interface ScenarioParams extends BenchClientOptions {
  configFile: string;
  /** Only the first N declared links (the naive baseline's subset). */
  subsetLinks?: number;
}

/** What the scenario process prints. */
export interface ScenarioOutcome {
  workload: WorkloadName;
  /** Real seconds of the workload alone (config loading and process start excluded). */
  wallSeconds: number;
  peakRssBytes: number;
  sampledPeakBytes: number;
  maxRssBytes: number;
  summary: RefreshSummary | ApplySummary | ProposeSummary | VerifySummary;
}

async function main(): Promise<void> {
  const name = process.argv[2] as WorkloadName;
  if (!WORKLOADS.includes(name)) throw new Error(`usage: scenario.js <${WORKLOADS.join("|")}>`);
  const raw = process.env["BENCH_SCENARIO"];
  if (raw === undefined) throw new Error("scenario: BENCH_SCENARIO is not set");
  const params = JSON.parse(raw) as ScenarioParams;

  const rss = sampleRss();
  const { config } = await loadConfigFiles([params.configFile]);
  const ctx = benchContext(config, process.env, params);
  const started = performance.now();
  let summary: RefreshSummary | ApplySummary | ProposeSummary | VerifySummary;
  if (name === "bitbucket-sweep") {
    const spec = config.sweeps?.[0];
    if (spec === undefined) throw new Error("scenario: bitbucket-sweep needs a config with one sweep");
    summary = await bitbucketSweep(ctx, spec);
  } else if (name === "propose") {
    summary = await propose(ctx, config.builds ?? []);
  } else if (name === "verify") {
    summary = await verify(ctx, config.builds ?? []);
  } else {
    const run = { refresh, apply, naive: naiveListing, sweep }[name];
    summary = await run(ctx, config.links.slice(0, params.subsetLinks ?? config.links.length));
  }
  const wallSeconds = (performance.now() - started) / 1000;
  await ctx.clients.flush?.();
  await ctx.refresh?.store.save();
  await ctx.verifications?.store.save();
  const memory = rss.stop();
  const outcome: ScenarioOutcome = { workload: name, wallSeconds, ...memory, summary };
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`scenario: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
