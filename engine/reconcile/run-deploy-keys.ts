/**
 * Deploy keys of one run's repositories, read in as few batched requests as the provider offers
 * (GitHub: GraphQL, clients/github/deploy-keys-graphql.ts). The first repository asked for starts the
 * read of every repository the run's declared links name on that provider, in batches of
 * `DEPLOY_KEY_BATCH` in declaration order, so 1,000 links over 5,000 repositories cost 50 queries, not
 * one per link. A link waits only for the batch holding its repositories: links are observed in
 * declaration order, so the first links' keys arrive with the first answer, and their webhook
 * listings go on meanwhile instead of waiting for the whole read. Repositories outside that set (a
 * revoked link's record-only ones, or names other links use that a revocation resolves) are read in one
 * batch per request, once per run however many links ask. Use one per run: nothing is refreshed.
 */
import type { LinkSpec, ProviderKind } from "../model/spec.js";
import type { RepositoryListing, SourceProviderClient } from "../clients/types.js";
import type { ObservedDeployKey } from "../model/observed.js";
import { InternalError } from "../model/errors.js";

type Listing = RepositoryListing<ObservedDeployKey>;

/** Repositories per batched read: one GraphQL query's worth on GitHub (a cost of 1 point). */
export const DEPLOY_KEY_BATCH = 100;

/** The batched deploy-key reads of one run, per provider. */
export class RunDeployKeys {
  readonly #declared: readonly LinkSpec[];
  /** Per provider: each declared repository's batch, started on first use. */
  readonly #batches = new Map<ProviderKind, Map<string, Promise<Map<string, Listing>>>>();
  /** Per provider: the read of each repository outside the declared batches, by the name asked for. */
  readonly #outside = new Map<ProviderKind, Map<string, Promise<Map<string, Listing>>>>();

  constructor(declared: readonly LinkSpec[]) {
    this.#declared = declared;
  }

  /** Whether `client` reads many repositories' keys at once, so reading them for every link is cheap. */
  static batches(client: SourceProviderClient): boolean {
    return client.readDeployKeys !== undefined;
  }

  /** The deploy keys of `repositories` through `client.readDeployKeys`, keyed as given. */
  async read(client: SourceProviderClient, repositories: readonly string[]): Promise<Map<string, Listing>> {
    const readMany = client.readDeployKeys?.bind(client);
    if (!readMany) throw new TypeError(`${client.kind}: no batched deploy-key read`);
    const batchOf = this.#declaredBatches(client.kind, readMany);
    const outsideOf = this.#outsideReads(client.kind);
    const fresh = [...new Set(repositories.filter((r) => !batchOf.has(r) && !outsideOf.has(r)))];
    if (fresh.length > 0) {
      const answer = readMany(fresh);
      for (const repository of fresh) outsideOf.set(repository, answer);
      // A failed read is not kept: whoever asks next reads again (each asker has the error already).
      answer.catch(() => {
        for (const repository of fresh) if (outsideOf.get(repository) === answer) outsideOf.delete(repository);
      });
    }
    const batches = new Set(repositories.flatMap((r) => batchOf.get(r) ?? outsideOf.get(r) ?? []));
    const answers = await Promise.all(batches);
    const out = new Map<string, Listing>();
    for (const repository of repositories) {
      const listing = answers.find((answer) => answer.has(repository))?.get(repository);
      if (!listing) throw new InternalError(`${client.kind}: the batched deploy-key read has no answer for ${repository}`);
      out.set(repository, listing);
    }
    return out;
  }

  /** The reads of repositories outside the declared batches of `provider`. */
  #outsideReads(provider: ProviderKind): Map<string, Promise<Map<string, Listing>>> {
    let reads = this.#outside.get(provider);
    if (!reads) {
      reads = new Map();
      this.#outside.set(provider, reads);
    }
    return reads;
  }

  /** The batch of each declared repository of `provider`, every batch started on first use. */
  #declaredBatches(
    provider: ProviderKind,
    readMany: (repositories: readonly string[]) => Promise<Map<string, Listing>>,
  ): Map<string, Promise<Map<string, Listing>>> {
    let batchOf = this.#batches.get(provider);
    if (batchOf) return batchOf;
    batchOf = new Map();
    const repositories = [...new Set(this.#declared.filter((l) => l.provider === provider).flatMap((l) => l.repositories))];
    for (let i = 0; i < repositories.length; i += DEPLOY_KEY_BATCH) {
      const batch = repositories.slice(i, i + DEPLOY_KEY_BATCH);
      const answer = readMany(batch);
      // A batch no observed link waits for (its links failed first) must not become an unhandled rejection.
      answer.catch(() => undefined);
      for (const repository of batch) batchOf.set(repository, answer);
    }
    this.#batches.set(provider, batchOf);
    return batchOf;
  }
}
