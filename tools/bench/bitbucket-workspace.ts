/**
 * Bench scenario (j): a Bitbucket workspace of 5,000 repositories under Bitbucket's "Access to webhook
 * data" limit (1,000 webhook listings and writes an hour per user, rolling), enforced by the sandbox
 * on a compressed clock. First a full read, paced to the limit (a rolling sweep's first run, with no
 * memory yet, reads everything); then N more runs with `--verify-slices N`, one Bitbucket hour apart
 * (the sandbox clock is moved, as an hourly schedule would space them), each re-reading one slice and
 * every repository with the build service's artifacts. Targets: no request refused; the full read
 * within 1.15× of the floor the limit puts under it; each rolling run within one hour's budget, read as
 * rolling; the staleness bound printed (N − 1 runs).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { CountersSnapshot } from "../../sandbox/counters.js";
import { BITBUCKET_SCALE_WORKSPACE } from "../../sandbox/bitbucket-scale-world.js";
import type { Figure } from "./figures.js";
import { round } from "./figures.js";
import { runScenario, SandboxProcess } from "./processes.js";
import type { ScenarioOutcome } from "./scenario.js";
import type { RefreshSummary } from "./workloads.js";

/** How scenario (j) runs. */
export interface BitbucketWorkspaceSettings {
  repositories: number;
  /** Every how many repositories carry the build service's webhook and deploy key. */
  artifactsEvery: number;
  slices: number;
  /** Bitbucket seconds per real second. */
  timeScale: number;
  latencyMs: number;
  concurrency: number;
}

/** Bitbucket's documented webhook-data budget, per user per hour. */
const PER_HOUR = 1000;
const WEBHOOK_DATA = "GET /bitbucket/2.0/repositories/:workspace/:repo_slug/hooks";

/** One run of the sweep: what the sandbox counted and what the process saw. */
interface SweepRun {
  wallSeconds: number;
  webhookListings: number;
  peakHour: number;
  rejections: number;
  peakRssMB: number;
  summary: RefreshSummary;
}

/** Runs scenario (j) and returns its description, figures and runs. */
export async function bitbucketWorkspace(settings: BitbucketWorkspaceSettings): Promise<{
  description: string;
  figures: Figure[];
  full: SweepRun;
  rolling: SweepRun[];
  settings: BitbucketWorkspaceSettings;
  loadAverage: number[];
}> {
  const dir = await mkdtemp(join(tmpdir(), "sourcelinks-bench-j-"));
  const sandbox = await SandboxProcess.start({
    world: {},
    bitbucket: { repositories: settings.repositories, artifactsEvery: settings.artifactsEvery },
    timeScale: settings.timeScale,
    limits: { enabled: false },
    bitbucketLimits: { enabled: true, webhookRequestsPerHour: PER_HOUR },
  });
  try {
    await sandbox.addFault({ latencyMs: settings.latencyMs });
    const configFile = join(dir, "workspace.yaml");
    await writeFile(configFile, configText());
    const inventoryFile = join(dir, "inventories.json");
    const hourSeconds = 3600 / settings.timeScale;
    let offset = 0;
    const run = async (): Promise<SweepRun> => {
      await sandbox.resetCounters();
      const outcome: ScenarioOutcome = await runScenario(
        "bitbucket-sweep",
        {
          configFile,
          concurrency: settings.concurrency,
          bitbucketTimeScale: settings.timeScale,
          verifySlices: settings.slices,
          inventoryFile,
        },
        sandbox.env,
      );
      const counters: CountersSnapshot = await sandbox.counters();
      // The next run starts one Bitbucket hour later, as an hourly schedule would.
      offset += hourSeconds;
      await sandbox.setClockOffset(offset);
      return {
        wallSeconds: outcome.wallSeconds,
        webhookListings: counters.byEndpoint[WEBHOOK_DATA] ?? 0,
        peakHour: counters.bitbucketWebhookData.peakWindow,
        rejections: Object.entries(counters.rejections)
          .filter(([reason]) => reason !== "injected")
          .reduce((n, [, v]) => n + v, 0),
        peakRssMB: outcome.peakRssBytes / 2 ** 20,
        summary: outcome.summary as RefreshSummary,
      };
    };
    const full = await run();
    const rolling: SweepRun[] = [];
    for (let i = 0; i < settings.slices; i++) rolling.push(await run());
    return {
      description:
        `a Bitbucket workspace of ${settings.repositories} repositories (every ${settings.artifactsEvery}th with the build service's webhook and deploy key) under Bitbucket's webhook-data limit ` +
        `(${PER_HOUR} an hour per user, rolling; time scale ${settings.timeScale}: a Bitbucket hour lasts ${round(hourSeconds)} s), ${settings.latencyMs} ms latency: ` +
        `a full read paced to the limit, then ${settings.slices} runs with --verify-slices ${settings.slices}, one Bitbucket hour apart`,
      figures: figures(settings, full, rolling, hourSeconds),
      full,
      rolling,
      settings,
      loadAverage: loadavg(),
    };
  } finally {
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function figures(settings: BitbucketWorkspaceSettings, full: SweepRun, rolling: SweepRun[], hourSeconds: number): Figure[] {
  // The burst floor of the listings under a budget granted an hour at a time (tools/bench/floor.ts): the
  // last hour's listings go as soon as it opens, and the last one still needs its round trip.
  const floorSeconds = (Math.ceil(settings.repositories / PER_HOUR) - 1) * hourSeconds + settings.latencyMs / 1000;
  const most = (pick: (r: SweepRun) => number): number => Math.max(...rolling.map(pick));
  const bound = rolling[rolling.length - 1]?.summary.refresh?.stalenessBoundRuns ?? Number.NaN;
  const artifacts = Math.ceil(settings.repositories / settings.artifactsEvery);
  return [
    { key: "j.full.wallSeconds", value: full.wallSeconds, note: `floor ${round(floorSeconds)} s` },
    {
      key: "j.full.floorSeconds",
      value: floorSeconds,
      note: `${settings.repositories} listings at ${PER_HOUR} an hour: ${Math.ceil(settings.repositories / PER_HOUR) - 1} Bitbucket hours of waiting`,
    },
    { key: "j.full.ratioToFloor", value: full.wallSeconds / floorSeconds, target: { op: "<=", limit: 1.15 } },
    { key: "j.full.webhookListings", value: full.webhookListings, target: { op: "==", limit: settings.repositories } },
    {
      key: "j.full.peakHourRequests",
      value: full.peakHour,
      target: { op: "<=", limit: PER_HOUR },
      note: "most webhook-data requests in any rolling hour",
    },
    { key: "j.full.rejections", value: full.rejections, target: { op: "==", limit: 0 } },
    { key: "j.full.observedRepositories", value: full.summary.repositories, target: { op: "==", limit: settings.repositories } },
    { key: "j.full.peakRssMB", value: full.peakRssMB, target: { op: "<", limit: 300 } },
    { key: "j.rolling.runs", value: rolling.length },
    {
      key: "j.rolling.maxWebhookListingsPerRun",
      value: most((r) => r.webhookListings),
      target: { op: "<=", limit: PER_HOUR },
      note: "one slice plus every repository with the build service's artifacts: within one hour's budget, so no run waits",
    },
    {
      key: "j.rolling.maxWallSeconds",
      value: most((r) => r.wallSeconds),
      target: { op: "<", limit: hourSeconds },
      note: `a Bitbucket hour lasts ${round(hourSeconds)} s`,
    },
    { key: "j.rolling.rejections", value: rolling.reduce((n, r) => n + r.rejections, 0), target: { op: "==", limit: 0 } },
    {
      key: "j.rolling.buildServiceWebhooksEveryRun",
      value: Math.min(...rolling.map((r) => r.summary.buildServiceWebhooks)),
      target: { op: "==", limit: Math.ceil(settings.repositories / settings.artifactsEvery) },
      note: "every repository with the build service's artifacts is re-read each run",
    },
    {
      key: "j.rolling.modes",
      value: rolling.filter((r) => r.summary.refresh?.mode === "rolling").length,
      target: { op: "==", limit: rolling.length },
      note: "runs read as rolling (the first run, with nothing stored, reads in full)",
    },
    {
      key: "j.rolling.sliceRereadsOverNRuns",
      value: rolling.reduce((n, r) => n + (r.summary.refresh?.reread ?? 0) - artifacts, 0),
      note: `re-reads beyond the ${artifacts} repositories with artifacts, summed over the ${settings.slices} runs (${settings.repositories - artifacts} other repositories)`,
    },
    {
      key: "j.rolling.stalenessBoundRuns",
      value: bound,
      target: { op: "==", limit: settings.slices - 1 },
      note: `printed by plan, check and report: each repository verified at least every ${settings.slices} runs (hourly runs: at most ${settings.slices - 1} hours old)`,
    },
  ];
}

function configText(): string {
  return [
    "apiVersion: sourcelinks/v1",
    "buildService:",
    "  kind: docker-hub",
    "  oauthApps: { bitbucket: { key: ScaleConsumerKey, name: Docker Hub Builder } }",
    "providers:",
    "  bitbucket: { usernameEnv: BITBUCKET_EMAIL, tokenEnv: BITBUCKET_API_TOKEN }",
    "links: []",
    `sweeps: [{ provider: bitbucket, owner: ${BITBUCKET_SCALE_WORKSPACE} }]`,
    "",
  ].join("\n");
}
