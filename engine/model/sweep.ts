/**
 * What a sweep finds: every build-service artifact on one owner's repositories and org hooks, each
 * classified against the live links. The contract between the sweep's observation, its planner, the
 * policy rule `no-orphaned-build-service-artifacts`, the OrphanSweep resource and the report.
 */
import type { ProviderKind } from "./spec.js";
import type { RollingStaleness } from "./sweep-memory.js";

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
  /** A rolling sweep (`--verify-slices N`): what it re-read, and how old the rest of its observation may be. */
  rolling?: RollingStaleness;
}
