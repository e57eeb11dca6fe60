/**
 * Deploy keys of one run's repositories, read in as few batched requests as the provider offers
 * (GitHub: GraphQL, clients/github/deploy-keys-graphql.ts). The first repository asked for starts one
 * read of every repository the run's declared links name on that provider, so 1,000 links over 5,000
 * repositories cost 50 queries, not one query per link; repositories outside that set (a revoked
 * link's record-only ones) are read in one batch per request. Use one per run: nothing is refreshed.
 */
import type { LinkSpec, ProviderKind } from "../model/spec.js";
import type { RepositoryListing, SourceProviderClient } from "../clients/types.js";
import type { ObservedDeployKey } from "../model/observed.js";

type Listing = RepositoryListing<ObservedDeployKey>;

/** The batched deploy-key reads of one run, per provider. */
export class RunDeployKeys {
  readonly #declared: readonly LinkSpec[];
  readonly #all = new Map<ProviderKind, Promise<Map<string, Listing>>>();

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
    const everything = this.#everything(client, readMany);
    const known = new Set(this.#declared.filter((l) => l.provider === client.kind).flatMap((l) => l.repositories));
    const outside = repositories.filter((r) => !known.has(r));
    const [all, extra] = await Promise.all([everything, outside.length > 0 ? readMany(outside) : new Map<string, Listing>()]);
    const out = new Map<string, Listing>();
    for (const repository of repositories) {
      const listing = extra.get(repository) ?? all.get(repository);
      if (!listing) throw new Error(`${client.kind}: the batched deploy-key read has no answer for ${repository}`);
      out.set(repository, listing);
    }
    return out;
  }

  /** One read of every declared repository of the client's provider, started on first use. */
  #everything(
    client: SourceProviderClient,
    readMany: (repositories: readonly string[]) => Promise<Map<string, Listing>>,
  ): Promise<Map<string, Listing>> {
    let all = this.#all.get(client.kind);
    if (!all) {
      const repositories = [...new Set(this.#declared.filter((l) => l.provider === client.kind).flatMap((l) => l.repositories))];
      all = readMany(repositories);
      this.#all.set(client.kind, all);
    }
    return all;
  }
}
