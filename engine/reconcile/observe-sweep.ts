/**
 * Observing one sweep (I/O through the clients): the owner's inventory (inventory-owner.ts: every
 * repository, archived included, with its webhooks and deploy keys), the org's own webhooks, and what the build service's records
 * say about which links build from where; then the pure classification (classify-sweep.ts), by
 * repository identity once something would be deleted. What it
 * observed is recorded in the context's `SeenInRun`, the only artifacts a sweep's apply may delete.
 */
import type { LinkSpec, ProviderKind, SweepSpec } from "../model/spec.js";
import type { RepositoryIdentity } from "../clients/types.js";
import type { LinkRecord } from "../model/link-record.js";
import type { SweepObservation } from "../model/sweep.js";
import {
  classifySweep,
  exclusion,
  unlistedNames,
  type ResolvedNames,
  type SweepLinkFacts,
  type SweptRepositoryRead,
} from "./classify-sweep.js";
import { artifactsToRemove } from "./plan-sweep.js";
import { providerClient } from "./provider-client.js";
import { RunDeployKeys } from "./run-deploy-keys.js";
import type { OperationContext } from "./context.js";
import { ReconcileError } from "./errors.js";
import { inventoryOwner, ownerClient } from "./inventory-owner.js";
import { RunReads } from "./run-reads.js";
import { refreshOwner } from "./refresh-owner.js";
import { sweepRefreshPolicy } from "./sweep-cadence.js";

/** The links a sweep classifies against: the build service's records and their repositories, read once per run. */
export class SweepLinkWorld {
  /** The run's shared reads: the records, and the webhook listings links already made. */
  readonly reads: RunReads;
  readonly #declared: readonly LinkSpec[];
  #facts: Promise<SweepLinkFacts> | null = null;

  /** `declared`: every link of the run's files; `reads`: the links' observer's, so nothing is read twice. */
  constructor(ctx: OperationContext, declared: readonly LinkSpec[], reads: RunReads = new RunReads(ctx, declared)) {
    this.#declared = declared;
    this.reads = reads;
  }

  /** The facts, read on first use and shared by every sweep of the run. */
  facts(): Promise<SweepLinkFacts> {
    this.#facts ??= this.#read();
    return this.#facts;
  }

  async #read(): Promise<SweepLinkFacts> {
    // docker-hub has no link API: only the declarations say which links build from where.
    const world = this.reads.world;
    if (world === null) return { declared: this.#declared, records: [], recordRepositories: new Map() };
    const records: LinkRecord[] = await world.allRecords();
    return { declared: this.#declared, records, recordRepositories: await world.repositoriesOf(records) };
  }
}

/** Observes one sweep; `links` is shared by the sweeps of a run. Throws when the owner does not exist. */
export async function observeSweep(ctx: OperationContext, spec: SweepSpec, links: SweepLinkWorld): Promise<SweepObservation> {
  const owners = ownerClient(ctx, spec.provider);
  const excluded = exclusion(spec);
  const options = { include: (repository: string) => !excluded(repository), reads: links.reads };
  const [read, facts] = await Promise.all([
    ctx.refresh
      ? refreshOwner(ctx, spec.provider, spec.owner, options, sweepRefreshPolicy(ctx.refresh, spec))
      : inventoryOwner(ctx, spec.provider, spec.owner, options).then((inventory) => ({
          inventory,
          orgWebhooks: undefined,
          refresh: undefined,
        })),
    links.facts(),
  ]);
  const inventory = read.inventory;
  if (inventory.ownerType === null) {
    throw new ReconcileError(
      "missing-owner",
      `${spec.provider} owner "${spec.owner}" does not exist or the token cannot see it (404): fix the owner, or give the token read access to its repositories.`,
    );
  }
  const orgWebhooks =
    read.orgWebhooks !== undefined ? read.orgWebhooks : inventory.ownerType === "org" ? await owners.listOrgWebhooks(spec.owner) : null;
  // Gone between the owner's listing and its reads: nothing left there to sweep.
  const repositories: SweptRepositoryRead[] = inventory.repositories.filter((r) => r.exists);
  const swept = { repositories, excluded: inventory.excluded, orgWebhooks, publicOnly: inventory.publicOnly };
  let observed = classifySweep(spec, swept, facts, ctx);
  // Something would be deleted: first learn what the names links use that the listing does not show
  // are now (renamed or transferred repositories), so none of their artifacts is taken for an orphan.
  const unlisted = artifactsToRemove(observed).some((a) => a.repository !== null) ? unlistedNames(facts, spec.provider, swept) : [];
  if (unlisted.length > 0) observed = classifySweep(spec, swept, facts, ctx, await resolveNames(ctx, spec.provider, unlisted, links.reads));
  if (read.refresh) observed = { ...observed, refresh: read.refresh };
  ctx.seen.recordSweep(observed);
  return observed;
}

/**
 * What each name is now, through the provider's batched deploy-key read (GitHub's GraphQL follows
 * renames and says which repository answered; the links' repositories are in the run's batches
 * already). A provider without it, or a read that fails, resolves nothing: classify-sweep.ts then keeps
 * what a live link's unresolved name may build from, rather than guess.
 */
async function resolveNames(
  ctx: OperationContext,
  provider: ProviderKind,
  names: readonly string[],
  reads: RunReads,
): Promise<ResolvedNames> {
  const client = providerClient(ctx, provider);
  const resolved = new Map<string, RepositoryIdentity | null>();
  if (!RunDeployKeys.batches(client)) return resolved;
  let listings: Awaited<ReturnType<RunDeployKeys["read"]>>;
  try {
    listings = await reads.deployKeys.read(client, names);
  } catch {
    return resolved;
  }
  for (const [name, listing] of listings) {
    if (!listing.exists) resolved.set(name.toLowerCase(), null);
    else if (listing.identity) resolved.set(name.toLowerCase(), listing.identity);
  }
  return resolved;
}
