/** Counts a plan's steps by category, the numbers every plan format leads with. */
import type { PlanRun, PlannedEntry } from "../../engine/reconcile/run/entries.js";
import { categoryOf, isApiStep, manualStepsOf } from "./steps.js";

/** The counts of a plan, or of one resource's plan. */
export interface PlanCounts {
  /** Steps that send a request (what `apply` would do). */
  apiSteps: number;
  buildServiceCalls: number;
  providerRevocations: number;
  webhookDeletions: number;
  deployKeyDeletions: number;
  /** Steps that put a replacement build in place; present only where builds are declared, so other plans read as before. */
  replacementBuildSteps?: number;
  /** Steps no API covers still to do (distinct by id), neither recorded done nor recorded but observed otherwise. */
  manualSteps: number;
  /** Manual steps the YAML records as done by hand (distinct by id). */
  manualStepsDone: number;
  /** Manual steps the YAML records as done whose effect the run observed otherwise. */
  manualStepsObservedOtherwise: number;
}

/** The counts of a whole plan. */
export interface PlanSummary extends PlanCounts {
  resources: number;
  links: number;
  orgAccess: number;
  sweeps: number;
  /** Replacement build files; present only where builds are declared. */
  builds?: number;
  /** Resources with at least one API step. */
  resourcesWithChanges: number;
  /** Whether `apply` would send anything: what `plan --detailed-exitcode` reports as 4. */
  hasChanges: boolean;
}

/** Every planned entry: replacement builds (sent first), links, org access, then sweeps, each in config order. */
export function entriesOf(run: PlanRun): PlannedEntry[] {
  return [...(run.builds ?? []), ...run.links, ...run.orgs, ...(run.sweeps ?? [])];
}

/** The counts of one resource's plan. */
export function countSteps(entry: PlannedEntry): PlanCounts {
  const counts: PlanCounts = {
    apiSteps: 0,
    buildServiceCalls: 0,
    providerRevocations: 0,
    webhookDeletions: 0,
    deployKeyDeletions: 0,
    manualSteps: 0,
    manualStepsDone: new Set((entry.doneByHand ?? []).map((d) => d.step.id)).size,
    manualStepsObservedOtherwise: new Set((entry.observedOtherwise ?? []).map((d) => d.step.id)).size,
  };
  if (entry.resource === "build") counts.replacementBuildSteps = 0;
  for (const step of entry.plan.steps) {
    if (!isApiStep(step)) continue;
    counts.apiSteps++;
    const category = categoryOf(step);
    if (category === "build-service") counts.buildServiceCalls++;
    else if (category === "provider-revocation") counts.providerRevocations++;
    else if (category === "webhook-deletion") counts.webhookDeletions++;
    else if (category === "deploy-key-deletion") counts.deployKeyDeletions++;
    else if (category === "replacement-build") counts.replacementBuildSteps = (counts.replacementBuildSteps ?? 0) + 1;
  }
  counts.manualSteps = manualStepsOf(entry.plan.steps).length;
  return counts;
}

/**
 * The counts of a whole plan. Manual steps do not make `hasChanges` true: `apply` cannot perform them,
 * and `check` reports them (rule `pending-manual-steps`) until they are verified.
 */
export function summarize(run: PlanRun): PlanSummary {
  const summary: PlanSummary = {
    resources: run.links.length + run.orgs.length + (run.sweeps?.length ?? 0) + (run.builds?.length ?? 0),
    links: run.links.length,
    orgAccess: run.orgs.length,
    sweeps: run.sweeps?.length ?? 0,
    ...(run.builds === undefined ? {} : { builds: run.builds.length }),
    resourcesWithChanges: 0,
    hasChanges: false,
    apiSteps: 0,
    buildServiceCalls: 0,
    providerRevocations: 0,
    webhookDeletions: 0,
    deployKeyDeletions: 0,
    ...(run.builds === undefined ? {} : { replacementBuildSteps: 0 }),
    manualSteps: 0,
    manualStepsDone: 0,
    manualStepsObservedOtherwise: 0,
  };
  for (const entry of entriesOf(run)) {
    const c = countSteps(entry);
    if (c.apiSteps > 0) summary.resourcesWithChanges++;
    summary.apiSteps += c.apiSteps;
    summary.buildServiceCalls += c.buildServiceCalls;
    summary.providerRevocations += c.providerRevocations;
    summary.webhookDeletions += c.webhookDeletions;
    summary.deployKeyDeletions += c.deployKeyDeletions;
    if (c.replacementBuildSteps !== undefined)
      summary.replacementBuildSteps = (summary.replacementBuildSteps ?? 0) + c.replacementBuildSteps;
    summary.manualStepsDone += c.manualStepsDone;
    summary.manualStepsObservedOtherwise += c.manualStepsObservedOtherwise;
  }
  // One thing, one step: a manual step two resources share (one account's grant) counts once.
  summary.manualSteps = new Set(entriesOf(run).flatMap((e) => manualStepsOf(e.plan.steps).map((m) => m.id))).size;
  summary.hasChanges = summary.apiSteps > 0;
  return summary;
}
