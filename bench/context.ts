/**
 * The operation context the benchmark runs the operations in: `createOperationContext`'s clients, with
 * the GitHub clients rebuilt when the run must pace for a server that enforces GitHub's limits on a
 * compressed clock. `ClientSettings` has no pacing option yet (only api.github.com is paced by
 * default), so this composes `createGitHubClients` with the same settings plus `pacing`.
 */
import { createGitHubClients } from "../clients/github/index.js";
import { LazyFileEtagCache } from "../clients/lazy-etag-cache.js";
import type { Clients } from "../clients/types.js";
import { resolveClientSettings } from "../config/runtime.js";
import type { SourcelinksConfig } from "../config/types.js";
import { createOperationContext, type OperationContext } from "../reconcile/operations.js";

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
}

/** An operation context for `config` in `env`, built from the real clients. */
export function benchContext(config: SourcelinksConfig, env: NodeJS.ProcessEnv, options: BenchClientOptions): OperationContext {
  const ctx = createOperationContext(config, env, {
    concurrency: options.concurrency,
    ...(options.etagCacheFile === undefined ? {} : { etagCacheFile: options.etagCacheFile }),
  });
  if (options.pacedTimeScale === undefined) return ctx;

  const github = resolveClientSettings(config, env).github;
  if (github === null) throw new Error("bench: the config declares no GitHub provider");
  const etagCache = options.etagCacheFile === undefined ? undefined : new LazyFileEtagCache(options.etagCacheFile);
  const paced = createGitHubClients({
    apiUrl: github.apiUrl,
    token: github.token,
    concurrency: options.concurrency,
    pacing: { ...options.budgets, budgets: true, timeScale: options.pacedTimeScale },
    ...(etagCache ? { etagCache } : {}),
  });
  const base = ctx.clients;
  const clients: Clients = {
    ...base,
    providers: { ...base.providers, github: paced.provider },
    githubGrants: paced.grants,
    githubOrgAccess: paced.orgAccess,
    flush: async () => {
      await etagCache?.save();
    },
  };
  return { ...ctx, clients };
}
