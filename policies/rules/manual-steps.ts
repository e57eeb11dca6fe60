/** `pending-manual-steps`: steps no API covers are reported until the provider verifies them (docs/build-services.md). */
import { APPLY } from "./common.js";
import type { ManualStep } from "../../engine/model/manual-step.js";
import type { Finding, StackFacts, StackRule } from "./types.js";

/** One finding per recorded step. */
function stepFinding(what: string, resource: string, subject: string, step: ManualStep, pointer: string | undefined): Finding {
  const fix = `${step.uiPath} (${step.url}), then ${APPLY} to verify it`;
  return {
    resource,
    subject,
    message: `${what} waits for a manual step, ${step.summary}: ${fix}`,
    fix,
    ...(pointer === undefined ? {} : { pointer }),
  };
}

/** Every pending manual step of every link and org entry. */
function pendingSteps(stack: StackFacts): Finding[] {
  const findings: Finding[] = [];
  for (const link of stack.links) {
    if (link.observed === undefined || link.observed === "unknown") continue;
    for (const step of link.observed.pendingManualSteps) {
      findings.push(stepFinding(`link "${link.name}"`, link.name, link.desired.account, step, link.pointer));
    }
  }
  for (const org of stack.orgs) {
    if (org.observed === undefined || org.observed === "unknown") continue;
    for (const step of org.observed.pendingManualSteps) {
      findings.push(stepFinding(`org "${org.desired.org}"`, org.name, org.desired.org, step, org.pointer));
    }
  }
  return findings;
}

/** `pending-manual-steps`: an advisory per recorded manual step. */
export const pendingManualSteps = {
  id: "pending-manual-steps",
  scope: "stack",
  defaultEnforcement: "advisory",
  description:
    "Where no API exists (Docker Hub's linked accounts, approving an OAuth app for a GitHub org, revoking a Bitbucket grant), the provider records the exact manual step, with what to click and the URL, in `pendingManualSteps`. Each recorded step is reported until a later apply or refresh verifies it and drops it, so nobody mistakes a half-done revocation for a finished one.",
  evaluate: pendingSteps,
} satisfies StackRule;
