#!/usr/bin/env node
/**
 * `node dist/tools/bench/shard-scenario.js`: one org's run of bench scenario (h), in its own process
 * as a CI matrix job would be: the GitHub part of a refresh (every repository's webhooks listed)
 * through the org's GitHub App installation, paced on the installation's own budgets. Parameters come
 * as JSON in `BENCH_SHARD`, the key in `SOURCELINKS_GITHUB_APP_KEY`, the API in
 * `SOURCELINKS_GITHUB_API_URL`. Prints one JSON line (`ShardOutcome`).
 */
import { createGitHubClients } from "../../engine/clients/github/index.js";
import { Secret } from "../../engine/model/secret.js";
import { mapLimit } from "../../engine/reconcile/map-limit.js";

/** What the parent passes in `BENCH_SHARD`. */
export interface ShardParams {
  org: string;
  repos: number;
  appId: number;
  installationId: number;
  concurrency: number;
  timeScale: number;
}

/** What one org's process prints. */
export interface ShardOutcome {
  org: string;
  /** Real seconds of the listing alone (process start excluded). */
  wallSeconds: number;
  repositories: number;
  buildServiceWebhooks: number;
  foreignWebhooks: number;
}

async function main(): Promise<void> {
  const params = JSON.parse(process.env["BENCH_SHARD"] ?? "null") as ShardParams | null;
  const key = process.env["SOURCELINKS_GITHUB_APP_KEY"];
  const apiUrl = process.env["SOURCELINKS_GITHUB_API_URL"];
  if (params === null || key === undefined || apiUrl === undefined)
    throw new Error("shard-scenario: BENCH_SHARD, SOURCELINKS_GITHUB_APP_KEY and SOURCELINKS_GITHUB_API_URL must be set");
  const gh = createGitHubClients({
    apiUrl,
    token: null,
    app: {
      appId: params.appId,
      privateKey: new Secret(key),
      privateKeyFile: null,
      keySource: "the env var SOURCELINKS_GITHUB_APP_KEY",
      installations: { [params.org]: params.installationId },
    },
    concurrency: params.concurrency,
    pacing: { budgets: true, timeScale: params.timeScale },
  });
  const repositories = Array.from({ length: params.repos }, (_, r) => `${params.org}/repo-${r}`);
  const started = performance.now();
  const listings = await mapLimit(repositories, params.concurrency, (repository) => gh.provider.listWebhooks(repository));
  const wallSeconds = (performance.now() - started) / 1000;
  const ours = listings.reduce((n, l) => n + l.items.filter((h) => h.url.startsWith("https://cloud.docker.com/")).length, 0);
  const all = listings.reduce((n, l) => n + l.items.length, 0);
  const outcome: ShardOutcome = {
    org: params.org,
    wallSeconds,
    repositories: listings.filter((l) => l.exists).length,
    buildServiceWebhooks: ours,
    foreignWebhooks: all - ours,
  };
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`shard-scenario: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
