/**
 * Observing one sweep (I/O through the clients): the owner's inventory (inventory-owner.ts: every
 * repository, archived included, with its webhooks and deploy keys), the org's own webhooks, and what the build service's records
 * say about which links build from where; then the pure classification (classify-sweep.ts). What it
 * observed is recorded in the context's `SeenInRun`, the only artifacts a sweep's apply may delete.
 */
import type { LinkSpec, SweepSpec } from "../model/spec.js";
import type { BuildServiceLinkWire } from "../clients/types.js";
import type { SweepObservation } from "../model/sweep.js";
import { classifySweep, exclusion, type SweepLinkFacts, type SweptRepositoryRead } from "./classify-sweep.js";
import type { OperationContext } from "./context.js";
import { ReconcileError } from "./errors.js";
import { inventoryOwner, ownerClient } from "./inventory-owner.js";
import { RunReads } from "./run-reads.js";

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
    const records: BuildServiceLinkWire[] = await world.allRecords();
    return { declared: this.#declared, records, recordRepositories: await world.repositoriesOf(records) };
  }
}

/** Observes one sweep; `links` is shared by the sweeps of a run. Throws when the owner does not exist. */
export async function observeSweep(ctx: OperationContext, spec: SweepSpec, links: SweepLinkWorld): Promise<SweepObservation> {
  const owners = ownerClient(ctx, spec.provider);
  const excluded = exclusion(spec);
  const [inventory, facts] = await Promise.all([
    inventoryOwner(ctx, spec.provider, spec.owner, { include: (repository) => !excluded(repository), reads: links.reads }),
    links.facts(),
  ]);
  if (inventory.ownerType === null) {
    throw new ReconcileError(
      "missing-owner",
      `${spec.provider} owner "${spec.owner}" does not exist or the token cannot see it (404): fix the owner, or give the token read access to its repositories.`,
    );
  }
  const orgWebhooks = inventory.ownerType === "org" ? await owners.listOrgWebhooks(spec.owner) : null;
  // Gone between the owner's listing and its reads: nothing left there to sweep.
  const repositories: SweptRepositoryRead[] = inventory.repositories.filter((r) => r.exists);
  const observed = classifySweep(spec, { repositories, excluded: inventory.excluded, orgWebhooks }, facts, ctx.clients);
  ctx.seen.recordSweep(observed);
  return observed;
}
