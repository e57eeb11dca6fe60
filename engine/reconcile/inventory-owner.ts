/**
 * The inventory of one owner: every repository of the org with all its webhooks and deploy keys, as
 * the provider returns them (nothing matched or classified yet). What a sweep reads, at the cost
 * GitHub's APIs allow: the listing pages, one REST webhook listing per repository (no batch form
 * exists), and the deploy keys of each listing page's repositories in one GraphQL query. Each page's
 * repositories are read while the next page is listed. Reads only.
 */
import type { ProviderKind } from "../model/spec.js";
import type { OwnerRepository } from "../clients/types.js";
import type { OperationContext } from "./context.js";
import { ReconcileError } from "./errors.js";
import { mapLimit } from "./map-limit.js";
import type { ObservedDeployKey, ObservedWebhook } from "../model/observed.js";
import { providerClient } from "./provider-client.js";

/** Listing pages whose repositories are being read while the next page is listed (10 pages: 1,000 repositories). */
const PAGES_AHEAD = 10;

/** Repositories whose webhooks are read at once by default; the clients pace the requests beneath this. */
const DEFAULT_CONCURRENCY = 32;

/** One repository of an owner, with everything on it. */
export interface InventoryRepository extends OwnerRepository {
  /** False when the repository vanished between the listing and its reads (404). */
  exists: boolean;
  /** Every webhook, the build service's and foreign ones alike. */
  webhooks: ObservedWebhook[];
  /** Every deploy key. */
  deployKeys: ObservedDeployKey[];
}

/** Everything on an owner's repositories. */
export interface OwnerInventory {
  provider: ProviderKind;
  owner: string;
  /** False when the owner does not exist (404 on the listing); `repositories` is then empty. */
  ownerExists: boolean;
  /** In listing order. */
  repositories: InventoryRepository[];
}

/** Reads the inventory of `owner` on `provider`. */
export async function inventoryOwner(ctx: OperationContext, provider: ProviderKind, owner: string): Promise<OwnerInventory> {
  const client = providerClient(ctx, provider);
  if (!client.repositoryPages)
    throw new ReconcileError("missing-client", `${provider}: listing an owner's repositories is not supported; sweeps need it.`);
  const pages = await client.repositoryPages(owner);
  if (pages === null) return { provider, owner, ownerExists: false, repositories: [] };

  const concurrency = ctx.concurrency ?? DEFAULT_CONCURRENCY;
  // Each page's reads start at once; their outcomes are kept (not awaited) until the listing ends, then
  // the first failure in page order is thrown.
  const reads: Promise<{ ok: true; repositories: InventoryRepository[] } | { ok: false; error: unknown }>[] = [];
  for await (const page of pages) {
    // A bounded look-ahead: the pacer lets one GitHub minute's 900 listings through at most, so
    // queueing the whole org at once only holds memory.
    const oldest = reads[reads.length - PAGES_AHEAD];
    if (oldest) await oldest;
    reads.push(
      readPage(ctx, provider, page, concurrency).then(
        (repositories) => ({ ok: true as const, repositories }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
    );
  }
  const repositories: InventoryRepository[] = [];
  for (const outcome of await Promise.all(reads)) {
    if (!outcome.ok) throw outcome.error;
    repositories.push(...outcome.repositories);
  }
  return { provider, owner, ownerExists: true, repositories };
}

/** The webhooks (one listing each) and deploy keys (one batched read) of one listing page's repositories. */
async function readPage(
  ctx: OperationContext,
  provider: ProviderKind,
  page: readonly OwnerRepository[],
  concurrency: number,
): Promise<InventoryRepository[]> {
  const client = providerClient(ctx, provider);
  const names = page.map((r) => r.repository);
  const [hooks, keys] = await Promise.all([
    mapLimit(names, concurrency, (repository) => client.listWebhooks(repository)),
    client.readDeployKeys
      ? client.readDeployKeys(names)
      : mapLimit(names, concurrency, (repository) => client.listDeployKeys(repository)).then(
          (all) => new Map(names.map((n, i) => [n, all[i]!])),
        ),
  ]);
  return page.map((repo, i) => {
    const listing = keys.get(repo.repository);
    return {
      ...repo,
      exists: hooks[i]!.exists && (listing?.exists ?? false),
      webhooks: hooks[i]!.items,
      deployKeys: listing?.items ?? [],
    };
  });
}
