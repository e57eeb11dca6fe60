/**
 * `recorded-steps-match-observed` (mandatory, with `--live`): a manual step recorded as done in the
 * YAML whose effect the run can check, and observes otherwise (a grant that still answers, a build-service
 * hook still listed on an archived repository, a repository recorded gone that answers), is a finding:
 * a record by hand never outweighs what an API shows.
 */
import type { RecordedButObservedOtherwise } from "../../engine/model/manual-step.js";
import { sweepLedger } from "../../engine/reconcile/recorded-steps.js";
import type { Finding, StackFacts, StackRule } from "./types.js";

function finding(what: string, resource: string, subject: string, d: RecordedButObservedOtherwise, pointer: string | undefined): Finding {
  const todo = d.step.summary === "" ? "do the step again" : `do it again: ${d.step.uiPath} (${d.step.url})`;
  const fix = `${todo}, or remove its record from manualSteps if it was recorded by mistake`;
  return {
    resource,
    subject,
    message: `${what} records manual step ${d.step.id} as done ${d.done} by ${d.by}, but ${d.observed}: recorded done, but observed otherwise: ${fix}`,
    fix,
    ...(pointer === undefined ? {} : { pointer: `${pointer}/manualSteps` }),
  };
}

/** Every recorded step of every link, org entry and sweep that the run observed otherwise. */
function observedOtherwise(stack: StackFacts): Finding[] {
  const findings: Finding[] = [];
  for (const link of stack.links) {
    if (link.observed === undefined || link.observed === "unknown") continue;
    for (const d of link.observed.manualStepsObservedOtherwise ?? [])
      findings.push(finding(`link "${link.name}"`, link.name, link.desired.account, d, link.pointer));
  }
  for (const org of stack.orgs) {
    if (org.observed === undefined || org.observed === "unknown") continue;
    for (const d of org.observed.manualStepsObservedOtherwise ?? [])
      findings.push(finding(`org "${org.desired.org}"`, org.name, org.desired.org, d, org.pointer));
  }
  for (const sweep of stack.sweeps ?? []) {
    if (sweep.observed === undefined || sweep.observed === "unknown") continue;
    for (const d of sweepLedger(sweep.desired, sweep.observed).observedOtherwise)
      findings.push(finding(`sweep "${sweep.name}"`, sweep.name, sweep.desired.owner, d, sweep.pointer));
  }
  return findings;
}

/** `recorded-steps-match-observed`: a step recorded done is not a pass when the run sees otherwise. */
export const recordedStepsMatchObserved = {
  id: "recorded-steps-match-observed",
  scope: "stack",
  defaultEnforcement: "mandatory",
  description:
    "A manual step recorded as done under `manualSteps` is taken on a person's word only where no API can check it. Where the run can (a GitHub grant that still answers, a build-service webhook or deploy key still listed on an archived repository, a repository recorded gone that answers), and observes otherwise, the record is reported as recorded done, but observed otherwise, and nothing is proven by it.",
  evaluate: observedOtherwise,
} satisfies StackRule;
