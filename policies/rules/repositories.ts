/**
 * `declared-repository-exists` (mandatory, with `--live`): a declared repository that its provider
 * answers 404 for, or that the token cannot read, is never taken as clean, whatever the link's state. A
 * typo in a revoked link (`globex/legacy-3` for `legacy-2`) would otherwise prove nothing is left while
 * the build service's webhook stays on the repository the name meant.
 */
import { repositoryGoneStep } from "../../engine/reconcile/manual-steps.js";
import { missingRepositorySteps } from "../../engine/reconcile/pending-steps.js";
import { repositoryPointer } from "./common.js";
import type { Finding, LinkFacts, LinkRule } from "./types.js";

/** One finding per declared repository the run could not read, unless a person recorded it as gone. */
function unreadableRepositories(link: LinkFacts): Finding[] {
  const { observed, name, desired } = link;
  if (observed === undefined || observed === "unknown") return [];
  const recorded = new Set((observed.manualStepsDoneByHand ?? []).map((d) => d.step.id));
  const missing = new Set(missingRepositorySteps(desired, observed).map((s) => s.id));
  const findings: Finding[] = [];
  for (const { repository } of observed.repositories) {
    const id = repositoryGoneStep(desired.provider, repository).id;
    if (!missing.has(id) || recorded.has(id)) continue;
    const fix = `fix the name in the YAML if it is a typo, or give the token access; once the repository is confirmed deleted, record ${id} under the link's manualSteps (or remove it from the link)`;
    findings.push({
      resource: name,
      subject: repository,
      message: `link "${name}" declares ${desired.provider} repository ${repository}, which answers 404 (it does not exist, or the token cannot read it), so nothing about it is proven: ${fix}`,
      fix,
      pointer: repositoryPointer(link, repository),
    });
  }
  return findings;
}

/** `declared-repository-exists`: every declared repository is observed, or recorded as gone. */
export const declaredRepositoryExists = {
  id: "declared-repository-exists",
  scope: "link",
  defaultEnforcement: "mandatory",
  description:
    "Every repository a link declares, whatever its state, must be readable: a 404 means a typo, a repository renamed or deleted, or one the token cannot see, and in each case the build service's webhooks and deploy keys there are not observed, so no revocation or retirement can be proven. Fix the name, give the token access, or record the repository as gone (its manual step `repository-gone:PROVIDER:OWNER:NAME` under `manualSteps`, or remove it from the link).",
  evaluate: unreadableRepositories,
} satisfies LinkRule;
