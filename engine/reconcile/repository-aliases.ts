/**
 * The names a repository goes by in one run. GitHub keeps serving a renamed repository under its old
 * name, and the build service keeps the name each link was made with, so a revoked link and a live link
 * may name the same repository differently: matched by name alone, the revocation would delete the
 * webhook and deploy key the live link builds with. Where the provider's batched read says which
 * repository answered (GitHub's GraphQL: its id and current name), every name the other live links use
 * is resolved, and the names that turn out to be the same repository count as the same
 * (docs/identity-and-sharing.md). Elsewhere (Bitbucket) names are all there is.
 */
import type { RepositoryIdentity, SourceProviderClient } from "../clients/types.js";
import { RunDeployKeys } from "./run-deploy-keys.js";
import type { RunReads } from "./run-reads.js";

/**
 * For each of `own` (a name this link observed → the repository that answered, where known): the
 * lowercase names it goes by, among its own, its current one and `candidates` (the names other live links
 * use). Pure.
 */
export function aliasesFrom(
  own: ReadonlyMap<string, RepositoryIdentity | undefined>,
  candidates: ReadonlyMap<string, RepositoryIdentity | null>,
): Map<string, Set<string>> {
  const namesById = new Map<string, Set<string>>();
  for (const [name, identity] of candidates) {
    if (identity === null) continue;
    const names = namesById.get(identity.id) ?? new Set<string>();
    names.add(name.toLowerCase()).add(identity.repository.toLowerCase());
    namesById.set(identity.id, names);
  }
  const out = new Map<string, Set<string>>();
  for (const [name, identity] of own) {
    const names = new Set([name.toLowerCase()]);
    if (identity !== undefined) {
      names.add(identity.repository.toLowerCase());
      for (const alias of namesById.get(identity.id) ?? []) names.add(alias);
    }
    out.set(name, names);
  }
  return out;
}

/**
 * What each of `names` is now, through the run's batched deploy-key reads (read once per run, shared
 * by every link that asks): an identity, null for a name that is gone, absent where the provider does
 * not say. A failed read fails the observation: a revocation never guesses which names are the same.
 */
export async function resolveRepositoryNames(
  client: SourceProviderClient,
  reads: RunReads,
  names: readonly string[],
): Promise<Map<string, RepositoryIdentity | null>> {
  const resolved = new Map<string, RepositoryIdentity | null>();
  if (names.length === 0 || !RunDeployKeys.batches(client)) return resolved;
  for (const [name, listing] of await reads.deployKeys.read(client, names)) {
    if (!listing.exists) resolved.set(name, null);
    else if (listing.identity) resolved.set(name, listing.identity);
  }
  return resolved;
}
