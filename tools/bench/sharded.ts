/**
 * Bench scenario (h): orgs of 2,500 repositories each, one GitHub App installation per org,
 * each org's run in its own process (as one CI matrix job per org), all at once against one sandbox
 * enforcing github.com's limits per installation. One org alone sets the reference; two, then four
 * orgs in parallel must stay within 1.2× of it, where one shared token would need the sum (its floor
 * is computed: the same listings on one budget).
 */
import { generateKeyPairSync } from "node:crypto";
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import type { LimitsConfig } from "../../sandbox/limits.js";
import type { Figure } from "./figures.js";
import { computeFloor, type Floor } from "./floor.js";
import { firstLine, SandboxProcess } from "./processes.js";
import type { ShardOutcome, ShardParams } from "./shard-scenario.js";
import { shardInstallation, shardOrg } from "./sharded-world.js";

/** How scenario (h) runs. */
export interface ShardedSettings {
  orgCounts: readonly number[];
  reposPerOrg: number;
  latencyMs: number;
  timeScale: number;
  limits: LimitsConfig;
  /** Requests in flight per org's process: together under the 100 GitHub allows at once. */
  concurrency: number;
}

/** One run of N orgs in parallel. */
interface ShardRun {
  orgs: number;
  /** The slowest org's listing, in real seconds. */
  wallSeconds: number;
  /** From spawning the processes to the last one's answer (node start and token minting included). */
  processWallSeconds: number;
  outcomes: ShardOutcome[];
  rejections: number;
  primaryPointsByInstallation: Record<string, number>;
  /** The machine's 1-minute load average when the run started and ended: other work on a shared machine slows every process. */
  loadAverage: { start: number; end: number };
  sharedTokenFloor: Floor;
  perInstallationFloor: Floor;
}

const APP_ID = 1717;
const HOOK_LIST = "GET /repos/{owner}/{repo}/hooks";

/** Runs scenario (h) and returns its description, figures and runs. */
export async function sharded(
  settings: ShardedSettings,
): Promise<{ description: string; figures: Figure[]; runs: ShardRun[]; settings: ShardedSettings }> {
  const most = Math.max(...settings.orgCounts);
  // Made for this run, kept in memory and handed to the children in their environment only.
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const sandbox = await SandboxProcess.start({
    world: {},
    shards: { orgs: most, reposPerOrg: settings.reposPerOrg, appId: APP_ID, publicKey },
    timeScale: settings.timeScale,
    limits: settings.limits,
  });
  const runs: ShardRun[] = [];
  try {
    await sandbox.addFault({ latencyMs: settings.latencyMs });
    for (const orgs of settings.orgCounts) {
      await sandbox.setLimits({});
      await sandbox.resetCounters();
      const loadAtStart = loadavg()[0] ?? 0;
      const started = performance.now();
      const outcomes = await Promise.all(
        Array.from({ length: orgs }, (_, k) =>
          runShard(
            {
              org: shardOrg(k),
              repos: settings.reposPerOrg,
              appId: APP_ID,
              installationId: shardInstallation(k),
              concurrency: settings.concurrency,
              timeScale: settings.timeScale,
            },
            { ...sandbox.env, SOURCELINKS_GITHUB_APP_KEY: privateKey },
          ),
        ),
      );
      const processWallSeconds = (performance.now() - started) / 1000;
      const counters = await sandbox.counters();
      const { injected: _injected, ...knowable } = counters.rejections;
      const need = (requests: number): Floor =>
        computeFloor([{ endpoint: HOOK_LIST, method: "GET", requests }], settings.limits, settings.timeScale, settings.latencyMs);
      runs.push({
        orgs,
        wallSeconds: Math.max(...outcomes.map((o) => o.wallSeconds)),
        processWallSeconds,
        outcomes,
        rejections: Object.values(knowable).reduce((a, b) => a + b, 0),
        primaryPointsByInstallation: Object.fromEntries(
          Object.entries(counters.primaryPointsByToken).filter(([label]) => label.startsWith("installation:")),
        ),
        loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
        sharedTokenFloor: need(orgs * settings.reposPerOrg),
        perInstallationFloor: need(settings.reposPerOrg),
      });
    }
  } finally {
    await sandbox.stop();
  }
  const one = runs.find((r) => r.orgs === 1);
  const figures: Figure[] = runs.flatMap((run) => {
    const id = `h.orgs${run.orgs}`;
    const out: Figure[] = [
      {
        key: `${id}.wallSeconds`,
        value: run.wallSeconds,
        note: `slowest of ${run.orgs} parallel processes, one installation each; floor per installation ${round2(run.perInstallationFloor.seconds)} s`,
      },
      {
        key: `${id}.processWallSeconds`,
        value: run.processWallSeconds,
        note: `spawn to last answer: node start and token minting included; machine load average ${round2(run.loadAverage.start)} → ${round2(run.loadAverage.end)}`,
      },
      {
        key: `${id}.sharedTokenFloorSeconds`,
        value: run.sharedTokenFloor.seconds,
        note: `computed: ${run.orgs * settings.reposPerOrg} listings on ONE token's budget (binding: ${run.sharedTokenFloor.binding})`,
      },
      { key: `${id}.rejections`, value: run.rejections, target: { op: "==", limit: 0 }, note: "refused for a limit the client could know" },
      {
        key: `${id}.observedRepositories`,
        value: run.outcomes.reduce((n, o) => n + o.repositories, 0),
        target: { op: "==", limit: run.orgs * settings.reposPerOrg },
      },
    ];
    if (one && run.orgs > 1) {
      out.push({
        key: `${id}.ratioToOneOrg`,
        value: run.wallSeconds / one.wallSeconds,
        target: { op: "<=", limit: 1.2 },
        note: `${round2(run.wallSeconds)} s vs one org's ${round2(one.wallSeconds)} s`,
      });
      out.push({
        key: `${id}.sharedTokenRatioToOneOrg`,
        value: run.sharedTokenFloor.seconds / one.wallSeconds,
        note: "what one shared token's floor alone would cost, relative to one org's measured run",
      });
    }
    return out;
  });
  return {
    description:
      `${settings.orgCounts.join(", then ")} orgs of ${settings.reposPerOrg} repositories each, one GitHub App installation per org, each org listed by its own process (a CI matrix job) in parallel, ` +
      `github.com-like limits enforced per installation (time scale ${settings.timeScale}), ${settings.latencyMs} ms latency, ${settings.concurrency} requests in flight per process`,
    figures,
    runs,
    settings,
  };
}

/** Runs one org's process and returns what it printed. */
async function runShard(params: ShardParams, env: Record<string, string>): Promise<ShardOutcome> {
  const child = spawn(process.execPath, [fileURLToPath(new URL("./shard-scenario.js", import.meta.url))], {
    env: { ...process.env, ...env, BENCH_SHARD: JSON.stringify(params) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await firstLine(child, `shard ${params.org}`);
  const code = await new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", resolve),
  );
  if (code !== 0) throw new Error(`shard ${params.org} exited with ${code}`);
  return JSON.parse(line) as ShardOutcome;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
