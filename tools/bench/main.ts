#!/usr/bin/env node
/**
 * `npm run bench` (docs/performance.md): seeds 1,000 links over 5,000 repositories in a sandbox
 * running in its own process, runs each scenario in a child process (so peak RSS is the work's own),
 * reads the sandbox's counters, prints one line per figure and writes everything to bench/results.json.
 * Exits 1 when a target is missed.
 *
 * (a) refresh, unlimited server (GHES-like), 50 ms latency, no ETag cache;
 * (b) refresh, github.com-like limits enforced on a compressed clock, ETag cache filled;
 * (d) the same refresh again with nothing changed, with the same personal token: every answer a 304;
 * (d2) as a GitHub App: an unchanged refresh after the installation token changed (each process mints
 *     its own): GitHub's ETags are token specific, so every listing is paid in full;
 * (c) apply revoking 200 links: 1,000 webhooks deleted under the same limits;
 * (e) `sourcelinks validate` of a 10,000-link config, node start included;
 * (e2) `sourcelinks validate` of a file of 100,000 unknown keys: exit 2, 100 located problems and a count;
 * (f) naive baseline: one request at a time, no cache, on a subset, extrapolated;
 * (g) a sweep of one org of 5,000 repositories (every 10th with the build service's webhook and
 *     deploy key), as `sourcelinks plan` observes one (observeSweep): listing pages and webhooks by
 *     REST, deploy keys by GraphQL, under the limits of (b); (g2) the same sweep again with nothing changed.
 * (h) sharded by org: one, two, then four orgs of 2,500 repositories, one GitHub App
 *     installation and one process each, in parallel under per-installation limits (sharded.ts).
 * (i), (i2), (i3) the org of (g) on GitHub Enterprise Cloud, swept from its audit log: unchanged, 20
 *     repositories changed, an event the log shows late (audit-log.ts).
 * (j) a Bitbucket workspace of 5,000 repositories under Bitbucket's webhook-data limit: a full read
 *     paced to it, then rolling runs with --verify-slices (bitbucket-workspace.ts).
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { CountersSnapshot } from "../../sandbox/counters.js";
import type { LimitsConfig } from "../../sandbox/limits.js";
import { formatFigure, meets, round, type Figure } from "./figures.js";
import { computeFloor, FLOOR_FORMULA, sequentialFloor, type EndpointNeed, type Floor, type FloorLimits } from "./floor.js";
import { runScenario, SandboxProcess, timeCommand } from "./processes.js";
import type { SandboxHostOptions } from "./sandbox-host.js";
import { mapLimit } from "../../engine/reconcile/map-limit.js";
import { SCALE_ORG } from "../../sandbox/scale-world.js";
import { sharded } from "./sharded.js";
import { auditLogScenarios } from "./audit-log.js";
import { bitbucketWorkspace } from "./bitbucket-workspace.js";
import {
  isRevoked,
  ISSUE_SHAPE,
  linkRepositories,
  scaleConfigText,
  unknownKeysConfigText,
  validateConfigText,
  type ScaleShape,
} from "./scale-config.js";
import type { ScenarioOutcome, ScenarioParams } from "./scenario.js";
import type { ApplySummary, ProposeSummary, RefreshSummary, VerifySummary } from "./workloads.js";

const SHAPE: ScaleShape = ISSUE_SHAPE;
/** Injected on every request of every service (real milliseconds). */
const LATENCY_MS = 50;
/** Requests in flight per credential (GitHub allows 100) and repositories read at once per link. */
const CONCURRENCY = 64;
/**
 * GitHub seconds per real second for (b), (c), (d): a GitHub minute lasts 6 real seconds. At 20 (3 s a
 * minute) one window's 900 listings need about 2.7 s of this 2-core machine's CPU, which hosts the
 * sandbox and the client, so the compression itself, not GitHub's limits, bound the wall time.
 */
const TIME_SCALE = 10;
/** (c) revokes every 5th link: 200 links × 5 repositories = 1,000 webhooks, spread over the config. */
const REVOKE_EVERY = 5;
/** The naive baseline's subset: 40 links, 200 repositories. */
const NAIVE_LINKS = 40;
const VALIDATE_LINKS = 10_000;
const VALIDATE_RUNS = 5;
/** (e2): unknown keys in one mapping, the shape that was once quadratic; a few runs, each several seconds at most. */
const HOSTILE_KEYS = 100_000;
const HOSTILE_RUNS = 3;
/**
 * github.com's documented limits, enforced, except the primary budget: 15,000 points per hour, GitHub's
 * documented limit for GitHub Apps and OAuth apps of GitHub Enterprise Cloud organizations. A refresh of
 * 5,000 repositories needs 10,020 reads; on a 5,000-point token the primary limit alone binds (three
 * primary windows, a floor of two GitHub hours, reported as `b.refresh.floorSecondsAt5000PerHour`).
 */
const LIMITS: LimitsConfig = {
  enabled: true,
  primaryPointsPerHour: 15_000,
  maxConcurrent: 100,
  endpointPointsPerMinute: 900,
  contentCreatingPerMinute: 80,
  contentCreatingPerHour: 500,
  graphqlPointsPerHour: 5000,
  graphqlEndpointPointsPerMinute: 2000,
};
/** The sandbox's endpoint minting an installation token. */
const MINT = "POST /github/app/installations/:installation_id/access_tokens";
/** (d2): the GitHub App installed on the scale org. */
const SCALE_APP = { appId: 2626, installationId: 26_001 } as const;
const HOOKS_PER_PAGE = 100;
/** (h): repositories per org, the time scale (a GitHub minute lasts 24 real seconds: four orgs' processes and the sandbox share this machine's CPU), and requests in flight per org's process (four stay under GitHub's 100). */
const SHARD_REPOS = 2500;
const SHARD_TIME_SCALE = 2.5;
const SHARD_CONCURRENCY = 24;
/** (g): every how many repositories carry the build service's webhook and deploy key (10%). */
const SWEEP_ARTIFACTS_EVERY = 10;
/** Repositories per page of `GET /orgs/{org}/repos`, and per GraphQL query of deploy keys. */
const REPOS_PER_PAGE = 100;
const REPO_LIST = "GET /github/orgs/:org/repos";
const GRAPHQL = "POST /github/graphql";

/**
 * (r), (r2): replacement builds proposed in this many repositories, on a clock where a GitHub hour lasts
 * a real minute: 2,000 content-creating requests at 500 an hour make a floor of three GitHub hours. At 180
 * (20 s an hour) this shared 2-core machine's CPU, not the limits, bound the run (5,500 requests, 91 s).
 */
const PROPOSALS = 500;
const PROPOSE_TIME_SCALE = 60;
/** github.com's documented limits for a personal token, enforced (5,000 points an hour). */
const TOKEN_LIMITS: LimitsConfig = { ...LIMITS, primaryPointsPerHour: 5000 };
/** The content-creating requests of one proposal: the branch, the file, the pull request and the secret. */
const PROPOSAL_WRITES: readonly EndpointNeed[] = [
  { endpoint: "POST /repos/{owner}/{repo}/git/refs", method: "POST", requests: PROPOSALS },
  { endpoint: "PUT /repos/{owner}/{repo}/contents/{path}", method: "PUT", requests: PROPOSALS },
  { endpoint: "POST /repos/{owner}/{repo}/pulls", method: "POST", requests: PROPOSALS },
  { endpoint: "PUT /repos/{owner}/{repo}/actions/secrets/{name}", method: "PUT", requests: PROPOSALS },
];

/**
 * (j): a Bitbucket workspace of 5,000 repositories, swept in 10 slices (every 10th repository holds the
 * build service's artifacts, re-read every run: 500 + about 450 listings a run, under the hour's 1,000).
 * A Bitbucket hour lasts 60 real seconds, so the full read's floor is four hours: 240 s.
 */
const BITBUCKET_REPOS = 5000;
const BITBUCKET_SLICES = 10;
const BITBUCKET_TIME_SCALE = 60;

const HOOK_LIST = "GET /github/repos/:owner/:repo/hooks";
const KEY_LIST = "GET /github/repos/:owner/:repo/keys";
const HOOK_DELETE = "DELETE /github/repos/:owner/:repo/hooks/:hook_id";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const RESULTS_FILE = here("../../../tools/bench/results.json");

/** One scenario's record in results.json. */
interface ScenarioRecord {
  description: string;
  figures: Figure[];
  floor?: Floor;
  outcome?: ScenarioOutcome;
  counters?: CountersSnapshot;
  [extra: string]: unknown;
}

/** `npm run bench -- --only a,b`: run some scenarios only; results.json keeps the other scenarios' last figures. */
function selected(): Set<string> | null {
  const i = process.argv.indexOf("--only");
  return i < 0 ? null : new Set((process.argv[i + 1] ?? "").split(","));
}

/** Whether a scenario id was selected (`--only`), or every one when none was named. */
type Wants = (id: string) => boolean;

/** The files scenarios read, written once into the bench's temporary directory. */
interface BenchFiles {
  dir: string;
  configFile: string;
  revokeFile: string;
  validateFile: string;
  /** Filled by (b), read by (d). */
  etagFile: string;
}

/** What a scenario run against a sandbox process gets: the files, the sandbox, and (d2)'s key pair when (d2) runs. */
interface SandboxContext extends BenchFiles {
  sandbox: SandboxProcess;
  appKeys: AppKeyPair | null;
}

/** One scenario: its key in results.json and `--only`, the label of its failure, and how it runs. */
interface Scenario<C> {
  id: string;
  label: string;
  /** The selected ids that run it (by default its own): a scenario others depend on runs for them too, and is recorded. */
  selectedBy?: readonly string[];
  run: (context: C) => Promise<ScenarioRecord>;
}

/** A group's set-up, ready: the context its scenarios run in, and its teardown. */
interface Opened<C> {
  context: C;
  close: () => Promise<void>;
}

/** Scenarios sharing one set-up, run in order: a later one may use what an earlier one left (an ETag cache, a world). */
interface ScenarioGroup {
  /** Runs the group's selected scenarios into `records`; sets nothing up when none is selected. */
  run: (files: BenchFiles, wants: Wants, records: Record<string, ScenarioRecord>) => Promise<void>;
}

/** A group whose set-up `open` makes and tears down around its selected scenarios; each failure is recorded as a missed figure. */
function group<C>(open: (files: BenchFiles, wants: Wants) => Promise<Opened<C>>, scenarios: readonly Scenario<C>[]): ScenarioGroup {
  return {
    async run(files, wants, records) {
      const due = scenarios.filter((s) => (s.selectedBy ?? [s.id]).some(wants));
      if (due.length === 0) return;
      const { context, close } = await open(files, wants);
      try {
        for (const scenario of due) records[scenario.id] = await attempt(scenario.label, () => scenario.run(context));
      } finally {
        await close();
      }
    },
  };
}

/** Scenarios of the built CLI alone, no sandbox. */
function local(scenarios: readonly Scenario<BenchFiles>[]): ScenarioGroup {
  return group(async (files) => ({ context: files, close: async () => {} }), scenarios);
}

/** Scenarios sharing one sandbox process started with `host`, every request delayed by LATENCY_MS. */
function inSandbox(
  host: (wants: Wants) => { options: SandboxHostOptions; appKeys: AppKeyPair | null },
  scenarios: readonly Scenario<SandboxContext>[],
): ScenarioGroup {
  return group(async (files, wants) => {
    const { options, appKeys } = host(wants);
    const sandbox = await SandboxProcess.start(options);
    try {
      await sandbox.addFault({ latencyMs: LATENCY_MS });
    } catch (error) {
      await sandbox.stop();
      throw error;
    }
    return { context: { ...files, sandbox, appKeys }, close: () => sandbox.stop() };
  }, scenarios);
}

/** (b), (c), (d), (d2) share it: a sandbox with the requests paced to TIME_SCALE. */
const PACED = { concurrency: CONCURRENCY, pacedTimeScale: TIME_SCALE } as const;

/** Every scenario, grouped by the sandbox they share, in the order they run and are recorded. */
const GROUPS: readonly ScenarioGroup[] = [
  // (a) and (f): an unlimited server (GHES ships with rate limits disabled).
  inSandbox(
    () => ({ options: { world: { ...SHAPE }, timeScale: 1, limits: { enabled: false } }, appKeys: null }),
    [
      { id: "a", label: "a.refresh", run: refreshUnlimited },
      { id: "f", label: "f.naive", run: (c) => naive(c.sandbox, c.configFile) },
    ],
  ),
  // (b), (d), (d2), (c): github.com-like limits, enforced on a compressed clock.
  inSandbox(
    (wants) => {
      // (d2) runs as a GitHub App: a key pair made for this run, the private half handed to its processes only.
      const appKeys = wants("d2") ? appKeyPair() : null;
      const app = appKeys ? { app: { ...SCALE_APP, publicKey: appKeys.publicKey } } : {};
      return { options: { world: { ...SHAPE }, timeScale: TIME_SCALE, limits: LIMITS, ...app }, appKeys };
    },
    [
      { id: "b", label: "b.refresh", selectedBy: ["b", "d"], run: refreshLimited },
      { id: "d", label: "d.refresh-unchanged", run: refreshUnchanged },
      { id: "d2", label: "d2.refresh-after-rotation", run: refreshAfterRotation },
      { id: "c", label: "c.apply", run: applyRevoking },
    ],
  ),
  // (g), (g2): a sweep of one org under the limits of (b), then the same sweep unchanged.
  inSandbox(
    () => ({
      options: { world: { ...SHAPE, artifactsEvery: SWEEP_ARTIFACTS_EVERY }, timeScale: TIME_SCALE, limits: LIMITS },
      appKeys: null,
    }),
    [
      { id: "g", label: "g.sweep", run: (c) => measureSweep(c.sandbox, sweepParams(c), "g.sweep", false) },
      {
        id: "g2",
        label: "g2.sweep-unchanged",
        selectedBy: ["g"],
        run: (c) => measureSweep(c.sandbox, sweepParams(c), "g2.sweep-unchanged", true),
      },
    ],
  ),
  // (r), (r2): replacement builds proposed, then verified unchanged, under a personal token's documented limits.
  inSandbox(
    () => ({ options: { world: { ...SHAPE }, timeScale: PROPOSE_TIME_SCALE, limits: TOKEN_LIMITS }, appKeys: null }),
    [
      { id: "r", label: "r.propose", selectedBy: ["r", "r2"], run: proposeReplacements },
      { id: "r2", label: "r2.verify-unchanged", selectedBy: ["r", "r2"], run: verifyUnchanged },
    ],
  ),
  // (i), (i2), (i3): the same org on Enterprise Cloud, swept from its audit log (audit-log.ts); one run makes all three.
  auditLogGroup(),
  local([
    { id: "e", label: "e.validate", run: (files) => validate(files.validateFile, files.dir) },
    { id: "e2", label: "e2.validate", run: validateHostile },
    {
      id: "j",
      label: "j.bitbucket-workspace",
      run: () =>
        bitbucketWorkspace({
          repositories: BITBUCKET_REPOS,
          artifactsEvery: SWEEP_ARTIFACTS_EVERY,
          slices: BITBUCKET_SLICES,
          timeScale: BITBUCKET_TIME_SCALE,
          latencyMs: LATENCY_MS,
          concurrency: CONCURRENCY,
        }),
    },
    {
      id: "h",
      label: "h.sharded",
      run: () =>
        sharded({
          orgCounts: [1, 2, 4],
          reposPerOrg: SHARD_REPOS,
          latencyMs: LATENCY_MS,
          timeScale: SHARD_TIME_SCALE,
          limits: LIMITS,
          concurrency: SHARD_CONCURRENCY,
        }),
    },
  ]),
];

/** (i), (i2), (i3) share one sandbox and one sequence of runs: each scenario entry takes its record from the sequence, run once. */
function auditLogGroup(): ScenarioGroup {
  type Context = { records: () => Promise<Record<string, ScenarioRecord>> };
  const ids = ["i", "i2", "i3"] as const;
  return group<Context>(
    async (files) => {
      const sandbox = await SandboxProcess.start({
        world: { ...SHAPE, artifactsEvery: SWEEP_ARTIFACTS_EVERY, auditLog: true },
        timeScale: TIME_SCALE,
        limits: LIMITS,
      });
      let records: Promise<Record<string, ScenarioRecord>> | null = null;
      try {
        await sandbox.addFault({ latencyMs: LATENCY_MS });
      } catch (error) {
        await sandbox.stop();
        throw error;
      }
      const bench = {
        sandbox,
        dir: files.dir,
        repositories: SHAPE.repositories,
        artifactsEvery: SWEEP_ARTIFACTS_EVERY,
        concurrency: CONCURRENCY,
        timeScale: TIME_SCALE,
      };
      return { context: { records: () => (records ??= auditLogScenarios(bench)) }, close: () => sandbox.stop() };
    },
    ids.map((id) => ({
      id,
      label: `${id}.audit-log`,
      selectedBy: ids,
      run: async (c: Context) => {
        const record = (await c.records())[id];
        if (!record) throw new Error(`no record of ${id}`);
        return record;
      },
    })),
  );
}

/** Runs the selected groups in order, then records every figure. */
async function main(): Promise<void> {
  const only = selected();
  const wants: Wants = (id) => only === null || only.has(id);
  const dir = await mkdtemp(join(tmpdir(), "sourcelinks-bench-"));
  const scenarios: Record<string, ScenarioRecord> = {};
  const started = new Date();
  try {
    const files: BenchFiles = {
      dir,
      configFile: join(dir, "scale.yaml"),
      revokeFile: join(dir, "scale-revoke.yaml"),
      validateFile: join(dir, "validate-10k.yaml"),
      etagFile: join(dir, "etags.json"),
    };
    await writeFile(files.configFile, scaleConfigText(SHAPE));
    await writeFile(files.revokeFile, scaleConfigText(SHAPE, { revokeEvery: REVOKE_EVERY }));
    await writeFile(files.validateFile, validateConfigText(VALIDATE_LINKS));
    for (const scenarioGroup of GROUPS) await scenarioGroup.run(files, wants, scenarios);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await writeResults(only, scenarios, started);
}

/** The config (r) and (r2) run: the scale world's links and PROPOSALS builds, written beside the others. */
async function proposalConfig(c: SandboxContext): Promise<string> {
  const file = join(c.dir, "scale-builds.yaml");
  await writeFile(file, scaleConfigText(SHAPE, { builds: PROPOSALS }));
  return file;
}

/** The env of (r) and (r2): the sandbox's, and the value of the one secret each proposal sets (never token-shaped). */
function proposalEnv(c: SandboxContext): Record<string, string> {
  return { ...c.sandbox.env, BENCH_NPM_TOKEN: "bench-npm-read-value" };
}

/** Requests the sandbox answered and refusals of a limit the client could know, of a run's counters. */
function requestsAndRejections(counters: CountersSnapshot): { github: number; all: number; rejections: number } {
  const { injected: _injected, ...knowable } = counters.rejections;
  return {
    github: counters.byService["github"] ?? 0,
    all: sum(Object.values(counters.byService)),
    rejections: sum(Object.values(knowable)),
  };
}

/** (r): PROPOSALS replacement builds proposed (branch, file, pull request, secret each) under a token's content-creation limits. */
async function proposeReplacements(c: SandboxContext): Promise<ScenarioRecord> {
  const configFile = await proposalConfig(c);
  const floor = computeFloor(PROPOSAL_WRITES, TOKEN_LIMITS, PROPOSE_TIME_SCALE, LATENCY_MS, true);
  await c.sandbox.setLimits({});
  await c.sandbox.resetCounters();
  const outcome = await runScenario(
    "propose",
    { configFile, concurrency: CONCURRENCY, pacedTimeScale: PROPOSE_TIME_SCALE },
    proposalEnv(c),
  );
  const counters = await c.sandbox.counters();
  const summary = outcome.summary as ProposeSummary;
  const { github, rejections } = requestsAndRejections(counters);
  const writes = sum(
    Object.entries(counters.byEndpoint)
      .filter(([endpoint]) => /^(POST|PUT|PATCH|DELETE) \/github\//.test(endpoint))
      .map(([, n]) => n),
  );
  const id = "r.propose";
  return {
    description: `propose replacement builds in ${PROPOSALS} repositories (a branch, the CI file, a pull request and one Actions secret each: ${4 * PROPOSALS} content-creating requests) with one personal token under github.com's documented limits enforced (80 content-creating requests a minute, 500 an hour, 5,000 points an hour; time scale ${PROPOSE_TIME_SCALE}), ${LATENCY_MS} ms latency`,
    figures: [
      { key: `${id}.wallSeconds`, value: outcome.wallSeconds, note: `floor ${round(floor.seconds)} s` },
      {
        key: `${id}.floorSeconds`,
        value: floor.seconds,
        note: `binding: ${floor.binding}; ${round(((floor.seconds - LATENCY_MS / 1000) * PROPOSE_TIME_SCALE) / 3600)} GitHub hour(s)`,
      },
      { key: `${id}.ratioToFloor`, value: outcome.wallSeconds / floor.seconds, target: { op: "<=", limit: 1.15 } },
      { key: `${id}.rejections`, value: rejections, target: { op: "==", limit: 0 }, note: "refused for a limit the client could know" },
      { key: `${id}.contentCreatingRequests`, value: writes, target: { op: "==", limit: 4 * PROPOSALS } },
      { key: `${id}.githubRequests`, value: github },
      { key: `${id}.proposed`, value: summary.proposed, target: { op: "==", limit: PROPOSALS } },
      {
        key: `${id}.failedBuilds`,
        value: summary.failedBuilds,
        target: { op: "==", limit: 0 },
        ...(summary.firstFailure ? { note: summary.firstFailure } : {}),
      },
      { key: `${id}.peakRssMB`, value: outcome.peakRssBytes / 2 ** 20 },
    ],
    floor,
    outcome,
    counters,
  };
}

/**
 * (r2): after (r), each repository's owner merges its pull request (the sandbox runs the workflow and
 * pushes the tag), every build is verified (read in full: it stores the verifications), then verified
 * again with nothing changed in between; the second pass is measured.
 */
async function verifyUnchanged(c: SandboxContext): Promise<ScenarioRecord> {
  const configFile = await proposalConfig(c);
  const params = {
    configFile,
    concurrency: CONCURRENCY,
    pacedTimeScale: PROPOSE_TIME_SCALE,
    etagCacheFile: join(c.dir, "etags-builds.json"),
    verificationFile: join(c.dir, "verifications-builds.json"),
  };
  await mergeProposals(c);
  await c.sandbox.setLimits({});
  await c.sandbox.resetCounters();
  const first = await runScenario("verify", params, proposalEnv(c));
  const firstRequests = requestsAndRejections(await c.sandbox.counters()).all;
  await c.sandbox.resetCounters();
  const outcome = await runScenario("verify", params, proposalEnv(c));
  const counters = await c.sandbox.counters();
  const summary = outcome.summary as VerifySummary;
  const { github, all, rejections } = requestsAndRejections(counters);
  const id = "r2.verify-unchanged";
  return {
    description: `verify the ${PROPOSALS} replacement builds of (r), merged and verified once (that run reads everything and keeps the verifications beside the ETag cache), again with nothing changed since, under the limits of (r): each verification is carried over after one conditional read of the default branch's head`,
    figures: [
      { key: `${id}.wallSeconds`, value: outcome.wallSeconds },
      { key: `${id}.requestsPerBuild`, value: all / PROPOSALS, target: { op: "<=", limit: 2 }, note: "every service's requests ÷ builds" },
      { key: `${id}.githubRequests`, value: github },
      { key: `${id}.notModified`, value: counters.notModified },
      { key: `${id}.primaryPoints`, value: sum(Object.values(counters.primaryPointsByToken)) },
      { key: `${id}.rejections`, value: rejections, target: { op: "==", limit: 0 } },
      {
        key: `${id}.verdicts`,
        value: summary.states["verified"] ?? 0,
        target: { op: "==", limit: PROPOSALS },
        note: `verified; ${JSON.stringify(summary.states)}`,
      },
      {
        key: `${id}.carriedOver`,
        value: summary.carriedOver,
        target: { op: "==", limit: PROPOSALS },
        note: "verdicts carried over, each saying when it was verified",
      },
      {
        key: `${id}.firstRunRequestsPerBuild`,
        value: firstRequests / PROPOSALS,
        note: `the full verification after the merges (${JSON.stringify((first.summary as VerifySummary).states)}), which stored what the measured run carries over`,
      },
    ],
    outcome,
    counters,
  };
}

/** Every proposal's pull request merged by its repository's owner, limits off as for a person in the web UI; then the limits of (r) again. */
async function mergeProposals(c: SandboxContext): Promise<void> {
  await c.sandbox.setLimits({ enabled: false });
  const api = c.sandbox.env["SOURCELINKS_GITHUB_API_URL"]!;
  const headers = { authorization: `token ${c.sandbox.env["GITHUB_TOKEN"]}`, "content-type": "application/json" };
  await mapLimit(
    Array.from({ length: PROPOSALS }, (_, r) => r),
    CONCURRENCY,
    async (r) => {
      const repo = `${api}/repos/${SCALE_ORG}/repo-${r}`;
      const open = (await (await fetch(`${repo}/pulls?state=open`, { headers })).json()) as { number: number }[];
      for (const pull of open) {
        const merged = await fetch(`${repo}/pulls/${pull.number}/merge`, { method: "PUT", headers, body: "{}" });
        if (merged.status !== 200) throw new Error(`bench: merging ${SCALE_ORG}/repo-${r}#${pull.number}: ${merged.status}`);
        await merged.arrayBuffer();
      }
    },
  );
  await c.sandbox.setLimits({ enabled: true });
}

/** (a): a refresh against the unlimited server, no ETag cache. */
function refreshUnlimited(c: SandboxContext): Promise<ScenarioRecord> {
  return measure(
    c.sandbox,
    "refresh",
    { configFile: c.configFile, concurrency: CONCURRENCY },
    {
      id: "a.refresh",
      description: `refresh (observe every link) of ${SHAPE.links} links over ${SHAPE.repositories} repositories, unlimited server, ${LATENCY_MS} ms latency, no ETag cache`,
      floorLimits: {
        primaryPointsPerHour: Infinity,
        endpointPointsPerMinute: Infinity,
        contentCreatingPerMinute: Infinity,
        maxConcurrent: CONCURRENCY,
      },
      timeScale: 1,
      needs: refreshNeeds(SHAPE),
    },
  );
}

/** (b): a refresh under the limits, filling the ETag cache (d) reads; also the floor a 5,000-point token would have. */
async function refreshLimited(c: SandboxContext): Promise<ScenarioRecord> {
  const b = await measure(
    c.sandbox,
    "refresh",
    { configFile: c.configFile, ...PACED, etagCacheFile: c.etagFile },
    {
      id: "b.refresh",
      description: `refresh, github.com-like limits enforced (time scale ${TIME_SCALE}), ${LATENCY_MS} ms latency, empty ETag cache`,
      floorLimits: LIMITS,
      timeScale: TIME_SCALE,
      needs: refreshNeeds(SHAPE),
      targetRatio: true,
    },
  );
  const at5000 = computeFloor(refreshNeeds(SHAPE), { ...LIMITS, primaryPointsPerHour: 5000 }, TIME_SCALE, LATENCY_MS);
  b.figures.push({
    key: "b.refresh.floorSecondsAt5000PerHour",
    value: at5000.seconds,
    note: `not run: with a 5,000-point token the ${at5000.binding} limit binds, ${round((at5000.seconds * TIME_SCALE) / 3600)} GitHub hour(s)`,
  });
  b["floorAt5000PerHour"] = at5000;
  return b;
}

/** (d): (b) again with nothing changed, the same token, (b)'s ETag cache on disk. */
function refreshUnchanged(c: SandboxContext): Promise<ScenarioRecord> {
  return measure(
    c.sandbox,
    "refresh",
    { configFile: c.configFile, ...PACED, etagCacheFile: c.etagFile },
    {
      id: "d.refresh-unchanged",
      description:
        "the same refresh again with nothing changed, with the same personal token as (b) (GITHUB_TOKEN) and the ETag cache from (b) on disk: every listing revalidated with If-None-Match",
      floorLimits: LIMITS,
      timeScale: TIME_SCALE,
      needs: refreshNeeds(SHAPE),
      primaryFree: true,
      targetPrimaryZero: true,
    },
  );
}

/** (d2): an unchanged refresh as a GitHub App whose installation token changed since the cache was filled. */
async function refreshAfterRotation(c: SandboxContext): Promise<ScenarioRecord> {
  if (c.appKeys === null) throw new Error("(d2) needs the app key pair its sandbox was started with");
  const appConfig = join(c.dir, "scale-app.yaml");
  await writeFile(appConfig, scaleConfigText(SHAPE, { app: { appId: SCALE_APP.appId, installationId: SCALE_APP.installationId } }));
  const appEtags = join(c.dir, "etags-app.json");
  const appEnv = { ...c.sandbox.env, SOURCELINKS_GITHUB_APP_KEY: c.appKeys.privateKey };
  const params = { configFile: appConfig, ...PACED, etagCacheFile: appEtags };
  // Fills the cache under the installation's first token; (d2)'s process mints the next one.
  await c.sandbox.setLimits({});
  await runScenario("refresh", params, appEnv);
  const d2 = await measure(
    c.sandbox,
    "refresh",
    params,
    {
      id: "d2.refresh-after-rotation",
      description:
        "the same unchanged refresh as a GitHub App, after the installation token changed (the ETag cache was filled by a process holding the installation's previous token; this one mints its own): GitHub's ETags are token specific, so no listing is sent with an ETag and every one is paid in full; listings carry no Last-Modified, so If-Modified-Since cannot help; no audit log",
      floorLimits: LIMITS,
      timeScale: TIME_SCALE,
      needs: refreshNeeds(SHAPE),
      targetRatio: true,
      expectedPrimaryPoints: sum(refreshNeeds(SHAPE).map((n) => n.requests)),
    },
    appEnv,
  );
  d2.figures.push({
    key: "d2.refresh-after-rotation.installationTokensMinted",
    value: d2.counters?.byEndpoint[MINT] ?? 0,
    target: { op: "==", limit: 1 },
    note: "the measured process's own token, not the one the cache was filled with",
  });
  return d2;
}

/** (c): an apply revoking every REVOKE_EVERYth link on a fresh world, with the floors of its two phases. */
async function applyRevoking(c: SandboxContext): Promise<ScenarioRecord> {
  await c.sandbox.resetWorld();
  const deletes = revokedRepositories(SHAPE, REVOKE_EVERY);
  const observeFloor = computeFloor(refreshNeeds(SHAPE, REVOKE_EVERY), LIMITS, TIME_SCALE, LATENCY_MS);
  const executeFloor = computeFloor(
    [{ endpoint: "DELETE /repos/{owner}/{repo}/hooks/{hook_id}", method: "DELETE", requests: deletes }],
    LIMITS,
    TIME_SCALE,
    LATENCY_MS,
  );
  const record = await measure(
    c.sandbox,
    "apply",
    { configFile: c.revokeFile, ...PACED },
    {
      id: "c.apply",
      description: `apply of the config with every ${REVOKE_EVERY}th link revoked (onRevoke webhooks: delete, deployKeys: keep): observe all ${SHAPE.links} links, then unlink ${SHAPE.links / REVOKE_EVERY} links and delete ${deletes} webhooks, under the limits of (b)`,
      floor: sequentialFloor(observeFloor, executeFloor),
      timeScale: TIME_SCALE,
      needs: [
        ...refreshNeeds(SHAPE, REVOKE_EVERY),
        { endpoint: "DELETE /repos/{owner}/{repo}/hooks/{hook_id}", method: "DELETE", requests: deletes },
      ],
      targetRatio: true,
    },
  );
  const phases = record.outcome!.summary as ApplySummary;
  record.figures.push(
    { key: "c.apply.observeSeconds", value: phases.observeSeconds, note: `floor ${round(observeFloor.seconds)} s` },
    {
      key: "c.apply.executeSeconds",
      value: phases.executeSeconds,
      note: `the ${deletes} deletes and ${SHAPE.links / REVOKE_EVERY} unlinks; floor ${round(executeFloor.seconds)} s, binding ${executeFloor.binding}`,
    },
    { key: "c.apply.executeRatioToFloor", value: phases.executeSeconds / executeFloor.seconds, target: { op: "<=", limit: 1.15 } },
  );
  record["phaseFloors"] = { observe: observeFloor, execute: executeFloor };
  addApplyChecks(record);
  return record;
}

/** (g) and (g2) share one ETag cache: (g) fills it, (g2) revalidates against it. */
function sweepParams(c: SandboxContext): ScenarioParams {
  return { configFile: c.configFile, concurrency: CONCURRENCY, pacedTimeScale: TIME_SCALE, etagCacheFile: join(c.dir, "sweep-etags.json") };
}

/** Prints every figure and writes results.json; with `--only`, the scenarios not run keep their recorded figures. */
async function writeResults(only: Set<string> | null, scenarios: Record<string, ScenarioRecord>, started: Date): Promise<void> {
  if (only !== null) {
    const recorded = await previousScenarios();
    for (const [id, record] of Object.entries(recorded)) if (!(id in scenarios)) scenarios[id] = record;
  }
  const figures = Object.values(scenarios).flatMap((s) => s.figures);
  for (const figure of figures) process.stdout.write(`${formatFigure(figure)}\n`);
  const missed = figures.filter((f) => !meets(f));
  const results = {
    about: "performance at scale (docs/performance.md)",
    date: started.toISOString(),
    machine: {
      cpuModel: cpus()[0]?.model ?? "unknown",
      cpus: cpus().length,
      totalMemoryGiB: round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    settings: {
      world: SHAPE,
      latencyMs: LATENCY_MS,
      concurrency: CONCURRENCY,
      timeScale: TIME_SCALE,
      limits: LIMITS,
      primaryLimitNote:
        `(b), (c), (d) run with ${LIMITS.primaryPointsPerHour} primary points per hour (GitHub's documented limit for GitHub Apps and OAuth apps of Enterprise Cloud organizations), stated here rather than hidden. ` +
        `A refresh needs ${sum(refreshNeeds(SHAPE).map((n) => n.requests))} reads and an apply ${sum(refreshNeeds(SHAPE, REVOKE_EVERY).map((n) => n.requests)) + revokedRepositories(SHAPE, REVOKE_EVERY)} requests: more than a 5,000-point token holds, so there the primary window, not the secondary limits, sets the floor (scenarios.b.floorAt5000PerHour). ` +
        "Secondary limits are github.com's: 900 points per endpoint per minute, 80 content-creating requests per minute, 100 concurrent. " +
        "Windows are started afresh (PUT /_sandbox/limits) before each scenario, as a pause of an hour of GitHub time between runs would.",
      refreshDefinition:
        "observeLinks over every declared link (reconcile/operations.ts): the namespace's links listed once, each link's credentials read, each repository's webhooks and deploy keys listed. The config names no clientSecretEnv, so grants are not checked with POST /applications/{client_id}/token (that would add 1,000 content-creating requests: a 12.5 GitHub-minute floor).",
      requestsPerRepositoryNote:
        "requestsPerRepository = every GitHub request of the run ÷ 5,000 (retries and extra pages included, GraphQL queries too). A refresh lists each repository's webhooks by REST and reads the deploy keys of all 5,000 in 50 GraphQL queries of 100 (reconcile/run-deploy-keys.ts), so its floor is 1 + 20 extra pages / 5,000 + 50 / 5,000 = 1.014. The GraphQL points (50) come from GraphQL's own budget: REST's primary points and floors count REST only.",
    },
    floorFormula: FLOOR_FORMULA,
    pass: missed.length === 0,
    missed: missed.map(formatFigure),
    lines: figures.map(formatFigure),
    scenarios,
  };
  await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  if (missed.length > 0) {
    process.stderr.write(`bench: ${missed.length} target(s) missed\n`);
    process.exitCode = 1;
  }
}

/** The scenarios results.json holds now (none when it does not exist yet). */
async function previousScenarios(): Promise<Record<string, ScenarioRecord>> {
  let text: string;
  try {
    text = await readFile(RESULTS_FILE, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  return (JSON.parse(text) as { scenarios?: Record<string, ScenarioRecord> }).scenarios ?? {};
}

/** Runs a scenario; a failure becomes a missed figure with its message, so the other scenarios still report. */
async function attempt(id: string, run: () => Promise<ScenarioRecord>): Promise<ScenarioRecord> {
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`bench: ${id} failed: ${message}\n`);
    return { description: `${id} failed`, error: message, figures: [{ key: `${id}.failed`, value: 1, target: { op: "==", limit: 0 } }] };
  }
}

/** How a scenario's counters become figures. */
interface MeasureSpec {
  id: string;
  description: string;
  /** The limits the floor is computed under, or the floor itself. */
  floorLimits?: FloorLimits;
  floor?: Floor;
  timeScale: number;
  needs: EndpointNeed[];
  primaryFree?: boolean;
  targetRatio?: boolean;
  targetPrimaryZero?: boolean;
  /** Every REST read paid in full: the primary points must be exactly this many. */
  expectedPrimaryPoints?: number;
}

/** Runs one workload against a sandbox with fresh counters and windows, and derives its figures. */
async function measure(
  sandbox: SandboxProcess,
  workload: "refresh" | "apply",
  scenarioParams: ScenarioParams,
  spec: MeasureSpec,
  env: Record<string, string> = sandbox.env,
): Promise<ScenarioRecord> {
  await sandbox.setLimits({});
  await sandbox.resetCounters();
  const outcome = await runScenario(workload, scenarioParams, env);
  const counters = await sandbox.counters();
  const floor = spec.floor ?? computeFloor(spec.needs, spec.floorLimits!, spec.timeScale, LATENCY_MS, spec.primaryFree);
  const repos = SHAPE.repositories;
  const github = counters.byService["github"] ?? 0;
  // REST points of the run's tokens; a GitHub App's JWT (minting an installation token) has a budget of its own.
  const primary = sum(
    Object.entries(counters.primaryPointsByToken)
      .filter(([label]) => !label.startsWith("app-jwt:"))
      .map(([, points]) => points),
  );
  const { injected, ...knowable } = counters.rejections;
  const rejections = sum(Object.values(knowable));
  const id = spec.id;
  const figures: Figure[] = [
    {
      key: `${id}.wallSeconds`,
      value: outcome.wallSeconds,
      ...(id === "a.refresh" ? { target: { op: "<", limit: 25 } } : {}),
      note: `floor ${round(floor.seconds)} s`,
    },
    { key: `${id}.githubRequests`, value: github },
    {
      key: `${id}.requestsPerRepository`,
      value: github / repos,
      ...(id === "a.refresh" ? { target: { op: "<=", limit: 1.05 } } : {}),
      note: `GitHub requests ÷ ${repos} repositories; floor ${round(sum(spec.needs.map((n) => n.requests)) / repos)}`,
    },
    { key: `${id}.hookListingsPerRepository`, value: (counters.byEndpoint[HOOK_LIST] ?? 0) / repos },
    { key: `${id}.keyListingsPerRepository`, value: (counters.byEndpoint[KEY_LIST] ?? 0) / repos },
    { key: `${id}.buildServiceRequests`, value: counters.byService["build-service"] ?? 0 },
    {
      key: `${id}.primaryPoints`,
      value: primary,
      ...(spec.targetPrimaryZero ? { target: { op: "==", limit: 0 } } : {}),
      ...(spec.expectedPrimaryPoints === undefined
        ? {}
        : {
            target: { op: "==", limit: spec.expectedPrimaryPoints },
            note: "every REST read paid in full: GitHub's ETags are token specific",
          }),
    },
    { key: `${id}.notModified`, value: counters.notModified },
    {
      key: `${id}.rejections`,
      value: rejections,
      ...(spec.timeScale !== 1 ? { target: { op: "==", limit: 0 } } : {}),
      note: "refused for a limit the client could know",
    },
    { key: `${id}.floorSeconds`, value: floor.seconds, note: `binding: ${floor.binding}; rate form ${round(floor.rateSeconds)} s` },
    {
      key: `${id}.ratioToFloor`,
      value: outcome.wallSeconds / floor.seconds,
      ...(spec.targetRatio ? { target: { op: "<=", limit: 1.15 } } : {}),
    },
    { key: `${id}.peakRssMB`, value: outcome.peakRssBytes / 2 ** 20, ...(id === "a.refresh" ? { target: { op: "<", limit: 300 } } : {}) },
    ...completeness(id, outcome),
  ];
  if (injected > 0) figures.push({ key: `${id}.injectedRejections`, value: injected });
  return { description: spec.description, figures, floor, outcome, counters };
}

/**
 * (g)/(g2): a sweep of the scale org (reconcile/observe-sweep.ts) with fresh counters and
 * windows. REST: the listing pages, then one webhook listing per repository (two for the 20 with 120
 * hooks) and one of the org's own hooks; GraphQL: one query per listing page for its repositories' deploy keys, from GraphQL's own
 * budget (not in the REST floor: 50 points of 5,000 an hour, 50 queries of 2,000 a minute bind nothing).
 */
async function measureSweep(sandbox: SandboxProcess, params: ScenarioParams, id: string, unchanged: boolean): Promise<ScenarioRecord> {
  await sandbox.setLimits({});
  await sandbox.resetCounters();
  const outcome = await runScenario("sweep", params, sandbox.env);
  const counters = await sandbox.counters();
  const repos = SHAPE.repositories;
  const pages = Math.ceil(repos / REPOS_PER_PAGE);
  const needs: EndpointNeed[] = [{ endpoint: "GET /orgs/{org}/repos", method: "GET", requests: pages }, ...refreshNeeds(SHAPE)];
  const floor = computeFloor(needs, LIMITS, TIME_SCALE, LATENCY_MS, unchanged);
  const graphqlRequests = counters.byEndpoint[GRAPHQL] ?? 0;
  const rest = (counters.byService["github"] ?? 0) - graphqlRequests;
  const listing = counters.byEndpoint[REPO_LIST] ?? 0;
  const { injected, ...knowable } = counters.rejections;
  const artifacts = Math.ceil(repos / SWEEP_ARTIFACTS_EVERY);
  const s = outcome.summary as RefreshSummary;
  const figures: Figure[] = [
    { key: `${id}.wallSeconds`, value: outcome.wallSeconds, note: `floor ${round(floor.seconds)} s` },
    { key: `${id}.listingPages`, value: listing, note: `GET /orgs/{org}/repos at per_page=${REPOS_PER_PAGE}` },
    {
      key: `${id}.restRequestsPerRepository`,
      value: (rest - listing) / repos,
      target: { op: "<=", limit: 1.05 },
      note: `REST requests besides the listing pages ÷ ${repos}; floor ${round(sum(refreshNeeds(SHAPE).map((n) => n.requests)) / repos)}`,
    },
    {
      key: `${id}.graphqlQueries`,
      value: graphqlRequests,
      note: `${counters.graphql.queries} executed; one per listing page of ${REPOS_PER_PAGE} repositories`,
    },
    {
      key: `${id}.graphqlPoints`,
      value: counters.graphql.points,
      target: { op: "<=", limit: LIMITS.graphqlPointsPerHour },
      note: unchanged
        ? "GraphQL has no conditional requests: an unchanged read pays its queries again, from GraphQL's own budget (5,000 points an hour), never from REST's"
        : "GraphQL's own budget: 5,000 points an hour; 10,000 nodes a query of a 500,000 limit",
    },
    {
      key: `${id}.primaryPoints`,
      value: sum(Object.values(counters.primaryPointsByToken)),
      ...(unchanged ? { target: { op: "==", limit: 0 } } : {}),
      note: "REST primary points",
    },
    { key: `${id}.notModified`, value: counters.notModified },
    {
      key: `${id}.rejections`,
      value: sum(Object.values(knowable)),
      target: { op: "==", limit: 0 },
      note: "refused for a limit the client could know",
    },
    { key: `${id}.floorSeconds`, value: floor.seconds, note: `binding: ${floor.binding}` },
    { key: `${id}.ratioToFloor`, value: outcome.wallSeconds / floor.seconds, target: { op: "<=", limit: 1.15 } },
    { key: `${id}.peakRssMB`, value: outcome.peakRssBytes / 2 ** 20, target: { op: "<", limit: 300 } },
    { key: `${id}.observedRepositories`, value: s.repositories, target: { op: "==", limit: repos } },
    { key: `${id}.buildServiceWebhooks`, value: s.buildServiceWebhooks, target: { op: "==", limit: artifacts } },
    { key: `${id}.buildServiceDeployKeys`, value: s.deployKeys, target: { op: "==", limit: artifacts } },
  ];
  if (injected > 0) figures.push({ key: `${id}.injectedRejections`, value: injected });
  return {
    description: unchanged
      ? "the same sweep again with nothing changed, the ETag cache from (g) on disk: listing pages and webhook listings revalidated with If-None-Match"
      : `sweep of one org of ${repos} repositories (every ${SWEEP_ARTIFACTS_EVERY}th with the build service's webhook and deploy key): the listing pages and each repository's webhooks by REST, each page's deploy keys by one GraphQL query, under the limits of (b), empty ETag cache`,
    figures,
    floor,
    outcome,
    counters,
  };
}

/** Every repository seen, and every build-service webhook and foreign webhook counted: the run read the whole world. */
function completeness(id: string, outcome: ScenarioOutcome): Figure[] {
  const s = outcome.summary as RefreshSummary;
  const foreign =
    (SHAPE.repositories - SHAPE.multiPageRepos) * SHAPE.foreignHooksPerRepo +
    SHAPE.multiPageRepos * Math.max(SHAPE.foreignHooksPerRepo, SHAPE.hooksPerMultiPageRepo - 1);
  return [
    { key: `${id}.observedRepositories`, value: s.repositories, target: { op: "==", limit: SHAPE.repositories } },
    { key: `${id}.observedForeignWebhooks`, value: s.foreignWebhooks, target: { op: "==", limit: foreign } },
  ];
}

/** (c) must delete every webhook of the revoked links and nothing else, without a failed step. */
function addApplyChecks(record: ScenarioRecord): void {
  const counters = record.counters!;
  const summary = record.outcome!.summary as { failedLinks?: number };
  record.figures.push(
    {
      key: "c.apply.webhooksDeleted",
      value: counters.byEndpoint[HOOK_DELETE] ?? 0,
      target: { op: "==", limit: revokedRepositories(SHAPE, REVOKE_EVERY) },
    },
    { key: "c.apply.failedLinks", value: summary.failedLinks ?? NaN, target: { op: "==", limit: 0 } },
  );
}

/** (f): the same GitHub client, one request at a time and no cache, on a subset; extrapolated per repository. */
async function naive(sandbox: SandboxProcess, configFile: string): Promise<ScenarioRecord> {
  await sandbox.resetCounters();
  const outcome = await runScenario("naive", { configFile, concurrency: 1, subsetLinks: NAIVE_LINKS }, sandbox.env);
  const counters = await sandbox.counters();
  const repos = (outcome.summary as RefreshSummary).repositories;
  const perRepo = outcome.wallSeconds / repos;
  return {
    description: `naive baseline: webhooks then deploy keys of each of ${repos} repositories (${NAIVE_LINKS} links), one request at a time, no ETag cache, ${LATENCY_MS} ms latency; extrapolated to ${SHAPE.repositories}`,
    figures: [
      { key: "f.naive.repositories", value: repos },
      { key: "f.naive.wallSeconds", value: outcome.wallSeconds },
      { key: "f.naive.secondsPerRepository", value: perRepo },
      { key: "f.naive.requestsPerRepository", value: (counters.byService["github"] ?? 0) / repos },
      { key: "f.naive.extrapolatedSeconds", value: perRepo * SHAPE.repositories, note: `${SHAPE.repositories} repositories` },
      { key: "f.naive.peakRssMB", value: outcome.peakRssBytes / 2 ** 20 },
    ],
    outcome,
    counters,
  };
}

/** (e2): the built CLI refusing a file of 100,000 unknown keys: exit 2, 100 located problems, then the count of the rest. */
async function validateHostile({ dir }: BenchFiles): Promise<ScenarioRecord> {
  const file = join(dir, "unknown-keys-100k.yaml");
  await writeFile(file, unknownKeysConfigText(HOSTILE_KEYS));
  const cli = here("../../cli/main.js");
  const rssFile = join(dir, "validate-hostile-rss");
  const cpuFile = join(dir, "validate-hostile-cpu");
  const runs: { seconds: number; cpuSeconds: number; code: number | null; peakRssBytes: number }[] = [];
  const last = `and ${(HOSTILE_KEYS - 100).toLocaleString("en-US")} more problems: only the first 100 are listed; fix them and run again`;
  for (let i = 0; i < HOSTILE_RUNS; i++) {
    const run = await timeCommand(["--import", pathToFileURL(here("./exit-rss.js")).href, cli, "validate", file], {
      ...process.env,
      BENCH_RSS_FILE: rssFile,
      BENCH_CPU_FILE: cpuFile,
    });
    const lines = run.stderr.trimEnd().split("\n");
    if (run.code !== 2 || lines.length !== 101 || lines[100] !== last)
      throw new Error(`validate exited with ${run.code}, ${lines.length} lines: ${run.stderr.slice(-300)}`);
    runs.push({
      seconds: run.seconds,
      cpuSeconds: Number(await readFile(cpuFile, "utf8")),
      code: run.code,
      peakRssBytes: Number(await readFile(rssFile, "utf8")),
    });
  }
  const cpu = runs.map((r) => r.cpuSeconds).sort((x, y) => x - y);
  const sorted = runs.map((r) => r.seconds).sort((x, y) => x - y);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return {
    description: `node dist/cli/main.js validate <a file of ${HOSTILE_KEYS} unknown keys> as a child process, node start included; exit 2 with 100 located problems and a count; median of ${HOSTILE_RUNS} runs`,
    figures: [
      {
        key: "e2.validateHostile.wallSeconds",
        value: median,
        target: { op: "<", limit: 5 },
        note: `${HOSTILE_KEYS} unknown keys, node start included, median of ${HOSTILE_RUNS}`,
      },
      {
        key: "e2.validateHostile.cpuSeconds",
        value: cpu[Math.floor(cpu.length / 2)]!,
        note: "user + system of the validate process, median; wall time also counts other processes on a shared machine",
      },
      { key: "e2.validateHostile.peakRssMB", value: Math.max(...runs.map((r) => r.peakRssBytes)) / 2 ** 20 },
    ],
    runs,
  };
}

/** (e): the built CLI validating a 10,000-link config, node start included; the median of a few runs (the slowest is reported too). */
async function validate(file: string, dir: string): Promise<ScenarioRecord> {
  const cli = here("../../cli/main.js");
  const rssFile = join(dir, "validate-rss");
  const runs: { seconds: number; code: number | null; peakRssBytes: number }[] = [];
  for (let i = 0; i < VALIDATE_RUNS; i++) {
    const run = await timeCommand(["--import", pathToFileURL(here("./exit-rss.js")).href, cli, "validate", file], {
      ...process.env,
      BENCH_RSS_FILE: rssFile,
    });
    if (run.code !== 0) throw new Error(`validate exited with ${run.code}: ${run.stderr.slice(0, 500)}`);
    runs.push({ seconds: run.seconds, code: run.code, peakRssBytes: Number(await readFile(rssFile, "utf8")) });
  }
  const sorted = runs.map((r) => r.seconds).sort((x, y) => x - y);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return {
    description: `node dist/cli/main.js validate <${VALIDATE_LINKS}-link config> as a child process, node start included; median of ${VALIDATE_RUNS} runs`,
    figures: [
      {
        key: "e.validate.wallSeconds",
        value: median,
        target: { op: "<", limit: 1 },
        note: `${VALIDATE_LINKS} links, node start included, median of ${VALIDATE_RUNS}`,
      },
      { key: "e.validate.slowestSeconds", value: sorted[sorted.length - 1]! },
      { key: "e.validate.peakRssMB", value: Math.max(...runs.map((r) => r.peakRssBytes)) / 2 ** 20 },
    ],
    runs,
  };
}

/**
 * The listings an observation of every link needs: one page of webhooks per repository (two where
 * there are over 100), and the deploy keys of the repositories of the first `revoked` links only
 * (observe-link.ts lists deploy keys only for links to be revoked).
 */
function refreshNeeds(shape: ScaleShape, revokeEvery?: number): EndpointNeed[] {
  const extraPages = shape.multiPageRepos * (Math.ceil(shape.hooksPerMultiPageRepo / HOOKS_PER_PAGE) - 1);
  const needs: EndpointNeed[] = [{ endpoint: "GET /repos/{owner}/{repo}/hooks", method: "GET", requests: shape.repositories + extraPages }];
  const keys = revokedRepositories(shape, revokeEvery);
  if (keys > 0) needs.push({ endpoint: "GET /repos/{owner}/{repo}/keys", method: "GET", requests: keys });
  return needs;
}

/** Repositories of the links revoked by `revokeEvery`: each holds one build-service webhook to delete. */
function revokedRepositories(shape: ScaleShape, revokeEvery: number | undefined): number {
  let n = 0;
  for (let i = 0; i < shape.links; i++) if (isRevoked(i, revokeEvery)) n += linkRepositories(shape, i).length;
  return n;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});

/** An app's RSA key pair in PEM. */
interface AppKeyPair {
  privateKey: string;
  publicKey: string;
}

/** A fresh RSA key pair in PEM, as GitHub hands out for an app; never written to disk. */
function appKeyPair(): AppKeyPair {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
}
