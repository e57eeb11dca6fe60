/**
 * What a sweep finds: every build-service artifact on one owner's repositories and org hooks, each
 * classified against the live links. The contract between the sweep's observation, its planner, the
 * policy rule `no-orphaned-build-service-artifacts`, the OrphanSweep resource and the report.
 */
import type { ProviderKind } from "./spec.js";

/** A repository webhook, an org's own webhook, or a repository deploy key. */
export type SweptArtifactKind = "repository-webhook" | "org-webhook" | "deploy-key";

/**
 * `covered`: a live link builds from the repository, so the artifact is kept.
 * `leftover`: a revoked or unlinked link names the repository (its record or its declaration).
 * `orphaned`: nothing names it.
 */
export type SweptArtifactClass = "covered" | "leftover" | "orphaned";

/** One build-service artifact a sweep found. */
export interface SweptArtifact {
  kind: SweptArtifactKind;
  provider: ProviderKind;
  owner: string;
  /** `owner/name`; null for an org's own webhook. */
  repository: string | null;
  /** The provider's id of the webhook or deploy key. */
  id: string;
  /** The webhook's target URL, or the deploy key's title. */
  target: string;
  /** The repository is archived: the provider refuses writes there, so the artifact is reported, not deleted. */
  archived: boolean;
  classification: SweptArtifactClass;
  /** `covered`: the live links that use it; `leftover`: the revoked or unlinked links that name it; `orphaned`: empty. */
  links: string[];
  /**
   * A `leftover` on a repository that a link declared `revoked` lists: that link's own revocation
   * deletes it (or keeps it, per its `onRevoke`), so the sweep plans nothing for it.
   */
  handledBy?: string;
}

/** Everything one sweep entry observed. */
export interface SweepObservation {
  /** The sweep's name (from the YAML or the resource). */
  name: string;
  provider: ProviderKind;
  owner: string;
  /** Repositories listed, archived included, excluded ones not counted. */
  repositoriesSwept: number;
  /** Repositories skipped by the sweep's `exclude` globs. */
  repositoriesExcluded: number;
  artifacts: SweptArtifact[];
  /** Webhooks that do not match the build service's patterns: never touched, only counted. */
  foreignWebhookCount: number;
  /**
   * True when only the owner's public repositories could be listed (a GitHub user the token is not:
   * GitHub lists another user's public repositories only): the private ones were not swept.
   */
  publicOnly?: boolean;
  /** How the owner's inventory was read this run (absent where no refresh policy applies, e.g. the Pulumi provider). */
  refresh?: SweepRefresh;
}

/**
 * How a sweep read its owner: `full` (everything), `incremental` (the audit log since the last run,
 * and what its events touch), or `rolling` (no audit log: one slice plus the repositories with known
 * build-service artifacts). Plan, check and report print it.
 */
export interface SweepRefresh {
  mode: "full" | "incremental" | "rolling";
  /** Why a full read, when it is one (no stored cursor, the log answered 404, a missed event…). */
  fullBecause: string | null;
  /** Audit log events about the owner that this run applied. */
  events: number;
  /** Repositories whose webhooks and deploy keys were read this run. */
  reread: number;
  /** When the last full verification started (ISO 8601); this run's when it is one. */
  lastFullVerification: string;
  /** How long before this run (on the server's clock where it has one) the last full verification started, in seconds. */
  lastFullVerificationAgeSeconds: number;
  /** Differences the events do not explain, found by re-reading a slice: each triggered this run's full read. */
  missedEvents: string[];
  /** Rolling reads: the most runs since a repository outside those read every run was last verified. */
  stalenessBoundRuns?: number;
}
