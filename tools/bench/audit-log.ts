/**
 * Scenarios (i), (i2), (i3): a sweep of a 5,000-repository GitHub Enterprise Cloud org refreshed from
 * its audit log (engine/reconcile/refresh-owner.ts), under the limits of (b), one sandbox for the three:
 * (i) the second refresh of an unchanged org, within the verification cadence;
 * (i2) 20 repositories changed between two runs (webhooks added and removed, deploy keys deleted,
 *     repositories renamed): every change observed, at most 2 requests per changed repository plus the log's pages;
 * (i3) an event the log shows late (the sandbox's delay): missed by the run right after it, found by
 *     the next run's overlap.
 * The config is docker-hub's (no link API): the sweep's requests are GitHub's alone.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CountersSnapshot } from "../../sandbox/counters.js";
import { SCALE_CLIENT_ID, SCALE_ORG } from "../../sandbox/scale-world.js";
import type { Figure } from "./figures.js";
import { runScenario, type SandboxProcess } from "./processes.js";
import type { ScenarioOutcome, ScenarioParams } from "./scenario.js";
import type { RefreshSummary } from "./workloads.js";

/** What the three scenarios share: the sandbox, the bench's folder, the client's settings. */
export interface AuditLogBench {
  sandbox: SandboxProcess;
  dir: string;
  repositories: number;
  artifactsEvery: number;
  concurrency: number;
  timeScale: number;
}

/** One scenario's record, as results.json holds it. */
export interface AuditLogRecord {
  description: string;
  figures: Figure[];
  outcome?: ScenarioOutcome;
  counters?: CountersSnapshot;
  [extra: string]: unknown;
}

const GRAPHQL = "POST /github/graphql";
const AUDIT_LOG = "GET /github/orgs/:org/audit-log";
const BUILD_HOOK = (n: number): string =>
  `https://cloud.docker.com/api/build/v1/vcs/5ca1e000-0000-4000-9000-${String(n).padStart(12, "0")}/trigger/call/`;
/** (i2): how the 20 changed repositories changed. */
const CHANGES = { hooksAdded: 6, hooksRemoved: 6, keysDeleted: 4, renamed: 4 } as const;

/** The scenarios' config: docker-hub, a sweep of the scale org, no link. */
async function configFile(dir: string): Promise<string> {
  const file = join(dir, "audit-log-sweep.yaml");
  await writeFile(
    file,
    [
      "apiVersion: sourcelinks/v1",
      "buildService:",
      "  kind: docker-hub",
      "  oauthApps:",
      `    github: { clientId: ${SCALE_CLIENT_ID}, name: Docker Hub Builder }`,
      "providers:",
      "  github: { apiUrl: https://api.github.com, tokenEnv: GITHUB_TOKEN }",
      "links: []",
      "sweeps:",
      `  - { provider: github, owner: ${SCALE_ORG} }`,
      "",
    ].join("\n"),
  );
  return file;
}

function params(b: AuditLogBench, config: string): ScenarioParams {
  return {
    configFile: config,
    concurrency: b.concurrency,
    pacedTimeScale: b.timeScale,
    etagCacheFile: join(b.dir, "audit-log-etags.json"),
    inventoryFile: join(b.dir, "audit-log-inventories.json"),
  };
}

/** One sweep with fresh counters: its outcome, the counters, and the refresh it reports. */
async function sweepOnce(
  b: AuditLogBench,
  config: string,
): Promise<{ outcome: ScenarioOutcome; counters: CountersSnapshot; summary: RefreshSummary }> {
  await b.sandbox.setLimits({});
  await b.sandbox.resetCounters();
  const outcome = await runScenario("sweep", params(b, config), b.sandbox.env);
  return { outcome, counters: await b.sandbox.counters(), summary: outcome.summary };
}

/** GitHub requests of a run, REST and GraphQL. */
function githubRequests(c: CountersSnapshot): number {
  return c.byService["github"] ?? 0;
}

function rejections(c: CountersSnapshot): number {
  const { injected: _injected, ...knowable } = c.rejections;
  return Object.values(knowable).reduce((a, b) => a + b, 0);
}

/** Sends a GitHub request as the operator (the org's owner); throws unless it succeeds. */
async function github(b: AuditLogBench, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${b.sandbox.baseUrl}/github${path}`, {
    method,
    headers: { authorization: `token ${b.sandbox.env["GITHUB_TOKEN"]}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`bench: ${method} ${path}: ${response.status} ${text.slice(0, 200)}`);
  return text.length > 0 ? JSON.parse(text) : undefined;
}

/** Runs (i), (i2) and (i3) in order: each later one starts from the inventory the earlier left. */
export async function auditLogScenarios(b: AuditLogBench): Promise<Record<string, AuditLogRecord>> {
  const config = await configFile(b.dir);
  const artifacts = Math.ceil(b.repositories / b.artifactsEvery);
  const out: Record<string, AuditLogRecord> = {};

  // The first run reads in full, stores the inventory and the log's cursor: the baseline of (i).
  const first = await sweepOnce(b, config);
  if (first.summary.refresh?.mode !== "full")
    throw new Error(`bench: the first sweep was not a full read (${first.summary.refresh?.mode})`);

  // (i): nothing changed.
  const i = await sweepOnce(b, config);
  out["i"] = {
    description: `second refresh of an unchanged Enterprise Cloud org of ${b.repositories} repositories within the verification cadence: the audit log since the stored cursor, nothing re-read (the first, full read: ${round(first.outcome.wallSeconds)} s, ${githubRequests(first.counters)} GitHub requests)`,
    figures: [
      {
        key: "i.githubRequests",
        value: githubRequests(i.counters),
        target: { op: "<=", limit: 10 },
        note: "REST and GraphQL, every request of the run",
      },
      { key: "i.wallSeconds", value: i.outcome.wallSeconds, target: { op: "<=", limit: 3 } },
      { key: "i.rejections", value: rejections(i.counters), target: { op: "==", limit: 0 } },
      {
        key: "i.incremental",
        value: i.summary.refresh?.mode === "incremental" ? 1 : 0,
        target: { op: "==", limit: 1 },
        note: i.summary.refresh?.fullBecause ?? "read from the audit log",
      },
      { key: "i.observedRepositories", value: i.summary.repositories, target: { op: "==", limit: b.repositories } },
      { key: "i.buildServiceWebhooks", value: i.summary.buildServiceWebhooks, target: { op: "==", limit: artifacts } },
      { key: "i.firstRunGithubRequests", value: githubRequests(first.counters), note: "the full read that stored the inventory" },
    ],
    outcome: i.outcome,
    counters: i.counters,
  };

  // (i2): 20 repositories changed between runs, through the API (so the log records each change).
  const withArtifacts = (k: number): string => `${SCALE_ORG}/repo-${k * b.artifactsEvery}`;
  const without = (k: number): string => `${SCALE_ORG}/repo-${k * b.artifactsEvery + 1}`;
  let n = 0;
  for (let k = 0; k < CHANGES.hooksAdded; k++) await github(b, "POST", `/repos/${without(n++)}/hooks`, { config: { url: BUILD_HOOK(k) } });
  for (let k = 0; k < CHANGES.hooksRemoved; k++) {
    const repo = withArtifacts(n++);
    const hooks = (await github(b, "GET", `/repos/${repo}/hooks`)) as { id: number; config: { url: string } }[];
    const ours = hooks.find((h) => h.config.url.startsWith("https://cloud.docker.com/"));
    if (ours) await github(b, "DELETE", `/repos/${repo}/hooks/${ours.id}`);
  }
  for (let k = 0; k < CHANGES.keysDeleted; k++) {
    const repo = withArtifacts(n++);
    const keys = (await github(b, "GET", `/repos/${repo}/keys`)) as { id: number }[];
    for (const key of keys) await github(b, "DELETE", `/repos/${repo}/keys/${key.id}`);
  }
  const renamed: string[] = [];
  for (let k = 0; k < CHANGES.renamed; k++) {
    const repo = withArtifacts(n++);
    renamed.push(`${repo}-renamed`);
    await github(b, "PATCH", `/repos/${repo}`, { name: `${repo.split("/")[1]}-renamed` });
  }
  const changed = n;
  const i2 = await sweepOnce(b, config);
  const logPages = i2.counters.byEndpoint[AUDIT_LOG] ?? 0;
  const expectedHooks = artifacts + CHANGES.hooksAdded - CHANGES.hooksRemoved;
  const expectedKeys = artifacts - CHANGES.keysDeleted;
  out["i2"] = {
    description: `the same org with ${changed} repositories changed between runs (${CHANGES.hooksAdded} build-service webhooks added, ${CHANGES.hooksRemoved} removed, ${CHANGES.keysDeleted} deploy keys deleted, ${CHANGES.renamed} repositories renamed): the events' repositories re-read, the rest reused`,
    figures: [
      {
        key: "i2.requestsPerChangedRepository",
        value: (githubRequests(i2.counters) - logPages) / changed,
        target: { op: "<=", limit: 2 },
        note: `GitHub requests besides the ${logPages} audit log page(s) ÷ ${changed} changed repositories (webhook listings, one GraphQL query of deploy keys, the token's login)`,
      },
      { key: "i2.githubRequests", value: githubRequests(i2.counters) },
      { key: "i2.auditLogPages", value: logPages },
      { key: "i2.reread", value: i2.summary.refresh?.reread ?? -1, target: { op: "==", limit: changed } },
      {
        key: "i2.buildServiceWebhooks",
        value: i2.summary.buildServiceWebhooks,
        target: { op: "==", limit: expectedHooks },
        note: "every added and removed webhook observed",
      },
      {
        key: "i2.buildServiceDeployKeys",
        value: i2.summary.deployKeys,
        target: { op: "==", limit: expectedKeys },
        note: "every deleted deploy key observed",
      },
      {
        key: "i2.observedRepositories",
        value: i2.summary.repositories,
        target: { op: "==", limit: b.repositories },
        note: `renamed: ${renamed.join(", ")}`,
      },
      { key: "i2.incremental", value: i2.summary.refresh?.mode === "incremental" ? 1 : 0, target: { op: "==", limit: 1 } },
      { key: "i2.rejections", value: rejections(i2.counters), target: { op: "==", limit: 0 } },
      { key: "i2.wallSeconds", value: i2.outcome.wallSeconds },
      { key: "i2.graphqlQueries", value: i2.counters.byEndpoint[GRAPHQL] ?? 0 },
    ],
    outcome: i2.outcome,
    counters: i2.counters,
  };

  // (i3): the log shows an event late. A webhook added just before a run is not in the log yet; the
  // next run, once the delay has passed, reads the log from before the last cursor (the overlap) and finds it.
  // The sandbox's clock is moved past the delay rather than waited for. It is moved once before the
  // delay is set too, so (i2)'s events are older than the delay (the sandbox applies it to every event).
  const delaySeconds = 600;
  const realDelaySeconds = delaySeconds / b.timeScale;
  await admin(b, "/clock", { offsetSeconds: realDelaySeconds + 10 });
  await admin(b, "/audit-log", { delaySeconds });
  const lateRepo = without(n++);
  await github(b, "POST", `/repos/${lateRepo}/hooks`, { config: { url: BUILD_HOOK(99) } });
  const early = await sweepOnce(b, config);
  await admin(b, "/clock", { offsetSeconds: 2 * (realDelaySeconds + 10) });
  const later = await sweepOnce(b, config);
  await admin(b, "/audit-log", { delaySeconds: 0 });
  out["i3"] = {
    description: `a webhook added on ${lateRepo} while the audit log shows events ${delaySeconds} GitHub seconds late (${realDelaySeconds} s of sandbox time): the run right after it cannot see it; the sandbox clock is then moved past the delay, and the next run's overlap (15 minutes before the stored cursor) finds it`,
    figures: [
      {
        key: "i3.seenByTheRunRightAfter",
        value: early.summary.buildServiceWebhooks - i2.summary.buildServiceWebhooks,
        target: { op: "==", limit: 0 },
        note: "the event was not in the log yet",
      },
      {
        key: "i3.foundByTheNextRun",
        value: later.summary.buildServiceWebhooks - i2.summary.buildServiceWebhooks,
        target: { op: "==", limit: 1 },
        note: "never lost",
      },
      { key: "i3.nextRunReread", value: later.summary.refresh?.reread ?? -1, target: { op: "==", limit: 1 } },
      { key: "i3.incremental", value: later.summary.refresh?.mode === "incremental" ? 1 : 0, target: { op: "==", limit: 1 } },
      { key: "i3.rejections", value: rejections(early.counters) + rejections(later.counters), target: { op: "==", limit: 0 } },
    ],
    outcome: later.outcome,
    counters: later.counters,
  };
  return out;
}

/** `PUT /_sandbox/PATH` (the audit log's delay, the clock). */
async function admin(b: AuditLogBench, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${b.sandbox.baseUrl}/_sandbox${path}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`bench: PUT /_sandbox${path}: ${response.status}`);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
