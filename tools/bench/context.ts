/**
 * The operation context the benchmark runs the operations in: `createOperationContext`, paced for a
 * server that enforces GitHub's limits on a compressed clock when the scenario asks for it (by
 * default only api.github.com is paced).
 */
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import { InventoryStore } from "../../engine/clients/inventory-store.js";
import { VerificationStore } from "../../engine/clients/verification-store.js";
import { createOperationContext, type OperationContext } from "../../engine/reconcile/operations.js";
import { DEFAULT_REFRESH } from "../../engine/reconcile/refresh-owner.js";

/** How the benchmark's clients talk to GitHub. */
export interface BenchClientOptions {
  /** Requests in flight per credential, and repositories read at once per link. */
  concurrency: number;
  /** File that persists ETags between runs; none means no conditional requests at all. */
  etagCacheFile?: string;
  /** Pace GitHub's secondary budgets on this time scale (GitHub seconds per real second); absent: concurrency only. */
  pacedTimeScale?: number;
  /** Budgets other than github.com's documented ones, when the server enforces others (tests). */
  budgets?: { endpointPointsPerMinute?: number; contentCreatingPerMinute?: number };
  /** File that keeps each swept owner's verified inventory and audit log cursor; none: every sweep reads in full. */
  inventoryFile?: string;
  /** With `inventoryFile`: `--verify-slices N` (rolling reads where there is no audit log). */
  verifySlices?: number;
  /** File that keeps replacement builds' verifications between runs (carried over while a default branch has not moved); none: every build is verified in full. */
  verificationFile?: string;
  /** Bitbucket's webhook-data budget is paced on this time scale (Bitbucket seconds per real second); default real time. */
  bitbucketTimeScale?: number;
}

/** An operation context for `config` in `env`, built from the real clients. */
export function benchContext(config: SourcelinksConfig, env: NodeJS.ProcessEnv, options: BenchClientOptions): OperationContext {
  const ctx = createOperationContext(config, env, {
    concurrency: options.concurrency,
    ...(options.etagCacheFile === undefined ? {} : { etagCacheFile: options.etagCacheFile }),
    ...(options.pacedTimeScale === undefined
      ? {}
      : { githubPacing: { ...options.budgets, budgets: true, timeScale: options.pacedTimeScale } }),
    ...(options.bitbucketTimeScale === undefined ? {} : { bitbucketPacing: { timeScale: options.bitbucketTimeScale } }),
  });
  if (options.inventoryFile !== undefined)
    ctx.refresh = {
      overlapMs: DEFAULT_REFRESH.overlapMs,
      ...(options.verifySlices === undefined ? {} : { overrides: { slices: { value: options.verifySlices, name: "--verify-slices" } } }),
      store: new InventoryStore(options.inventoryFile),
      now: Date.now,
    };
  if (options.verificationFile !== undefined)
    ctx.verifications = {
      store: new VerificationStore(options.verificationFile),
      verifyEveryMs: DEFAULT_REFRESH.verifyEveryMs,
      now: Date.now,
    };
  return ctx;
}
