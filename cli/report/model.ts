/**
 * The retirement report as a value: exactly what `report --format json` prints (schema/report.schema.json,
 * `apiVersion: sourcelinks.report/v1`) and what the markdown and HTML renderers draw. Every count in
 * `summary` is derived from `namespaces` and `owners` (see summarize.ts), so a merge of shards recomputes it.
 */
import type { ReportContinuity } from "./continuity.js";
import type { ProviderKind } from "../../engine/model/spec.js";
import type { SweepRefresh } from "../../engine/model/sweep.js";

/** The `apiVersion` of the JSON report. */
export const REPORT_API_VERSION = "sourcelinks.report/v1";

/** Docker Hub autobuilds retire on this day (docs/build-services.md). */
export const RETIREMENT_DATE = "2027-04-01";

/** A link's state on the build service as observed (`absent`: no record; `unknown`: not observable). */
export type ReportLinkState = "linked" | "disabled" | "revoked" | "absent" | "unknown";

/** Every link state the report counts, in display order. */
export const LINK_STATES: readonly ReportLinkState[] = ["linked", "disabled", "revoked", "absent", "unknown"];

/** Whether the provider-side OAuth grant is still live. */
export type ReportGrant = "active" | "revoked" | "unverifiable";

/**
 * `in-use`: a linked link builds from the repository; `leftover`: on a repository of a revoked or disabled
 * link (or a sweep found it named by one); `orphaned`: a sweep found it and nothing names it.
 */
export type ArtifactState = "in-use" | "leftover" | "orphaned";

/** Every artifact state, in the order charts and tables show them. */
export const ARTIFACT_STATES: readonly ArtifactState[] = ["in-use", "leftover", "orphaned"];

/**
 * Where a manual step stands: `open` (to do); `done` (recorded in the YAML by a person, and nothing the
 * run can check says otherwise); `observed-otherwise` (recorded done, but the run observes its effect
 * missing: a finding); `not-needed` (recorded, but the run no longer produces the step: an API verified
 * it, or it no longer applies).
 */
export type ReportStepStatus = "open" | "done" | "observed-otherwise" | "not-needed";

/** Every step status, in display order. */
export const STEP_STATUSES: readonly ReportStepStatus[] = ["open", "observed-otherwise", "done", "not-needed"];

/** A manual step no API covers: open, or recorded in the YAML (`manualSteps: {id, done, by}`). */
export interface ReportManualStep {
  id: string;
  /** What to do; null for a recorded step the run no longer produces (it is verified or moot). */
  summary: string | null;
  uiPath: string | null;
  url: string | null;
  status: ReportStepStatus;
  /** `YYYY-MM-DD` when recorded, else null. */
  done: string | null;
  by: string | null;
  /** For `observed-otherwise`: what the run observed instead; else null. */
  observed: string | null;
}

/** How a fact of the proof is known: verified by an API, recorded by hand in the YAML, or not at all. */
export type ReportBasis = "api" | "recorded" | "not-proven";

/** How a revoked link is known to be gone on each side. */
export interface ReportLinkEvidence {
  /** Unlinked on the build service: observed (`api`), recorded by hand (docker-hub), or neither. */
  unlinked: ReportBasis;
  /** The provider grant revoked: observed revoked (`api`), recorded by hand, or neither (active, unverifiable, kept for another link). */
  grantRevoked: ReportBasis;
}

/** Another record of the same team link with another account (still to be retired). */
export interface ReportSupersededLink {
  linkId: string;
  account: string;
  state: "linked" | "disabled" | "revoked";
  providerGrant: ReportGrant;
}

/** One declared link as observed. */
export interface ReportLink {
  name: string;
  provider: ProviderKind;
  /** The observed account, or the declared one when there is no record. */
  account: string;
  team: string | null;
  declaredState: "linked" | "disabled" | "revoked";
  observedState: ReportLinkState;
  providerGrant: ReportGrant;
  repositories: string[];
  superseded: ReportSupersededLink[];
  manualSteps: ReportManualStep[];
  /** Declared repositories that answered 404 or that the token cannot read, not recorded as gone: nothing about them is observed. */
  unobservedRepositories: string[];
  /** For a link declared revoked, how each side of the revocation is known; null for a declared live link. */
  evidence: ReportLinkEvidence | null;
}

/** The links of one build-service namespace. */
export interface ReportNamespace {
  namespace: string;
  links: ReportLink[];
}

/** One build-service webhook or deploy key. */
export interface ReportArtifact {
  kind: "repository-webhook" | "org-webhook" | "deploy-key";
  /** `owner/name`; null for an org's own webhook. */
  repository: string | null;
  id: string;
  /** The webhook's URL, or the deploy key's title. */
  target: string;
  state: ArtifactState;
  /** The links that use it (`in-use`) or name it (`leftover`); empty for an orphan. */
  links: string[];
  /** The repository is archived (the provider refuses writes there). */
  archived: boolean;
}

/** Observed third-party access of the build service's app in one GitHub org. */
export interface ReportOrgAccess {
  /** Null for an org the YAML does not declare (a live link builds from it). */
  declared: "granted" | "denied" | null;
  observed: "granted" | "denied" | "requested" | "unknown";
  observedVia: "build-service" | "audit-log" | "probe" | "none";
  manualSteps: ReportManualStep[];
}

/** What one sweep of the owner covered. */
export interface ReportSweep {
  name: string;
  repositoriesSwept: number;
  repositoriesExcluded: number;
  foreignWebhookCount: number;
  /** The owner's listing showed public repositories only (a GitHub user swept with another's token): the rest was not seen. */
  publicOnly?: boolean;
  /** How the owner was read and how old its last full verification is (absent when the run kept no inventory). */
  refresh?: SweepRefresh;
  /** Its manual steps (unarchive an archived repository that holds artifacts), open or recorded. */
  manualSteps: ReportManualStep[];
}

/** One provider owner (GitHub org or user, Bitbucket workspace): its artifacts, org access and sweeps. */
export interface ReportOwner {
  provider: ProviderKind;
  owner: string;
  orgAccess: ReportOrgAccess | null;
  sweeps: ReportSweep[];
  artifacts: ReportArtifact[];
}

/** Counts of the whole report. */
export interface ReportSummary {
  links: Record<ReportLinkState, number>;
  grants: Record<ReportGrant, number>;
  artifacts: Record<ArtifactState, number>;
  /** Manual steps by status: open, recorded done by hand, recorded done but observed otherwise (`not-needed` is not counted). */
  manualSteps: { open: number; done: number; observedOtherwise: number };
  orgAccess: { granted: number; denied: number; requested: number; unknown: number };
  /** True only when proven: `notProven` is empty. */
  retired: boolean;
  /** Why retirement is not proven, each reason with the names it concerns; empty when retired. */
  notProven: NotProven[];
  /** The facts of the proof, split by how they are known: verified by an API in this run, or recorded by hand in the YAML. */
  facts: { verified: string[]; recordedByHand: string[] };
}

/** Reasons retirement is not proven, in display order. */
export const NOT_PROVEN_REASONS = [
  "live-links",
  "unlinking-not-proven",
  "active-grants",
  "grants-not-proven",
  "artifacts-left",
  "unobserved-repositories",
  "owners-not-swept",
  "open-manual-steps",
  "observed-otherwise",
] as const;

/** One reason retirement is not proven. */
export type NotProvenReason = (typeof NOT_PROVEN_REASONS)[number];

/** One reason retirement is not proven, with the names (links, accounts, repositories, owners, step ids) it concerns. */
export interface NotProven {
  reason: NotProvenReason;
  names: string[];
}

/** One run the report was made from (several after `--merge`). */
export interface ReportSource {
  asOf: string;
  files: string[];
}

export type { ReportContinuity } from "./continuity.js";

/** The whole report. */
export interface RetirementReport {
  apiVersion: typeof REPORT_API_VERSION;
  /** The run's date (`YYYY-MM-DD`); after a merge, the oldest run's. */
  asOf: string;
  retirementDate: typeof RETIREMENT_DATE;
  /** Days from `asOf` to `retirementDate` (negative once it has passed). */
  daysLeft: number;
  sources: ReportSource[];
  summary: ReportSummary;
  namespaces: ReportNamespace[];
  owners: ReportOwner[];
  /** Per image a link autobuilt: its replacement's state, run and tags; absent when the config declares no builds. */
  continuity?: ReportContinuity[];
}
