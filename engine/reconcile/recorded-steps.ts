/**
 * Manual steps a person recorded in the YAML as done (`manualSteps: [{id, done, by}]`): a pending
 * step with a recorded id is shown as done by hand instead of pending. Only steps still produced
 * count, so a step that becomes verifiable (and is no longer produced) clears itself. Pure.
 */
import type { RecordedManualStep } from "../model/spec.js";
import type { DoneByHand, ManualStep } from "../model/manual-step.js";
import type { ObservedLink, ObservedOrgAccess } from "../model/observed.js";

/** `steps` split into those still pending and those a person recorded as done. */
export function splitRecorded(
  steps: readonly ManualStep[],
  recorded: readonly RecordedManualStep[] = [],
): { pending: ManualStep[]; doneByHand: DoneByHand[] } {
  const byId = new Map(recorded.map((r) => [r.id, r]));
  const pending: ManualStep[] = [];
  const doneByHand: DoneByHand[] = [];
  for (const step of steps) {
    const record = byId.get(step.id);
    if (record === undefined) pending.push(step);
    else doneByHand.push({ step, done: record.done, by: record.by });
  }
  return { pending, doneByHand };
}

/** `observed` with its recorded steps moved from `pendingManualSteps` to `manualStepsDoneByHand`. */
export function withRecordedSteps<T extends ObservedLink | ObservedOrgAccess>(
  observed: T,
  recorded: readonly RecordedManualStep[] | undefined,
): T {
  if (recorded === undefined || recorded.length === 0) return observed;
  const { pending, doneByHand } = splitRecorded(observed.pendingManualSteps, recorded);
  if (doneByHand.length === 0) return observed;
  return { ...observed, pendingManualSteps: pending, manualStepsDoneByHand: doneByHand };
}
