/**
 * Manual steps a person recorded in the YAML as done (`manualSteps: [{id, done, by}]`): one ledger per
 * declared entry. A still-produced step with a recorded id is shown as done by hand instead of pending,
 * unless the run can check its effect and observes otherwise (a grant that still answers, a hook still
 * listed, a repository that still answers): then it stays pending and is reported as *recorded done,
 * but observed otherwise*. A recorded step the run no longer produces clears itself. Pure.
 */
import type { OrgAccessSpec, RecordedManualStep, SweepSpec } from "../model/spec.js";
import type { DoneByHand, ManualStep, RecordedButObservedOtherwise } from "../model/manual-step.js";
import type { ObservedLink, ObservedOrgAccess } from "../model/observed.js";
import type { SweepObservation } from "../model/sweep.js";
import { orgAccessStep, repositoryGoneStep, revokeGrantStep, unarchiveStep } from "./manual-steps.js";
import { artifactsToRemove, sweepManualSteps } from "./plan-sweep.js";

/** What the run observed against a recorded step's id, in words; absent where it cannot check the step or saw it done. */
export type StepCheck = (id: string) => string | undefined;

/** The ledger of one entry: steps still to do, done by hand, and recorded but observed otherwise (disjoint). */
export interface StepLedger {
  pending: ManualStep[];
  doneByHand: DoneByHand[];
  observedOtherwise: RecordedButObservedOtherwise[];
}

/** `steps` split by what the YAML records and what the run observed (`check`). */
export function splitRecorded(
  steps: readonly ManualStep[],
  recorded: readonly RecordedManualStep[] = [],
  check: StepCheck = () => undefined,
): StepLedger {
  const byId = new Map(recorded.map((r) => [r.id, r]));
  const ledger: StepLedger = { pending: [], doneByHand: [], observedOtherwise: [] };
  for (const step of steps) {
    const record = byId.get(step.id);
    const seen = record === undefined ? undefined : check(step.id);
    if (record === undefined) ledger.pending.push(step);
    else if (seen !== undefined) ledger.observedOtherwise.push({ step, done: record.done, by: record.by, observed: seen });
    else ledger.doneByHand.push({ step, done: record.done, by: record.by });
  }
  return ledger;
}

/**
 * What a link's observation says against its recorded steps: a `revoke-grant` step whose grant still
 * answers (`active`), a `repository-gone` step whose repository still answers.
 */
export function linkStepCheck(observed: ObservedLink): StepCheck {
  const seen = new Map<string, string>();
  const grants = [
    { account: observed.account, grant: observed.providerGrant },
    ...(observed.supersededLinks ?? []).map((s) => ({ account: s.account, grant: s.providerGrant })),
  ];
  for (const { account, grant } of grants)
    if (account !== null && grant === "active")
      seen.set(revokeGrantStep(observed.provider, account, "").id, `the ${observed.provider} grant of ${account} still answers (active)`);
  for (const repo of observed.repositories)
    if (repo.exists) seen.set(repositoryGoneStep(observed.provider, repo.repository).id, `${repo.repository} still answers`);
  return (id) => seen.get(id);
}

/** An org access step whose access was observed (not `unknown`) and differs from the declaration. */
export function orgStepCheck(spec: OrgAccessSpec, observed: ObservedOrgAccess): StepCheck {
  const id = orgAccessStep(spec.org, "", spec.access).id;
  const differs = observed.access !== "unknown" && observed.access !== spec.access;
  const what = `org ${spec.org}'s access is still ${observed.access} (observed via ${observed.observedVia})`;
  return (asked) => (differs && asked === id ? what : undefined);
}

/** A sweep's `unarchive` step is produced only while the archived repository still holds artifacts: then it is observed otherwise. */
export function sweepStepCheck(observed: SweepObservation): StepCheck {
  const seen = new Map<string, string>();
  // Counted once per repository: a sweep of tens of thousands of artifacts would otherwise rescan them all for each.
  const listed = new Map<string, number>();
  for (const b of observed.artifacts)
    if (b.repository !== null && b.classification !== "covered") listed.set(b.repository, (listed.get(b.repository) ?? 0) + 1);
  for (const a of artifactsToRemove(observed)) {
    if (!a.archived || a.repository === null) continue;
    const id = unarchiveStep(observed.provider, a.repository, 1).id;
    const n = listed.get(a.repository) ?? 0;
    seen.set(
      id,
      `${a.repository} is still archived and the build service's ${n === 1 ? "artifact is" : `${n} artifacts are`} still listed there`,
    );
  }
  return (id) => seen.get(id);
}

/**
 * Recorded steps that the run does not produce but observes otherwise: a `revoke-grant` the API no
 * longer needs a person for (it can revoke it) whose grant still answers, a `repository-gone` whose
 * repository answers. A produced step is judged by `splitRecorded`.
 */
export function recordedAgainstObservation(
  produced: readonly ManualStep[],
  recorded: readonly RecordedManualStep[] = [],
  check: StepCheck,
): RecordedButObservedOtherwise[] {
  const ids = new Set(produced.map((s) => s.id));
  return recorded.flatMap((r) => {
    if (ids.has(r.id)) return [];
    const seen = check(r.id);
    return seen === undefined ? [] : [{ step: unproducedStep(r.id), done: r.done, by: r.by, observed: seen }];
  });
}

/** A recorded step's id as a step: the run no longer produces its text. */
function unproducedStep(id: string): ManualStep {
  return { id, summary: "", uiPath: "", url: "" };
}

/** `observed` with its recorded steps split out of `pendingManualSteps`: done by hand, or recorded but observed otherwise. */
export function withRecordedLinkSteps(observed: ObservedLink, recorded: readonly RecordedManualStep[] | undefined): ObservedLink {
  if (recorded === undefined || recorded.length === 0) return observed;
  return withLedger(observed, recorded, linkStepCheck(observed));
}

/** An org access entry's observation with its recorded steps split, as for a link. */
export function withRecordedOrgSteps(spec: OrgAccessSpec, observed: ObservedOrgAccess): ObservedOrgAccess {
  const recorded = spec.manualSteps;
  if (recorded === undefined || recorded.length === 0) return observed;
  return withLedger(observed, recorded, orgStepCheck(spec, observed));
}

function withLedger<T extends ObservedLink | ObservedOrgAccess>(observed: T, recorded: readonly RecordedManualStep[], check: StepCheck): T {
  const ledger = splitRecorded(observed.pendingManualSteps, recorded, check);
  const otherwise = [...ledger.observedOtherwise, ...recordedAgainstObservation(observed.pendingManualSteps, recorded, check)];
  const out: T = { ...observed, pendingManualSteps: ledger.pending };
  if (ledger.doneByHand.length > 0) out.manualStepsDoneByHand = ledger.doneByHand;
  if (otherwise.length > 0) out.manualStepsObservedOtherwise = otherwise;
  return out;
}

/** The ledger of one sweep: its `unarchive` steps, split by what the YAML records and what the run observed. */
export function sweepLedger(spec: SweepSpec, observed: SweepObservation): StepLedger {
  return splitRecorded(sweepManualSteps(spec, observed), spec.manualSteps, sweepStepCheck(observed));
}
