/**
 * What one observation phase reads that more than one resource needs, each read once: the build
 * service's records (run-world.ts), deploy keys in batches (run-deploy-keys.ts) and each repository's
 * webhook listing. Links that share a repository, and a sweep of an owner whose repositories links
 * name, would otherwise list the same webhooks again: on github.com each listing spends the same
 * per-minute budget, so a plan with a sweep of a 5,000-repository org read up to 10,000 listings.
 * Nothing is refreshed: a run that writes makes a new one before it looks again.
 */
import type { LinkSpec } from "../model/spec.js";
import type { ObservedWebhook } from "../model/observed.js";
import type { RepositoryListing, SourceProviderClient } from "../clients/types.js";
import type { OperationContext } from "./context.js";
import { RunDeployKeys } from "./run-deploy-keys.js";
import { RunWorld } from "./run-world.js";

/** The shared reads of one observation phase. */
export class RunReads {
  /** Null when the build service has no link API (docker-hub): the declarations are all there is. */
  readonly world: RunWorld | null;
  readonly deployKeys: RunDeployKeys;
  readonly #webhooks = new Map<string, Promise<RepositoryListing<ObservedWebhook>>>();

  /** `declared`: every link of the run's files. */
  constructor(ctx: OperationContext, declared: readonly LinkSpec[]) {
    const bs = ctx.clients.buildService;
    this.world = bs === null ? null : new RunWorld(bs, declared);
    this.deployKeys = new RunDeployKeys(declared);
  }

  /** Every webhook of `repository`, listed once per phase however many links and sweeps ask. */
  webhooks(client: SourceProviderClient, repository: string): Promise<RepositoryListing<ObservedWebhook>> {
    // GitHub and Bitbucket names are case-insensitive: `Acme/Site` in a YAML and `acme/site` in a listing are one repository.
    const key = `${client.kind}\u0000${repository.toLowerCase()}`;
    let listing = this.#webhooks.get(key);
    if (!listing) {
      listing = client.listWebhooks(repository);
      this.#webhooks.set(key, listing);
      // A failed read is not kept: whoever asks next reads again (each asker has the error already).
      listing.catch(() => this.#webhooks.delete(key));
    }
    return listing;
  }
}
