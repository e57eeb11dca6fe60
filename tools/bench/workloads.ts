/**
 * What the benchmark times, written only with the operations API (reconcile/operations.ts), so the
 * figures are those of the code the CLI and the provider run.
 */
import type { BuildSpec } from "../../engine/model/build-spec.js";
import type { LinkSpec } from "../../engine/model/spec.js";
import { mapLimit } from "../../engine/reconcile/map-limit.js";
import {
  executePlan,
  observeLinks,
  observeSweep,
  planLink,
  SweepLinkWorld,
  type OperationContext,
} from "../../engine/reconcile/operations.js";
import { executeReplacementSteps, planReplacements } from "../../engine/reconcile/replacements.js";
import { observeAndVerify } from "../../engine/reconcile/verify-replacements.js";
import type { ObservedLink } from "../../engine/model/observed.js";
import type { SweepRefresh } from "../../engine/model/sweep.js";
import { SCALE_ORG } from "../../sandbox/scale-world.js";
import type { SweepSpec } from "../../engine/model/spec.js";

/** What a refresh saw, to check it read the whole world. */
export interface RefreshSummary {
  links: number;
  repositories: number;
  missingRepositories: number;
  buildServiceWebhooks: number;
  deployKeys: number;
  foreignWebhooks: number;
  /** A sweep's: how its owner was read (with a refresh policy). */
  refresh?: SweepRefresh;
}

/** What an apply did. */
export interface ApplySummary extends RefreshSummary {
  /** Real seconds observing every link, then executing the plans. */
  observeSeconds: number;
  executeSeconds: number;
  plannedSteps: number;
  doneSteps: number;
  skippedSteps: number;
  failedLinks: number;
  /** The first failure, redacted (HttpError messages hold no secret). */
  firstFailure: string | null;
}

/** Links applied at once, as the CLI's `apply` does (cli/concurrency.ts). */
const APPLY_CONCURRENCY = 8;

/** A refresh: every link observed (build-service record, grant, webhooks and deploy keys of each repository). */
export async function refresh(ctx: OperationContext, specs: readonly LinkSpec[]): Promise<RefreshSummary> {
  return summarize(await observeLinks(ctx, specs));
}

/**
 * The naive baseline: what a script looping over the API does. One repository after the other, the
 * same listings a refresh reads (webhooks; deploy keys too for a link to be revoked), through the
 * same GitHub client (run with concurrency 1 and no ETag cache).
 */
export async function naiveListing(ctx: OperationContext, specs: readonly LinkSpec[]): Promise<RefreshSummary> {
  const github = ctx.clients.providers.github;
  if (!github) throw new Error("bench: no GitHub client");
  const summary: RefreshSummary = {
    links: specs.length,
    repositories: 0,
    missingRepositories: 0,
    buildServiceWebhooks: 0,
    deployKeys: 0,
    foreignWebhooks: 0,
  };
  for (const [repository, revoked] of specs.flatMap((s) => s.repositories.map((r) => [r, s.state === "revoked"] as const))) {
    const hooks = await github.listWebhooks(repository);
    const keys = revoked ? await github.listDeployKeys(repository) : { exists: true, items: [] };
    const ours = hooks.items.filter((h) => ctx.webhooks.matchesAny(h.url)).length;
    summary.repositories++;
    if (!hooks.exists || !keys.exists) summary.missingRepositories++;
    summary.buildServiceWebhooks += ours;
    summary.foreignWebhooks += hooks.items.length - ours;
    summary.deployKeys += keys.items.filter((k) => ctx.deployKeys.matchesAny(k.title)).length;
  }
  return summary;
}

/**
 * A sweep of the scale org, as `sourcelinks plan` observes one (reconcile/observe-sweep.ts): every
 * repository listed, its webhooks by REST, the deploy keys of each listing page by one GraphQL query,
 * the org's own hooks and the build service's records, then each artifact classified.
 */
export async function sweep(ctx: OperationContext, specs: readonly LinkSpec[]): Promise<RefreshSummary> {
  const spec = { name: `sweep-github-${SCALE_ORG}`, provider: "github" as const, owner: SCALE_ORG, exclude: [] };
  const found = await observeSweep(ctx, spec, new SweepLinkWorld(ctx, specs));
  const ofKind = (kind: string): number => found.artifacts.filter((a) => a.kind === kind).length;
  return {
    links: 0,
    repositories: found.repositoriesSwept,
    missingRepositories: 0,
    buildServiceWebhooks: ofKind("repository-webhook") + ofKind("org-webhook"),
    deployKeys: ofKind("deploy-key"),
    foreignWebhooks: found.foreignWebhookCount,
    ...(found.refresh ? { refresh: found.refresh } : {}),
  };
}

/**
 * An apply as the CLI runs one: observe every link, plan each, then execute the plans that have steps.
 * The phases do not overlap: `apply`'s revoke guard (docs/cli.md) judges the whole plan first.
 */
export async function apply(ctx: OperationContext, specs: readonly LinkSpec[]): Promise<ApplySummary> {
  const started = performance.now();
  const observed = await observeLinks(ctx, specs);
  const plans = specs.map((spec, i) => planLink(spec, observed[i]!, ctx)).filter((plan) => plan.steps.length > 0);
  const planned = performance.now();
  const results = await mapLimit(plans, APPLY_CONCURRENCY, (plan) => executePlan(ctx, plan));
  const failed = results.filter((r) => r.failed !== null);
  return {
    ...summarize(observed),
    observeSeconds: (planned - started) / 1000,
    executeSeconds: (performance.now() - planned) / 1000,
    plannedSteps: plans.reduce((n, p) => n + p.steps.length, 0),
    doneSteps: results.reduce((n, r) => n + r.done.length, 0),
    skippedSteps: results.reduce((n, r) => n + r.skipped.length, 0),
    failedLinks: failed.length,
    firstFailure: failed[0]?.failed?.error.message ?? null,
  };
}

/** Counts what was observed. */
export function summarize(observed: readonly ObservedLink[]): RefreshSummary {
  const repos = observed.flatMap((o) => o.repositories);
  return {
    links: observed.length,
    repositories: repos.length,
    missingRepositories: repos.filter((r) => !r.exists).length,
    buildServiceWebhooks: repos.reduce((n, r) => n + r.webhooks.length, 0),
    deployKeys: repos.reduce((n, r) => n + r.deployKeys.length, 0),
    foreignWebhooks: repos.reduce((n, r) => n + r.foreignWebhookCount, 0),
  };
}

/** What proposing replacement builds did. */
export interface ProposeSummary {
  builds: number;
  /** Builds whose repository ended with the pull request open (or already merged). */
  proposed: number;
  plannedSteps: number;
  doneSteps: number;
  failedBuilds: number;
  /** The first failure, redacted (HttpError messages hold no secret). */
  firstFailure: string | null;
}

/** Builds proposed at once: each one observes, then sends its steps in order (a branch before its file). */
const PROPOSE_CONCURRENCY = 32;

/** Proposes every declared build's replacement: observe, plan and send each one's steps, builds side by side. */
export async function propose(ctx: OperationContext, builds: readonly BuildSpec[]): Promise<ProposeSummary> {
  const summary: ProposeSummary = {
    builds: builds.length,
    proposed: 0,
    plannedSteps: 0,
    doneSteps: 0,
    failedBuilds: 0,
    firstFailure: null,
  };
  await mapLimit(builds, PROPOSE_CONCURRENCY, async (build) => {
    try {
      const [plan] = await planReplacements(ctx, [build]);
      if (!plan) return;
      summary.plannedSteps += plan.steps.length;
      const result = await executeReplacementSteps(ctx, plan.steps);
      summary.doneSteps += result.done.length;
      if (result.failed) throw result.failed.error;
      summary.proposed++;
    } catch (error) {
      summary.failedBuilds++;
      summary.firstFailure ??= error instanceof Error ? error.message : String(error);
    }
  });
  return summary;
}

/** What verifying replacement builds found. */
export interface VerifySummary {
  builds: number;
  /** Verdicts by state (`proposed`, `verified`, ...). */
  states: Record<string, number>;
  /** Verdicts carried over from an earlier run's verification (the default branch's head unmoved). */
  carriedOver: number;
}

/** Verifies every declared build's replacement, as plan and check do before judging a revocation. */
export async function verify(ctx: OperationContext, builds: readonly BuildSpec[]): Promise<VerifySummary> {
  const verdicts = await observeAndVerify(ctx, builds, { concurrency: PROPOSE_CONCURRENCY });
  const states: Record<string, number> = {};
  let carriedOver = 0;
  for (const verdict of verdicts.values()) {
    states[verdict.state] = (states[verdict.state] ?? 0) + 1;
    if (verdict.carriedOver !== undefined) carriedOver++;
  }
  return { builds: builds.length, states, carriedOver };
}

/**
 * (j): the sweep of the config's one Bitbucket workspace, as `sourcelinks plan` observes one; with the
 * context's refresh policy (`--verify-slices`), a rolling read after the first.
 */
export async function bitbucketSweep(ctx: OperationContext, spec: SweepSpec): Promise<RefreshSummary> {
  const found = await observeSweep(ctx, spec, new SweepLinkWorld(ctx, []));
  return {
    links: 0,
    repositories: found.repositoriesSwept,
    missingRepositories: 0,
    buildServiceWebhooks: found.artifacts.filter((a) => a.kind === "repository-webhook").length,
    deployKeys: found.artifacts.filter((a) => a.kind === "deploy-key").length,
    foreignWebhooks: found.foreignWebhookCount,
    ...(found.refresh ? { refresh: found.refresh } : {}),
  };
}
