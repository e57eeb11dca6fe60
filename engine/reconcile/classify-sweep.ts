/**
 * Classifying what a sweep found (pure): each build-service webhook or deploy key on an owner's
 * repositories and org hooks is `covered` (a live link builds from the repository: kept), `leftover`
 * (a revoked link's declaration or an unlinked or retired record names the repository) or `orphaned`
 * (nothing names it). Foreign webhooks and keys (not matching the build service's patterns) are counted
 * and never classified, so nothing can plan to touch them.
 *
 * Repositories are matched by identity, not only by name: a name a link uses that the owner's listing
 * does not show (a repository renamed or transferred since; GitHub keeps the old name redirecting) is
 * resolved to the repository it names now, which that link then covers. A live link's name that could
 * not be resolved keeps every artifact of the owner that would otherwise be deleted, and says why.
 */
import type { LinkSpec, SweepSpec } from "../model/spec.js";
import type { OwnerRepository, RepositoryIdentity } from "../clients/types.js";
import type { LinkRecord } from "../model/link-record.js";
import { compileUrlPatterns } from "../model/patterns.js";
import type { SweepObservation, SweptArtifact } from "../model/sweep.js";
import { sameIdentity } from "./link-identity.js";
import { isLive } from "../model/observed.js";
import type { ObservedDeployKey, ObservedWebhook } from "../model/observed.js";
import { recordKey, retiredByDeclaration } from "./sharing.js";
import type { PlanSettings } from "./plan-settings.js";

/** What the run knows of links: the declarations and the build service's records with their repositories. */
export interface SweepLinkFacts {
  declared: readonly LinkSpec[];
  /** Every record of every namespace the run sees (live and `unlinked`). */
  records: readonly LinkRecord[];
  /** The autobuild repositories of `records`, by `recordKey`. */
  recordRepositories: ReadonlyMap<string, readonly string[]>;
}

/** What a sweep read of one repository (the webhooks and deploy keys as listed, before matching). */
export interface SweptRepositoryRead extends Pick<OwnerRepository, "repository" | "archived"> {
  /** The listing's id (OwnerRepository.id); without it the repository is matched by name only. */
  id?: string;
  webhooks: readonly ObservedWebhook[];
  deployKeys: readonly ObservedDeployKey[];
}

/** Everything a sweep read, before classification. */
export interface SweepRead {
  repositories: readonly SweptRepositoryRead[];
  /** Repositories the `exclude` globs left out (not read). */
  excluded: number;
  /** The org's own webhooks; null for a user or workspace. */
  orgWebhooks: readonly ObservedWebhook[] | null;
  /** The listing showed public repositories only (OwnerPages.publicOnly). */
  publicOnly?: boolean;
}

/**
 * What the names links use that the listing does not show are now, by lower-case name: the repository
 * (id and current name), or null when the name is gone. A name missing from the map was not resolved.
 */
export type ResolvedNames = ReadonlyMap<string, RepositoryIdentity | null>;

/** Recognises the build service's artifacts: the run's patterns, as its context compiled them. */
export type ArtifactMatchers = Pick<PlanSettings, "webhooks" | "deployKeys">;

/** Who names a repository: live links that cover it, and retired ones that left something there. */
export interface RepositoryNames {
  covered: string[];
  leftover: string[];
  /** The first link declared `revoked` that lists the repository: its revocation handles what is there. */
  declaredRevoked: string | undefined;
}

/** Whether a repository (`owner/name`) is left out by a sweep's `exclude` globs (case-insensitively); the globs are compiled once. */
export function exclusion(spec: SweepSpec): (repository: string) => boolean {
  if (spec.exclude.length === 0) return () => false;
  const patterns = compileUrlPatterns(spec.exclude.map((g) => g.toLowerCase()));
  return (repository) => patterns.matchesAny(repository.toLowerCase());
}

/**
 * An index from lower-case repository to the links that name it, for one provider: declared links
 * by name; records by their declaration's name when one carries their identity, else `namespace/id`.
 */
export function repositoryNames(facts: SweepLinkFacts, provider: LinkSpec["provider"]): (repository: string) => RepositoryNames {
  const index = new Map<string, RepositoryNames>();
  const entry = (repository: string): RepositoryNames => {
    const key = repository.toLowerCase();
    let names = index.get(key);
    if (names === undefined) {
      names = { covered: [], leftover: [], declaredRevoked: undefined };
      index.set(key, names);
    }
    return names;
  };
  for (const link of facts.declared) {
    if (link.provider !== provider) continue;
    for (const repository of link.repositories) {
      const names = entry(repository);
      if (link.state === "revoked") {
        names.leftover.push(link.name);
        names.declaredRevoked ??= link.name;
      } else names.covered.push(link.name);
    }
  }
  for (const record of facts.records) {
    if (record.provider !== provider) continue;
    const live = isLive(record.state) && !retiredByDeclaration(record, facts.declared);
    const label = `${record.namespace}/${record.id} (${record.account})`;
    // A record of a link declared `revoked`: that link's revocation covers every repository the record lists.
    const revokedBy = live ? undefined : facts.declared.find((d) => d.state === "revoked" && sameIdentity(d, record));
    for (const repository of facts.recordRepositories.get(recordKey(record)) ?? []) {
      const names = entry(repository);
      (live ? names.covered : names.leftover).push(label);
      if (revokedBy !== undefined) names.declaredRevoked ??= revokedBy.name;
    }
  }
  return (repository) => {
    const names = index.get(repository.toLowerCase());
    return names === undefined
      ? { covered: [], leftover: [], declaredRevoked: undefined }
      : { ...names, covered: unique(names.covered), leftover: unique(names.leftover) };
  };
}

/** The names links use on the sweep's provider that the listing does not show (case-insensitively), in first-seen order. */
export function unlistedNames(facts: SweepLinkFacts, provider: LinkSpec["provider"], read: Pick<SweepRead, "repositories">): string[] {
  const listed = new Set(read.repositories.map((r) => r.repository.toLowerCase()));
  const out = new Map<string, string>();
  const add = (name: string): void => {
    const key = name.toLowerCase();
    if (!listed.has(key) && !out.has(key)) out.set(key, name);
  };
  for (const link of facts.declared) if (link.provider === provider) link.repositories.forEach(add);
  for (const record of facts.records) {
    if (record.provider === provider) (facts.recordRepositories.get(recordKey(record)) ?? []).forEach(add);
  }
  return [...out.values()];
}

/**
 * Classifies everything a sweep read into the shared `SweepObservation` (engine/model/sweep.ts).
 * `resolved`: what the unlisted names are now (observe-sweep.ts asks only when something would be
 * deleted); without it, repositories are matched by name alone and nothing is kept for an unresolved name.
 */
export function classifySweep(
  spec: SweepSpec,
  read: SweepRead,
  facts: SweepLinkFacts,
  matchers: ArtifactMatchers,
  resolved?: ResolvedNames,
): SweepObservation {
  const namesOf = repositoryNames(facts, spec.provider);
  const { aliases, held } =
    resolved === undefined ? { aliases: new Map<string, string[]>(), held: [] } : renames(spec, read, facts, namesOf, resolved);
  const artifacts: SweptArtifact[] = [];
  let foreignWebhookCount = 0;
  const base = { provider: spec.provider, owner: spec.owner };

  for (const repo of read.repositories) {
    const names = merged(
      namesOf(repo.repository),
      ...(repo.id === undefined ? [] : (aliases.get(repo.id) ?? []).map((old) => as(namesOf(old), old))),
    );
    const classified = classOf(held.length > 0 ? merged(names, { covered: held, leftover: [], declaredRevoked: undefined }) : names);
    const at = { ...base, repository: repo.repository, archived: repo.archived, ...classified };
    for (const hook of repo.webhooks) {
      if (!matchers.webhooks.matchesAny(hook.url)) {
        foreignWebhookCount++;
        continue;
      }
      artifacts.push({ kind: "repository-webhook", id: hook.id, target: hook.url, ...at });
    }
    for (const key of repo.deployKeys) {
      if (matchers.deployKeys.matchesAny(key.title)) artifacts.push({ kind: "deploy-key", id: key.id, target: key.title, ...at });
    }
  }
  // An org's own webhook serves no single repository, so no link covers it.
  for (const hook of read.orgWebhooks ?? []) {
    if (!matchers.webhooks.matchesAny(hook.url)) {
      foreignWebhookCount++;
      continue;
    }
    artifacts.push({
      kind: "org-webhook",
      ...base,
      repository: null,
      id: hook.id,
      target: hook.url,
      archived: false,
      classification: "orphaned",
      links: [],
    });
  }

  return {
    name: spec.name,
    provider: spec.provider,
    owner: spec.owner,
    repositoriesSwept: read.repositories.length,
    repositoriesExcluded: read.excluded,
    artifacts,
    foreignWebhookCount,
    ...(read.publicOnly === true ? { publicOnly: true } : {}),
  };
}

/**
 * Which listed repository (by id) each resolved unlisted name now is, and the live links whose name in
 * this owner could not be resolved (what they build from may be any listed repository).
 */
function renames(
  spec: SweepSpec,
  read: SweepRead,
  facts: SweepLinkFacts,
  namesOf: (repository: string) => RepositoryNames,
  resolved: ResolvedNames,
): { aliases: Map<string, string[]>; held: string[] } {
  const aliases = new Map<string, string[]>();
  const held: string[] = [];
  const owner = `${spec.owner.toLowerCase()}/`;
  for (const name of unlistedNames(facts, spec.provider, read)) {
    const identity = resolved.get(name.toLowerCase());
    if (identity) {
      const list = aliases.get(identity.id);
      if (list) list.push(name);
      else aliases.set(identity.id, [name]);
    } else if (identity === undefined && name.toLowerCase().startsWith(owner)) {
      for (const label of namesOf(name).covered)
        held.push(`${label} (names ${name}, which the listing of ${spec.owner} does not show: kept until it is resolved)`);
    }
  }
  return { aliases, held };
}

/** The links naming a repository by an old name, each label saying which. */
function as(names: RepositoryNames, name: string): RepositoryNames {
  const label = (l: string): string => `${l} (as ${name})`;
  return { covered: names.covered.map(label), leftover: names.leftover.map(label), declaredRevoked: names.declaredRevoked };
}

/** Every link naming a repository by any of its names. */
function merged(first: RepositoryNames, ...rest: RepositoryNames[]): RepositoryNames {
  if (rest.length === 0) return first;
  return {
    covered: unique([first, ...rest].flatMap((n) => n.covered)),
    leftover: unique([first, ...rest].flatMap((n) => n.leftover)),
    declaredRevoked: [first, ...rest].find((n) => n.declaredRevoked !== undefined)?.declaredRevoked,
  };
}

function classOf(names: RepositoryNames): Pick<SweptArtifact, "classification" | "links" | "handledBy"> {
  if (names.covered.length > 0) return { classification: "covered", links: names.covered };
  if (names.leftover.length > 0) {
    return {
      classification: "leftover",
      links: names.leftover,
      ...(names.declaredRevoked === undefined ? {} : { handledBy: names.declaredRevoked }),
    };
  }
  return { classification: "orphaned", links: [] };
}

function unique(labels: readonly string[]): string[] {
  return [...new Set(labels)];
}
