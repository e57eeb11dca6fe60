/**
 * The manual steps still open for a declared entry (`pendingManualSteps`), derived (pure) from the spec,
 * what observation recorded and the plan settings: part of planning, since it weighs what is declared
 * against what is, while observation only records what is.
 */
import type { ManualStep } from "../model/manual-step.js";
import type { ObservedLink, ObservedOrgAccess } from "../model/observed.js";
import type { LinkSpec, OrgAccessSpec } from "../model/spec.js";
import { appName, primaryRetires, relinkKeepsGrant, retireGrant } from "./grant-policy.js";
import {
  dockerHubDisableStep,
  dockerHubLinkSteps,
  dockerHubUnlinkStep,
  orgAccessStep,
  repositoryGoneStep,
  revokeGrantStep,
} from "./manual-steps.js";
import type { PlanSettings } from "./plan-settings.js";

/** `observed` with its open manual steps: the link side on `docker-hub` (no API), else the grants no API will revoke. */
export function withPendingLinkSteps(spec: LinkSpec, observed: ObservedLink, settings: PlanSettings): ObservedLink {
  const pendingManualSteps =
    settings.apis.buildService === null ? dockerHubSteps(spec, settings) : pendingGrantSteps(settings, spec, observed);
  return { ...observed, pendingManualSteps: [...pendingManualSteps, ...missingRepositorySteps(spec, observed)] };
}

/**
 * A declared repository that answers 404 (or that the token cannot read) is never taken as clean: a
 * person fixes the name or confirms it is gone (`repository-gone:…`), whatever the link's state.
 */
export function missingRepositorySteps(spec: LinkSpec, observed: ObservedLink): ManualStep[] {
  return observed.repositories
    .filter((r) => !r.exists && r.source !== "record" && spec.repositories.some((d) => d.toLowerCase() === r.repository.toLowerCase()))
    .map((r) => repositoryGoneStep(spec.provider, r.repository));
}

/** `observed` with the step for an org owner when the access differs (or is unknown) and no build-service link can set it. */
export function withPendingOrgAccessSteps(spec: OrgAccessSpec, observed: ObservedOrgAccess, settings: PlanSettings): ObservedOrgAccess {
  const settable = observed.observedVia === "build-service";
  const pendingManualSteps =
    settable || observed.access === spec.access ? [] : [orgAccessStep(spec.org, appName(settings, spec.app), spec.access)];
  return { ...observed, pendingManualSteps };
}

/**
 * Manual grant steps still open: for a revoked link its account's grant, and for any link the grants of
 * accounts it moved away from, unless they are observed revoked or an API will revoke them.
 */
export function pendingGrantSteps(settings: PlanSettings, spec: LinkSpec, observed: ObservedLink): ManualStep[] {
  const steps: ManualStep[] = [];
  // A relink leaves the previous account's grant alone unless the link asks otherwise: nothing is open.
  if (relinkKeepsGrant(spec)) return steps;
  if (primaryRetires(spec, observed)) {
    const { pending } = retireGrant(settings, {
      provider: spec.provider,
      account: observed.account ?? spec.account,
      grant: observed.providerGrant,
      held: observed.grantHeld ?? false,
      sharedWith: observed.grantSharedWith ?? [],
    });
    if (pending) steps.push(pending);
  }
  for (const old of observed.supersededLinks ?? []) {
    const { pending } = retireGrant(settings, {
      provider: spec.provider,
      account: old.account,
      grant: old.providerGrant,
      held: old.grantHeld,
      sharedWith: old.grantSharedWith,
    });
    if (pending && !steps.some((s) => s.id === pending.id)) steps.push(pending);
  }
  return steps;
}

/** `docker-hub`: no public API for linked accounts, so every link-side action is a manual step. */
function dockerHubSteps(spec: LinkSpec, settings: PlanSettings): ManualStep[] {
  if (spec.state === "linked") return dockerHubLinkSteps(spec);
  if (spec.state === "disabled") return [dockerHubDisableStep(spec.namespace, spec.provider, spec.account)];
  return [
    dockerHubUnlinkStep(spec.namespace, spec.provider, spec.account),
    revokeGrantStep(spec.provider, spec.account, appName(settings, spec.provider)),
  ];
}
