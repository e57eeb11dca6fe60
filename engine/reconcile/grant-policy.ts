/**
 * What to do about a provider grant that should no longer exist (pure): revoke it by API, ask a person,
 * or leave it because other live links use the same account. A GitHub grant is per app and user, so
 * `DELETE /applications/{client_id}/grant` revokes every token the user gave the app.
 */
import type { LinkSpec, ProviderKind } from "../model/spec.js";
import type { PlanSettings } from "./plan-settings.js";
import { revokeGrantStep } from "./manual-steps.js";
import type { ManualStep } from "../model/manual-step.js";
import { isLive, type ObservedLink, type ProviderGrant } from "../model/observed.js";

/** What was observed about one account's grant. */
export interface GrantFacts {
  provider: ProviderKind;
  account: string;
  grant: ProviderGrant;
  /** Whether the build service still holds a token of the grant. */
  held: boolean;
  /** Other live links using the same account (declared, or observed in any namespace the run sees). */
  sharedWith: readonly string[];
}

/** The plan's action (`api`, a manual step, or nothing) and what stays pending for a person. */
export interface GrantRetirement {
  plan: "api" | ManualStep | null;
  pending: ManualStep | null;
}

/** Whether grants of `provider` can be revoked by API: GitHub with the app owner's client secret. */
export function canRevokeGrantByApi(settings: PlanSettings, provider: ProviderKind): boolean {
  return provider === "github" && settings.githubGrantsByApi;
}

/** The OAuth app's display name for manual steps. */
export function appName(settings: PlanSettings, provider: ProviderKind): string {
  return settings.buildService.oauthApps[provider]?.name ?? "the build service's OAuth app";
}

/**
 * How to retire a grant. A plan only acts on what this run observed (a grant seen active or a token the
 * service still holds); an unverifiable grant the service no longer holds stays a pending manual check.
 * A grant other live links use is neither revoked nor a step for a person (revoking it by hand would
 * break them too): the plan lists it as kept, and the last link of the account to go revokes it.
 */
export function retireGrant(settings: PlanSettings, facts: GrantFacts): GrantRetirement {
  if (facts.grant === "revoked" || facts.sharedWith.length > 0) return { plan: null, pending: null };
  const observed = facts.held || facts.grant === "active";
  const name = appName(settings, facts.provider);
  if (facts.grant === "active" && canRevokeGrantByApi(settings, facts.provider)) return { plan: "api", pending: null };
  const step = revokeGrantStep(facts.provider, facts.account, name);
  return { plan: observed ? step : null, pending: step };
}

/**
 * Whether a relink leaves the previous account's grant alone. One grant covers every link of the
 * account, also in namespaces this token cannot see (a person's own namespace), where revoking it would
 * break builds silently; so only a link that asks for it (`onRelink.revokePreviousGrant`) revokes it.
 * A revoked link is no relink: its own grant goes (unless another live link shares it).
 */
export function relinkKeepsGrant(spec: LinkSpec): boolean {
  return spec.state !== "revoked" && spec.onRelink?.revokePreviousGrant !== true;
}

/**
 * Whether the record representing the link is to be retired: the link is revoked, or a team link moves
 * to another account and the old record is live or its grant still held.
 */
export function primaryRetires(spec: LinkSpec, observed: ObservedLink): boolean {
  if (spec.state === "revoked") return true;
  if (observed.linkId === null) return false;
  if (observed.account === spec.account) return false;
  return isLive(observed.state) || (observed.grantHeld === true && observed.providerGrant !== "revoked");
}
