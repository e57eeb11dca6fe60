/**
 * The inventory of one owner: every repository (an org's, a user's or a Bitbucket workspace's) with all
 * its webhooks and deploy keys, as the provider returns them (nothing matched or classified yet). What
 * a sweep reads, at the cost the providers' APIs allow: the listing pages, one REST webhook listing per
 * repository (no batch form exists), and the deploy keys of each listing page's repositories in one
 * batched read where the provider has one (GitHub GraphQL), else one REST listing each. Each page's
 * repositories are read while the next page is listed. Reads only.
 */
import type { ProviderKind } from "../model/spec.js";
import type { OwnerClient, OwnerPages, OwnerRepository } from "../clients/types.js";
import type { OperationContext } from "./context.js";
import { ReconcileError } from "./errors.js";
import { mapLimit } from "./map-limit.js";
import type { ObservedDeployKey, ObservedWebhook } from "../model/observed.js";
import { providerClient } from "./provider-client.js";
import type { RunReads } from "./run-reads.js";
import { InternalError } from "../model/errors.js";

/**
 * Listing pages whose repositories are being read while the next page is listed (2 pages: 200
 * repositories, each up to `concurrency` reads in flight). Ten held more memory for no time: the
 * pacer, not the look-ahead, sets the pace (bench (g): 1.09× its floor either way).
 */
const PAGES_AHEAD = 2;

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
  /** Null when the owner does not exist (404 on the listing); `repositories` is then empty. */
  ownerType: OwnerPages["ownerType"] | null;
  /** In listing order, those `include` kept. */
  repositories: InventoryRepository[];
  /** Repositories listed that `include` left out (not read). */
  excluded: number;
  /** True when the listing could show public repositories only (OwnerPages.publicOnly). */
  publicOnly: boolean;
  /** Every repository listed, excluded ones too, when `keepListing` asked for it (a refresh stores it). */
  listing?: OwnerRepository[];
}

/** What to read of the owner. */
export interface InventoryOptions {
  /** Whether a listed repository is read; the others are only counted. Default: every one. */
  include?: (repository: string) => boolean;
  /** The run's shared reads, so a repository a link already listed is not listed again. */
  reads?: Pick<RunReads, "webhooks" | "deployKeys">;
  /** Return the whole listing too (`OwnerInventory.listing`). */
  keepListing?: boolean;
}

/** Reads the inventory of `owner` on `provider`. */
export async function inventoryOwner(
  ctx: OperationContext,
  provider: ProviderKind,
  owner: string,
  options: InventoryOptions = {},
): Promise<OwnerInventory> {
  const listing = await ownerClient(ctx, provider).repositoryPages(owner);
  if (listing === null) return { provider, owner, ownerType: null, repositories: [], excluded: 0, publicOnly: false };

  const include = options.include ?? (() => true);
  const concurrency = ctx.concurrency ?? DEFAULT_CONCURRENCY;
  let excluded = 0;
  const listed: OwnerRepository[] = [];
  // Each page's reads start at once; their outcomes are kept (not awaited) until the listing ends, then
  // the first failure in page order is thrown.
  const reads: Promise<{ ok: true; repositories: InventoryRepository[] } | { ok: false; error: unknown }>[] = [];
  for await (const page of listing.pages) {
    // A bounded look-ahead: the pacer lets one GitHub minute's 900 listings through at most, so
    // queueing the whole org at once only holds memory.
    const oldest = reads[reads.length - PAGES_AHEAD];
    // A page that failed ends the listing: the first failure is thrown below, and reading the rest
    // of a large owner first would only spend the rate budget the run's other reads share.
    if (oldest && !(await oldest).ok) break;
    if (options.keepListing) listed.push(...page);
    const kept = page.filter((r) => include(r.repository));
    excluded += page.length - kept.length;
    reads.push(
      readPage(ctx, provider, kept, concurrency, options.reads).then(
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
  return {
    provider,
    owner,
    ownerType: listing.ownerType,
    repositories,
    excluded,
    publicOnly: listing.publicOnly === true,
    ...(options.keepListing ? { listing: listed } : {}),
  };
}

/** The webhooks (one listing each) and deploy keys (one batched read, or a listing each) of some of an owner's repositories. */
export async function readPage(
  ctx: OperationContext,
  provider: ProviderKind,
  page: readonly OwnerRepository[],
  concurrency: number,
  reads: Pick<RunReads, "webhooks" | "deployKeys"> | undefined,
): Promise<InventoryRepository[]> {
  if (page.length === 0) return [];
  const client = providerClient(ctx, provider);
  const names = page.map((r) => r.repository);
  const [hooks, keys] = await Promise.all([
    mapLimit(names, concurrency, (repository) => (reads ? reads.webhooks(client, repository) : client.listWebhooks(repository))),
    client.readDeployKeys
      ? // Through the run's batches when there are some: the links' repositories are read once for all.
        reads
        ? reads.deployKeys.read(client, names)
        : client.readDeployKeys(names)
      : mapLimit(names, concurrency, (repository) => client.listDeployKeys(repository)).then(
          (all) => new Map(names.map((n, i) => [n, all[i]!])),
        ),
  ]);
  return page.map((repo, i) => {
    const listing = keys.get(repo.repository);
    // An answer that leaves a repository out is cut short, not a repository gone: never swept as absent.
    if (!listing) throw new InternalError(`${provider}: the deploy-key read has no answer for ${repo.repository}`);
    return {
      ...repo,
      exists: hooks[i]!.exists && listing.exists,
      webhooks: hooks[i]!.items,
      deployKeys: listing.items,
    };
  });
}

/** The client that lists `provider`'s owners; an error naming the config to fix when there is none. */
export function ownerClient(ctx: OperationContext, provider: ProviderKind): OwnerClient {
  const client = ctx.clients.owners?.[provider];
  if (client === undefined)
    throw new ReconcileError(
      "missing-client",
      `providers.${provider} is not configured: add it to the config to sweep ${provider} owners.`,
    );
  return client;
}
