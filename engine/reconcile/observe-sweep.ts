/**
 * Observing one sweep (I/O through the clients): every repository of the owner (archived included),
 * each one's webhooks and deploy keys, the org's own webhooks, and what the build service's records
 * say about which links build from where; then the pure classification (classify-sweep.ts). What it
 * observed is recorded in the context's `SeenInRun`, the only artifacts a sweep's apply may delete.
 */
import type { LinkSpec, ProviderKind, SweepSpec } from "../model/spec.js";
import type { BuildServiceLinkWire, OwnerClient, SourceProviderClient } from "../clients/types.js";
import type { SweepObservation } from "../model/sweep.js";
import { classifySweep, isExcluded, type SweepLinkFacts, type SweptRepositoryRead } from "./classify-sweep.js";
import type { OperationContext } from "./context.js";
import { ReconcileError } from "./errors.js";
import { mapLimit } from "./map-limit.js";
import type { ObservedDeployKey } from "../model/observed.js";
import { providerClient } from "./provider-client.js";
import { RunWorld } from "./run-world.js";

/** Repositories read at once when the context sets no concurrency (the clients pace requests themselves). */
const DEFAULT_CONCURRENCY = 16;

/** The links a sweep classifies against: the build service's records and their repositories, read once per run. */
export class SweepLinkWorld {
  readonly #world: RunWorld | null;
  readonly #declared: readonly LinkSpec[];
  #facts: Promise<SweepLinkFacts> | null = null;

  /** `declared`: every link of the run's files. */
  constructor(ctx: OperationContext, declared: readonly LinkSpec[]) {
    this.#declared = declared;
    // docker-hub has no link API: only the declarations say which links build from where.
    this.#world = ctx.clients.buildService === null ? null : new RunWorld(ctx.clients.buildService, declared);
  }

  /** The facts, read on first use and shared by every sweep of the run. */
  facts(): Promise<SweepLinkFacts> {
    this.#facts ??= this.#read();
    return this.#facts;
  }

  async #read(): Promise<SweepLinkFacts> {
    if (this.#world === null) return { declared: this.#declared, records: [], recordRepositories: new Map() };
    const records: BuildServiceLinkWire[] = await this.#world.allRecords();
    return { declared: this.#declared, records, recordRepositories: await this.#world.repositoriesOf(records) };
  }
}

/** Observes one sweep; `links` is shared by the sweeps of a run. Throws when the owner does not exist. */
export async function observeSweep(ctx: OperationContext, spec: SweepSpec, links: SweepLinkWorld): Promise<SweepObservation> {
  const client = providerClient(ctx, spec.provider);
  const owners = ownerClient(ctx, spec.provider);
  const listing = await owners.listOwnerRepositories(spec.owner);
  if (listing === null) {
    throw new ReconcileError(
      "missing-owner",
      `${spec.provider} owner "${spec.owner}" does not exist or the token cannot see it (404): fix the owner, or give the token read access to its repositories.`,
    );
  }
  const included = listing.repositories.filter((r) => !isExcluded(spec, r.repository));
  const concurrency = ctx.concurrency ?? DEFAULT_CONCURRENCY;
  const [hooks, keys, orgWebhooks, facts] = await Promise.all([
    mapLimit(included, concurrency, (r) => client.listWebhooks(r.repository)),
    readDeployKeys(
      client,
      included.map((r) => r.repository),
      concurrency,
    ),
    listing.ownerType === "org" ? owners.listOrgWebhooks(spec.owner) : Promise.resolve(null),
    links.facts(),
  ]);
  const repositories: SweptRepositoryRead[] = [];
  included.forEach((r, i) => {
    const listed = hooks[i]!;
    // Gone between the owner's listing and this read: nothing left there to sweep.
    if (!listed.exists) return;
    repositories.push({ ...r, webhooks: listed.items, deployKeys: keys.get(r.repository) ?? [] });
  });
  const observed = classifySweep(
    spec,
    { repositories, excluded: listing.repositories.length - included.length, orgWebhooks },
    facts,
    ctx.clients,
  );
  ctx.seen.recordSweep(observed);
  return observed;
}

/**
 * The deploy keys of `repositories`, per repository (none for one that is gone): through the client's
 * batched reader where it has one (GitHub GraphQL's `Repository.deployKeys`), else one REST listing each.
 */
export async function readDeployKeys(
  client: SourceProviderClient,
  repositories: readonly string[],
  concurrency: number,
): Promise<Map<string, ObservedDeployKey[]>> {
  // GitHub: a few batched GraphQL queries (100 repositories each) instead of one REST request per repository.
  if (client.readDeployKeys !== undefined) {
    const read = await client.readDeployKeys(repositories);
    return new Map(repositories.map((r) => [r, read.get(r)?.items ?? []]));
  }
  const listed = await mapLimit(repositories, concurrency, (r) => client.listDeployKeys(r));
  return new Map(repositories.map((r, i) => [r, listed[i]!.items]));
}

function ownerClient(ctx: OperationContext, provider: ProviderKind): OwnerClient {
  const client = ctx.clients.owners?.[provider];
  if (client === undefined)
    throw new ReconcileError(
      "missing-client",
      `providers.${provider} is not configured: add it to the config to sweep ${provider} owners.`,
    );
  return client;
}
