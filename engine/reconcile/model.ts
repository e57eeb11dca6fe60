/**
 * Observed state and planned steps: the shared vocabulary of the clients, the pure planner,
 * the provider's outputs, the policy rules and the CLI's plan output.
 */
import type { LinkState, OrgAccessState, ProviderKind } from "../config/types.js";

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

/** A step no API covers, with what to click and where. */
export interface ManualStep {
  /** Stable id, e.g. `revoke-grant:github:acme-builder`. */
  id: string;
  summary: string;
  /** UI path, e.g. `GitHub → Settings → Applications → Authorized OAuth Apps → Docker Hub Builder → Revoke`. */
  uiPath: string;
  url: string;
}

/** A manual step a person recorded in the YAML as done, and who and when. */
export interface DoneByHand {
  step: ManualStep;
  /** `YYYY-MM-DD`. */
  done: string;
  by: string;
}

/** The live state of a link on the build service, or `absent` when there is none. */
export type LiveLinkState = LinkState | "absent" | "unknown";

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
  /** Other records of the same team link with another account, still to be unlinked (and their grants revoked). */
  supersededLinks?: SupersededLink[];
  /** Whether the build service still holds a token of the link's grant (its credentials answered). */
  grantHeld?: boolean;
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
  /** The build-service link org access was read through (and can be set through), when there is one. */
  via?: { link: string; namespace: string; linkId: string } | null;
}

/** An HTTP request a step will send, for previews that show the exact call without sending it. */
export interface PlannedRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Absolute URL. */
  url: string;
}

/** One change `apply` (or the provider) makes. Steps of one link run in order; the first failure stops that link. */
export type PlanStep =
  | { kind: "link"; request: PlannedRequest; namespace: string; provider: ProviderKind; account: string; team: string | null; serviceAccount?: boolean }
  /** An empty `linkId` targets the link created by the preceding `link` step of the same plan. */
  | { kind: "set-state"; request: PlannedRequest; namespace: string; linkId: string; state: "linked" | "disabled" }
  | { kind: "unlink"; request: PlannedRequest; namespace: string; linkId: string }
  /** `namespace`/`linkId`: the build-service record whose held credentials identify the grant. */
  | { kind: "revoke-grant"; request: PlannedRequest; provider: ProviderKind; account: string; clientId: string; namespace?: string; linkId?: string }
  | { kind: "delete-webhook"; request: PlannedRequest; provider: ProviderKind; repository: string; hookId: string; url: string }
  | { kind: "delete-deploy-key"; request: PlannedRequest; provider: ProviderKind; repository: string; keyId: string; title: string }
  /** A sweep's deletion of an org's own webhook (`DELETE /orgs/{org}/hooks/{hook_id}`). */
  | { kind: "delete-org-webhook"; request: PlannedRequest; provider: "github"; org: string; hookId: string; url: string }
  /**
   * `namespace`/`linkId`: the build-service link the access is set through. An empty `linkId` with
   * `throughLink` names a declared link that a `link` step of the same run creates first.
   */
  | { kind: "set-org-access"; request: PlannedRequest; org: string; access: OrgAccessState; namespace?: string; linkId?: string; throughLink?: string }
  | { kind: "manual"; step: ManualStep };

/** Something a revocation leaves in place on purpose, and why (another live link still uses it). */
export type KeptItem =
  | { kind: "webhook"; provider: ProviderKind; repository: string; hookId: string; url: string; keptFor: string[] }
  | { kind: "deploy-key"; provider: ProviderKind; repository: string; keyId: string; title: string; keptFor: string[] }
  | { kind: "grant"; provider: ProviderKind; account: string; keptFor: string[] };

/** The plan for one declared link or org access entry. */
export interface ResourcePlan {
  /** `link`, `orgAccess` or `sweep`. */
  resource: "link" | "orgAccess" | "sweep";
  name: string;
  steps: PlanStep[];
  /** What a revocation deliberately leaves because other live links use it; absent or empty when nothing is. */
  kept?: KeptItem[];
}
