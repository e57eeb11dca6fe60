/**
 * Observed state: what the clients read and observation records, shared by the pure planner,
 * the provider's outputs, the policy rules and the CLI's plan output.
 */
import type { DoneByHand, ManualStep, RecordedButObservedOtherwise } from "./manual-step.js";
import type { LinkState, OrgAccessState, ProviderKind } from "./spec.js";

/** The last delivery of a webhook, as the provider reports it. */
export interface HookLastResponse {
  code: number | null;
  status: string;
  message: string | null;
}

/** A webhook on a repository (only ever the build service's in outputs; foreign ones are counted). */
export interface ObservedWebhook {
  id: string;
  url: string;
  active: boolean;
  events: string[];
  hasSecret: boolean;
  insecureSsl: boolean;
  lastResponse: HookLastResponse | null;
}

/** A deploy key on a repository that belongs to the build service. */
export interface ObservedDeployKey {
  id: string;
  title: string;
  readOnly: boolean;
}

/** What the build service left on one repository. */
export interface ObservedRepository {
  /** `owner/name` or `workspace/slug`. */
  repository: string;
  /** False when the repository does not exist or the token cannot see it (404). */
  exists: boolean;
  webhooks: ObservedWebhook[];
  deployKeys: ObservedDeployKey[];
  /** False when deploy keys were not read (only revocations need them); `deployKeys` is then empty. */
  deployKeysListed?: boolean;
  /** Webhooks that do not match the build service's patterns: never touched, only counted. */
  foreignWebhookCount: number;
  /**
   * Other live links (declared, or observed in any namespace the run sees) that build from this
   * repository: the build service's webhooks and deploy keys here are theirs too, so a revocation keeps them.
   */
  coveredBy?: string[];
  /** How a revoked link came to cover the repository: `declared` in the YAML, or only in its build-service `record`. */
  source?: "declared" | "record";
}

/** Whether the provider-side OAuth grant of the link's account is still live. */
export type ProviderGrant = "active" | "revoked" | "unverifiable";

/** The live state of a link on the build service, or `absent` when there is none. */
export type LiveLinkState = LinkState | "absent" | "unknown";

/** Whether a link in `state` is live on the build service: linked or disabled (a disabled link still holds its grant and hooks). */
export function isLive(state: LiveLinkState): boolean {
  return state === "linked" || state === "disabled";
}

/**
 * Another live (or grant-holding) build-service record with the same identity as a declared team link
 * but a different account, e.g. the person's link a team is moving away from. It gets retired.
 */
export interface SupersededLink {
  linkId: string;
  account: string;
  /** `revoked` for an `unlinked` record whose grant the service still holds. */
  state: LinkState;
  providerGrant: ProviderGrant;
  /** Whether the build service still holds a token of the grant (its credentials answered). */
  grantHeld: boolean;
  /** Other live links (declared, or observed in any namespace the run sees) authorized by the same provider account: a grant is per (account, app). */
  grantSharedWith: string[];
}

/** Everything observed about one declared link. */
export interface ObservedLink {
  name: string;
  provider: ProviderKind;
  namespace: string;
  /** Build service link id when a live link exists. */
  linkId: string | null;
  state: LiveLinkState;
  account: string | null;
  team: string | null;
  serviceAccount: boolean | null;
  repositories: ObservedRepository[];
  providerGrant: ProviderGrant;
  pendingManualSteps: ManualStep[];
  /** Steps no API could verify that the YAML records as done by a person (no longer pending). */
  manualStepsDoneByHand?: DoneByHand[];
  /** Steps the YAML records as done whose effect this run observed otherwise (still pending, and a finding). */
  manualStepsObservedOtherwise?: RecordedButObservedOtherwise[];
  /** Other records of the same team link with another account, still to be unlinked (and their grants revoked). */
  supersededLinks?: SupersededLink[];
  /** Whether the build service still holds a token of the link's grant (its credentials answered). */
  grantHeld?: boolean;
  /**
   * The autobuild repositories the live record of the declared account lists (`/links/{id}/repositories/`),
   * read for a linked or disabled link that declares repositories; absent when not read.
   */
  recordRepositories?: string[];
  /** Other live links (declared, or observed in any namespace the run sees) authorized by the same provider account: revoking the grant would break them. */
  grantSharedWith?: string[];
}

/** How an org's third-party access was observed. */
export type ObservedVia = "build-service" | "audit-log" | "probe" | "none";

/** Observed third-party access of the build service's app in a GitHub org. */
export interface ObservedOrgAccess {
  org: string;
  provider: "github";
  app: ProviderKind;
  access: OrgAccessState | "requested" | "unknown";
  observedVia: ObservedVia;
  pendingManualSteps: ManualStep[];
  /** Steps no API could verify that the YAML records as done by a person (no longer pending). */
  manualStepsDoneByHand?: DoneByHand[];
  /** Steps the YAML records as done whose effect this run observed otherwise (still pending, and a finding). */
  manualStepsObservedOtherwise?: RecordedButObservedOtherwise[];
  /** The build-service link org access was read through (and can be set through), when there is one. */
  via?: { link: string; namespace: string; linkId: string } | null;
}
