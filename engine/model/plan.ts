/** Planned steps: what `apply` (or the provider) will do, each write with the exact request it sends. */
import type { ManualStep } from "./manual-step.js";
import type { OrgAccessState, ProviderKind } from "./spec.js";

/** An HTTP request a step will send, for previews that show the exact call without sending it. */
export interface PlannedRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Absolute URL. */
  url: string;
}

/** One change `apply` (or the provider) makes. Steps of one link run in order; the first failure stops that link. */
export type PlanStep =
  | {
      kind: "link";
      request: PlannedRequest;
      namespace: string;
      provider: ProviderKind;
      account: string;
      team: string | null;
      serviceAccount?: boolean;
    }
  /** An empty `linkId` targets the link created by the preceding `link` step of the same plan. */
  | { kind: "set-state"; request: PlannedRequest; namespace: string; linkId: string; state: "linked" | "disabled" }
  | { kind: "unlink"; request: PlannedRequest; namespace: string; linkId: string }
  /** Makes a declared repository an autobuild source of a link; an empty `linkId` targets the link a preceding `link` step created. */
  | { kind: "add-repository"; request: PlannedRequest; namespace: string; linkId: string; provider: ProviderKind; repository: string }
  /** `namespace`/`linkId`: the build-service record whose held credentials identify the grant. */
  | {
      kind: "revoke-grant";
      request: PlannedRequest;
      provider: ProviderKind;
      account: string;
      clientId: string;
      namespace?: string;
      linkId?: string;
    }
  | { kind: "delete-webhook"; request: PlannedRequest; provider: ProviderKind; repository: string; hookId: string; url: string }
  | { kind: "delete-deploy-key"; request: PlannedRequest; provider: ProviderKind; repository: string; keyId: string; title: string }
  /** A sweep's deletion of an org's own webhook (`DELETE /orgs/{org}/hooks/{hook_id}`). */
  | { kind: "delete-org-webhook"; request: PlannedRequest; provider: "github"; org: string; hookId: string; url: string }
  /**
   * `namespace`/`linkId`: the build-service link the access is set through. An empty `linkId` with
   * `throughLink` names a declared link that a `link` step of the same run creates first.
   */
  | {
      kind: "set-org-access";
      request: PlannedRequest;
      org: string;
      access: OrgAccessState;
      namespace?: string;
      linkId?: string;
      throughLink?: string;
    }
  | { kind: "manual"; step: ManualStep };

/** Something a revocation or a relink leaves in place on purpose, and why (another live link still uses it, or a relink keeps it). */
export type KeptItem =
  | { kind: "webhook"; provider: ProviderKind; repository: string; hookId: string; url: string; keptFor: string[] }
  | { kind: "deploy-key"; provider: ProviderKind; repository: string; keyId: string; title: string; keptFor: string[] }
  /**
   * `reason`: `shared` (absent in older plans) when other live links use the account; `relink` when a
   * team moved off the account and the link does not ask to revoke its grant (`keptFor` may then be empty).
   */
  | { kind: "grant"; provider: ProviderKind; account: string; keptFor: string[]; reason?: "shared" | "relink" };

/** The plan for one declared link or org access entry. */
export interface ResourcePlan {
  /** `link`, `orgAccess` or `sweep`. */
  resource: "link" | "orgAccess" | "sweep";
  name: string;
  steps: PlanStep[];
  /** What a revocation deliberately leaves because other live links use it; absent or empty when nothing is. */
  kept?: KeptItem[];
  /**
   * Steps this resource needs that another resource's plan of the same run sends (`by`: its name): one
   * grant, webhook or deploy key shared by two revoked links is one request. Absent when there are none.
   */
  sentBy?: { step: PlanStep; by: string }[];
}
