/**
 * Observing and planning every declared resource of a config: the shared first half of `plan`,
 * `apply` and `check --live`. Observation goes through the operations of reconcile/operations.ts
 * (the same ones the Pulumi provider uses), concurrently and bounded.
 */
import { GitHubAppSetupError } from "../engine/clients/github/app-errors.js";
import type { LinkSpec, OrgAccessSpec, RecordedManualStep, SweepSpec } from "../engine/model/spec.js";
import type { LoadedConfig, SourceLocation } from "../engine/config/loaded-config.js";
import type { DoneByHand, ManualStep, RecordedButObservedOtherwise } from "../engine/model/manual-step.js";
import type { ObservedLink, ObservedOrgAccess } from "../engine/model/observed.js";
import type { ResourcePlan } from "../engine/model/plan.js";
import {
  linkStepCheck,
  orgStepCheck,
  recordedAgainstObservation,
  splitRecorded,
  sweepStepCheck,
  withRecordedLinkSteps,
  withRecordedOrgSteps,
  type StepCheck,
} from "../engine/reconcile/recorded-steps.js";
import { withSharedStepsOnce } from "../engine/reconcile/shared-steps.js";
import {
  linkObserver,
  OBSERVE_CONCURRENCY,
  observeOrgAccess,
  observeSweep,
  planLink,
  planOrgAccess,
  planSweep,
  RunReads,
  SweepLinkWorld,
  type OperationContext,
} from "../engine/reconcile/operations.js";
import type { SweepObservation } from "../engine/model/sweep.js";
import { DEFAULT_CONCURRENCY } from "./concurrency.js";
import { settleAll } from "../engine/reconcile/map-limit.js";
import { CliError, ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { formatLocation } from "./location.js";
import { unsetClientSecret } from "./missing-client-secret.js";
import { locateNearest } from "./load-config.js";

/** One declared link with what was observed of it. */
export interface ObservedLinkEntry {
  resource: "link";
  /** JSON pointer of the link in the merged config, e.g. `/links/0`. */
  pointer: string;
  location: SourceLocation | undefined;
  spec: LinkSpec;
  observed: ObservedLink;
}

/** One declared org access entry with what was observed of it. */
export interface ObservedOrgEntry {
  resource: "orgAccess";
  pointer: string;
  location: SourceLocation | undefined;
  spec: OrgAccessSpec;
  observed: ObservedOrgAccess;
}

/** One declared sweep with what it found. */
export interface ObservedSweepEntry {
  resource: "sweep";
  pointer: string;
  location: SourceLocation | undefined;
  spec: SweepSpec;
  observed: SweepObservation;
}

/** Everything observed for a config. */
export interface Observation {
  links: ObservedLinkEntry[];
  orgs: ObservedOrgEntry[];
  sweeps: ObservedSweepEntry[];
}

/** A planned link: its observation plus the steps that would converge it. */
export interface PlannedLinkEntry extends ObservedLinkEntry {
  plan: ResourcePlan;
  /** Manual steps of the plan that the YAML records as done by a person (left out of `plan`). */
  doneByHand?: DoneByHand[];
  /** Steps the YAML records as done whose effect the run observed otherwise (still in `plan`). */
  observedOtherwise?: RecordedButObservedOtherwise[];
}

/** A planned org access entry. */
export interface PlannedOrgEntry extends ObservedOrgEntry {
  plan: ResourcePlan;
  /** Manual steps of the plan that the YAML records as done by a person (left out of `plan`). */
  doneByHand?: DoneByHand[];
  observedOtherwise?: RecordedButObservedOtherwise[];
}

/** A planned sweep: the deletions of what no live link covers. */
export interface PlannedSweepEntry extends ObservedSweepEntry {
  plan: ResourcePlan;
  doneByHand?: DoneByHand[];
  observedOtherwise?: RecordedButObservedOtherwise[];
}

/** Any kind of planned entry. */
export type PlannedEntry = PlannedLinkEntry | PlannedOrgEntry | PlannedSweepEntry;

/** The plan of a whole config. */
export interface PlanRun {
  files: string[];
  links: PlannedLinkEntry[];
  orgs: PlannedOrgEntry[];
  /** Absent in runs built before sweeps existed. */
  sweeps?: PlannedSweepEntry[];
}

/** The resource name an org access entry is shown under (its org, as the policy rules name it). */
export function orgEntryName(spec: OrgAccessSpec): string {
  return spec.org;
}

/**
 * Observes every declared link and org. All observations run to the end even when some fail; then any
 * failure becomes one `CliError` (exit 1) with a located line per failed resource.
 */
export async function observeAll(loaded: LoadedConfig, ctx: OperationContext, io: CliIo): Promise<Observation> {
  const { links, orgAccess } = loaded.config;
  const sweeps = loaded.config.sweeps ?? [];
  const total = links.length + orgAccess.length + sweeps.length;
  let finished = 0;
  const tick = (what: string): void => reportStep(io, "observe", ++finished, total, what);

  // One observer for the run: each namespace's build-service links are listed once, not once per link,
  // and every declared link (of every file) counts as another live link when judging what to keep.
  const reads = new RunReads(ctx, links);
  const observeLink = linkObserver(ctx, links, reads);
  const linkResults = await settleAll(links, OBSERVE_CONCURRENCY, async (spec) => {
    const observed = await observeLink(spec);
    tick(`link ${spec.name}`);
    return observed;
  });
  // Org access may be read through a link, so orgs are observed once the links' observations are in.
  const orgResults = await settleAll(orgAccess, DEFAULT_CONCURRENCY, async (spec) => {
    const observed = await observeOrgAccess(ctx, spec, links, reads.world ?? undefined);
    tick(`org ${spec.org}`);
    return observed;
  });
  // Sweeps classify against every declared link and the build service's records, read once for all of them.
  // The links' reads are shared: a repository a link listed is not listed again by its owner's sweep.
  const sweepLinks = new SweepLinkWorld(ctx, links, reads);
  const sweepResults = await settleAll(sweeps, DEFAULT_CONCURRENCY, async (spec) => {
    const observed = await observeSweep(ctx, spec, sweepLinks);
    tick(`sweep ${spec.name}`);
    return observed;
  });
  // The reads are done: keep their ETags for the next run (a no-op without a cache file). A cache
  // that cannot be kept only costs the next run some requests: a warning, not a failure.
  for (const warning of (await ctx.clients.flush?.()) ?? []) io.err(warning);
  // Likewise the swept owners' verified inventories: without them the next run reads those owners in full.
  await ctx.refresh?.store
    .save()
    .catch((error: unknown) =>
      io.err(`sourcelinks: warning: the swept owners' inventories were not kept (${errorText(error)}); the next run reads them in full`),
    );

  const failures: string[] = [];
  const out: Observation = { links: [], orgs: [], sweeps: [] };
  linkResults.forEach((result, i) => {
    const spec = links[i] as LinkSpec;
    const pointer = `/links/${i}`;
    if (result.status === "rejected")
      failures.push(`${formatLocation(locateNearest(loaded, pointer))}: link ${spec.name}: ${errorText(result.reason)}`);
    else
      out.links.push({
        resource: "link",
        pointer,
        location: loaded.locate(pointer),
        spec,
        observed: withRecordedLinkSteps(result.value, spec.manualSteps),
      });
  });
  orgResults.forEach((result, i) => {
    const spec = orgAccess[i] as OrgAccessSpec;
    const pointer = `/orgAccess/${i}`;
    if (result.status === "rejected")
      failures.push(`${formatLocation(locateNearest(loaded, pointer))}: org access ${spec.org}: ${errorText(result.reason)}`);
    else
      out.orgs.push({
        resource: "orgAccess",
        pointer,
        location: loaded.locate(pointer),
        spec,
        observed: withRecordedOrgSteps(spec, result.value),
      });
  });
  sweepResults.forEach((result, i) => {
    const spec = sweeps[i] as SweepSpec;
    const pointer = `/sweeps/${i}`;
    if (result.status === "rejected")
      failures.push(`${formatLocation(locateNearest(loaded, pointer))}: sweep ${spec.name}: ${errorText(result.reason)}`);
    else out.sweeps.push({ resource: "sweep", pointer, location: loaded.locate(pointer), spec, observed: result.value });
  });
  if (failures.length > 0) {
    // The user's own files at fault (a GitHub App key file that is a pipe, say) is invalid input, not an outage.
    const reasons = [...linkResults, ...orgResults, ...sweepResults].flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    const input = reasons.some((reason) => reason instanceof GitHubAppSetupError && reason.kind === "input");
    throw new CliError(input ? ExitCode.invalidInput : ExitCode.operational, failures);
  }
  return out;
}

/**
 * The GitHub orgs that own a repository of a declared linked or disabled link but that no `orgAccess`
 * entry declares (lower-case logins, sorted): an org owner may have denied the app there, which
 * breaks the link's builds whether or not the config mentions the org.
 */
export function undeclaredOrgs(config: LoadedConfig["config"]): string[] {
  const declared = new Set(config.orgAccess.map((o) => o.org.toLowerCase()));
  const owners = config.links
    .filter((l) => l.provider === "github" && l.state !== "revoked")
    .flatMap((l) => l.repositories.map((r) => r.split("/")[0]!.toLowerCase()));
  return [...new Set(owners)].filter((o) => !declared.has(o)).sort();
}

/**
 * Observes the access of every undeclared org (see `undeclaredOrgs`) for `check --live`; a failed
 * observation fails the run (exit 1), as a declared one does.
 */
export async function observeUndeclaredOrgs(
  loaded: LoadedConfig,
  ctx: OperationContext,
  io: CliIo,
): Promise<Map<string, ObservedOrgAccess>> {
  const out = new Map<string, ObservedOrgAccess>();
  const orgs = undeclaredOrgs(loaded.config);
  const results = await settleAll(orgs, DEFAULT_CONCURRENCY, async (org) => {
    io.progress(`observing undeclared org ${org}`);
    return observeOrgAccess(ctx, { org, provider: "github", app: "github", access: "granted" }, loaded.config.links);
  });
  const failures: string[] = [];
  results.forEach((result, i) => {
    if (result.status === "fulfilled") out.set(orgs[i]!, result.value);
    else failures.push(`sourcelinks: org ${orgs[i]} (a live link's repositories, not declared in orgAccess): ${errorText(result.reason)}`);
  });
  if (failures.length > 0) throw new CliError(ExitCode.operational, failures);
  return out;
}

/**
 * Plans every observed resource (pure: no request is sent). Each entry's manual steps are one ledger:
 * the plan's own, plus every step its observation holds open (so plan, check and report count the
 * same steps), split by what the YAML records and what the run observed.
 */
export function planAll(loaded: LoadedConfig, ctx: OperationContext, observation: Observation): PlanRun {
  const links = loaded.config.links;
  // A grant, webhook or deploy key two revoked links share is one request, in the first link's plan.
  const sharedOnce = withSharedStepsOnce(observation.links.map((entry) => planLink(entry.spec, entry.observed, ctx)));
  const linkEntries = observation.links.map((entry, i) => ({
    ...entry,
    ...recordedOut(withObservedSteps(sharedOnce[i]!, entry.observed), entry.spec.manualSteps, linkStepCheck(entry.observed)),
  }));
  const linkPlans = linkEntries.map((e) => e.plan);
  return {
    files: loaded.files,
    links: linkEntries,
    orgs: observation.orgs.map((entry) => ({
      ...entry,
      ...recordedOut(
        withObservedSteps(planOrgAccess(entry.spec, entry.observed, ctx, links, linkPlans), entry.observed),
        entry.spec.manualSteps,
        orgStepCheck(entry.spec, entry.observed),
      ),
    })),
    sweeps: observation.sweeps.map((entry) => ({
      ...entry,
      ...recordedOut(planSweep(entry.spec, entry.observed, ctx), entry.spec.manualSteps, sweepStepCheck(entry.observed)),
    })),
  };
}

/** `plan` with every step the observation holds open or recorded, that the planner itself does not print, as manual steps. */
function withObservedSteps(
  plan: ResourcePlan,
  observed: Pick<ObservedLink, "pendingManualSteps" | "manualStepsDoneByHand" | "manualStepsObservedOtherwise">,
): ResourcePlan {
  const have = new Set(plan.steps.flatMap((s) => (s.kind === "manual" ? [s.step.id] : [])));
  const extra: ManualStep[] = [];
  const recorded = [...(observed.manualStepsDoneByHand ?? []), ...(observed.manualStepsObservedOtherwise ?? [])].map((d) => d.step);
  for (const step of [...observed.pendingManualSteps, ...recorded]) {
    // A recorded step the run no longer produces has no text: it is not a step of this plan.
    if (have.has(step.id) || step.summary === "") continue;
    have.add(step.id);
    extra.push(step);
  }
  return extra.length === 0 ? plan : { ...plan, steps: [...plan.steps, ...extra.map((step) => ({ kind: "manual" as const, step }))] };
}

/**
 * `plan` without the manual steps the YAML records as done, which are returned beside it: done by
 * hand, or recorded done but observed otherwise.
 */
function recordedOut(
  plan: ResourcePlan,
  recorded: readonly RecordedManualStep[] | undefined,
  check: StepCheck,
): { plan: ResourcePlan; doneByHand: DoneByHand[]; observedOtherwise: RecordedButObservedOtherwise[] } {
  const manual = plan.steps.flatMap((s) => (s.kind === "manual" ? [s.step] : []));
  const { doneByHand, observedOtherwise } = splitRecorded(manual, recorded, check);
  const otherwise = [...observedOtherwise, ...recordedAgainstObservation(manual, recorded, check)];
  if (doneByHand.length === 0 && otherwise.length === 0) return { plan, doneByHand, observedOtherwise: otherwise };
  const done = new Set([...doneByHand, ...otherwise].map((d) => d.step.id));
  return {
    plan: { ...plan, steps: plan.steps.filter((s) => s.kind !== "manual" || !done.has(s.step.id)) },
    doneByHand,
    observedOtherwise: otherwise,
  };
}

/**
 * Observes and plans a whole config. A named client secret the environment lacks, where a grant
 * revocation needs it, is invalid input (exit 2): the run stops before anything is sent.
 */
export async function buildPlanRun(loaded: LoadedConfig, ctx: OperationContext, io: CliIo): Promise<PlanRun> {
  const run = planAll(loaded, ctx, await observeAll(loaded, ctx, io));
  const unset = unsetClientSecret(
    loaded.config,
    io.env,
    run.links.map((l) => ({ name: l.spec.name, plan: l.plan })),
    ctx.apis.buildService !== null,
  );
  if (unset.length > 0) throw new CliError(ExitCode.invalidInput, unset);
  return run;
}

/** Reports one finished item of a phase through `io.step`, or as a progress line where there is none. */
export function reportStep(io: CliIo, phase: string, done: number, total: number, detail: string): void {
  if (io.step) io.step(phase, done, total, detail);
  else io.progress(`${phase} ${done}/${total}: ${detail}`);
}

/** An error's message, never its stack (messages of HttpError are already redacted). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
