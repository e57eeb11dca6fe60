/**
 * Refreshing an owner's inventory in O(changes) where that can be proved: with the org's audit log
 * (GitHub Enterprise Cloud), a run reads the log since the cursor it stored (less an overlap for the
 * log's delay), re-reads only the repositories the events touch, and reuses the rest of the last
 * verified inventory. A full verification still runs when the last one is older than the cadence
 * (`verifyEvery`), and `slices` re-reads 1/N of the repositories besides the events: a difference
 * the events do not explain is a missed event, and triggers a full read. Without a log, every run
 * reads in full unless rolling slices are asked for (then the repositories with known build-service
 * artifacts are re-read every run, and the staleness bound is reported).
 * Any doubt (no cursor, an old one, the log refusing, an event it cannot place, a changed identity)
 * is a full read, with the reason recorded in the observation. A log that answered 403 or 404 is
 * remembered in the stored inventory, and asked again only once the cadence has passed since.
 */
import type { InventoryRecords, StoredInventory, StoredRepository } from "../clients/inventory-store.js";
import type { AuditLogRead, OwnerRepository } from "../clients/types.js";
import type { ObservedWebhook } from "../model/observed.js";
import type { ProviderKind } from "../model/spec.js";
import type { SweepRefresh } from "../model/sweep.js";
import { applyAuditEvents } from "./audit-events.js";
import type { OperationContext } from "./context.js";
import { inventoryOwner, ownerClient, readPage, type InventoryOptions, type OwnerInventory } from "./inventory-owner.js";
import { selectRollingSlice, stalenessBoundRuns } from "./rolling-slices.js";
import type { PlanSettings } from "./plan-settings.js";
import { providerApiUrl } from "./provider-client.js";

/** GitHub keeps 180 days of audit log events: a cursor older than that may have lost some. */
export const AUDIT_LOG_RETENTION_MS = 180 * 86_400_000;

/** How refreshes are allowed to reuse what an earlier run verified. */
export interface RefreshPolicy {
  store: InventoryRecords;
  /** A full verification runs when the last one is older than this (ms). Default 24 h. */
  verifyEveryMs: number;
  /** Re-read 1/N of the repositories each run besides the events; 0: none. */
  slices: number;
  /** How far back of the stored cursor the log is read again, for events the log shows late (ms). */
  overlapMs: number;
  /** Epoch ms where no server time is known (owners without an audit log). */
  now: () => number;
  /**
   * How reasons name what set the cadence (`--verify-every` or the sweep's `verifyEvery`), and how
   * they suggest rolling slices when none are set (sweep-cadence.ts).
   */
  setBy: { verifyEvery: string; slicesHint: string };
}

/** The cadence and overlap a policy uses by default. */
export const DEFAULT_REFRESH = { verifyEveryMs: 24 * 3_600_000, slices: 0, overlapMs: 15 * 60_000 } as const;

/** An owner's inventory, its org webhooks, and how it was read. */
export interface RefreshedOwner {
  inventory: OwnerInventory;
  /** The org's own webhooks; null for other owners. */
  orgWebhooks: ObservedWebhook[] | null;
  refresh: SweepRefresh;
}

/**
 * Where an owner's stored inventory belongs: its provider and the API it was read from, so an inventory
 * read from one server (github.com, a GitHub Enterprise Server, a sandbox) never answers for another.
 */
export function inventoryScope(settings: PlanSettings, provider: ProviderKind): string {
  return `${provider} ${providerApiUrl(settings, provider)}`;
}

/** Reads `owner`'s inventory under `policy`: incrementally or rolling where that is sound, else in full. */
export async function refreshOwner(
  ctx: OperationContext,
  provider: ProviderKind,
  owner: string,
  options: InventoryOptions,
  policy: RefreshPolicy,
): Promise<RefreshedOwner> {
  const stored = policy.store.get(inventoryScope(ctx, provider), owner);
  const log = provider === "github" ? (ctx.clients.githubAuditLog ?? null) : null;
  // A log that refused for want of Enterprise Cloud or permission is asked again only once the cadence has passed.
  const known = log !== null ? knownRefusal(stored, policy) : null;
  if (known !== null && stored !== undefined && policy.slices === 0)
    // Every run of such an owner reads in full anyway: no log query, and no identity to compare.
    return full(ctx, provider, owner, options, policy, {
      read: null,
      actingAs: stored.actingAs,
      because: rememberedRefusal(known, policy),
      missed: [],
      now: policy.now(),
      noAuditLog: known,
    });
  const actingAs = log ? await log.actingAs(owner) : null;
  const usable = stored !== undefined && stored.actingAs === actingAs && stored.ownerType === "org" ? stored : undefined;
  const read: AuditLogRead | null =
    log && known === null ? await log.eventsSince(owner, usable?.cursor != null ? usable.cursor - policy.overlapMs : null) : null;
  const now = read?.ok ? read.serverTime : policy.now();

  // No log here (Bitbucket, a GitHub user, an org without Enterprise Cloud): rolling slices, when asked for, stand in for it.
  const refused = read !== null && !read.ok && (read.status === 403 || read.status === 404);
  const noLog = read === null || refused;
  const noAuditLog = known ?? (refused ? { status: read.status, since: now } : undefined);
  let because = fullReason(stored, actingAs, noLog && policy.slices > 0 ? null : read, now, policy, provider);
  if (because === null && read?.ok && usable) {
    const incremental = await incrementalRead(ctx, provider, owner, options, policy, usable, read);
    if (incremental.ok) return incremental.value;
    because = incremental.reason;
    return full(ctx, provider, owner, options, policy, { read, actingAs, because, missed: incremental.missed, now });
  }
  if (because === null && noLog && stored && policy.slices > 0)
    return rollingRead(ctx, provider, owner, options, policy, stored, now, noAuditLog);
  return full(ctx, provider, owner, options, policy, {
    read,
    actingAs,
    because: because ?? `no audit log: every run reads in full (${policy.setBy.slicesHint} rolls the reads)`,
    missed: [],
    now,
    // A log that refused for now (429, 5xx) still has the events since the last cursor: start there next time.
    ...(stored?.cursor != null && read !== null && !read.ok && !refused ? { keepCursor: stored.cursor } : {}),
    ...(noAuditLog ? { noAuditLog } : {}),
  });
}

type AuditLogRefusal = NonNullable<StoredInventory["noAuditLog"]>;

/** The stored refusal of an owner's audit log while the cadence has not passed since; null when the log is to be asked. */
function knownRefusal(stored: StoredInventory | undefined, policy: RefreshPolicy): AuditLogRefusal | null {
  const refusal = stored?.noAuditLog;
  if (refusal === undefined) return null;
  const since = policy.now() - refusal.since;
  return since >= 0 && since < policy.verifyEveryMs ? refusal : null;
}

/** The reason a run that did not ask the log again gives for its full read. */
function rememberedRefusal(refusal: AuditLogRefusal, policy: RefreshPolicy): string {
  return `${logRefusal(refusal.status)} at ${new Date(refusal.since).toISOString()}; asked again once ${policy.setBy.verifyEvery} has passed since`;
}

/** Why this run must read in full; null when an incremental (or rolling) read is sound. */
function fullReason(
  stored: StoredInventory | undefined,
  actingAs: string | null,
  read: AuditLogRead | null,
  now: number,
  policy: RefreshPolicy,
  provider: ProviderKind,
): string | null {
  if (read !== null && !read.ok) return read.reason === undefined ? logRefusal(read.status) : `the audit log gave ${read.reason}`;
  if (read === null && policy.slices === 0)
    return `no audit log on ${provider}: every run reads in full (${policy.setBy.slicesHint} rolls the reads)`;
  if (stored === undefined) return "no stored cursor (the first run with this cache folder or this resource's state)";
  if (stored.invalidated !== undefined) return stored.invalidated;
  if (stored.actingAs !== actingAs)
    return `the token's owner or app changed (${stored.actingAs ?? "none"} before, ${actingAs ?? "none"} now)`;
  if (now - stored.verifiedAt >= policy.verifyEveryMs)
    return `the last full verification is ${age(now - stored.verifiedAt)} old (${policy.setBy.verifyEvery} ${age(policy.verifyEveryMs)})`;
  if (read === null) return null;
  if (stored.ownerType !== "org" || stored.cursor === null) return "no stored cursor (the last run had no audit log)";
  if (now - stored.cursor > AUDIT_LOG_RETENTION_MS) return "the stored cursor is older than the 180 days the audit log keeps";
  return null;
}

/** The reason a log refusal gives for a full read. */
function logRefusal(status: number): string {
  if (status === 403 || status === 404)
    return `the audit log answered ${status} (not GitHub Enterprise Cloud, or the token may not read it: an org owner's token, or a GitHub App with Organization administration: read)`;
  if (status === 429) return "the audit log answered 429 (its 1,750 queries an hour are spent)";
  return status === 0 ? "the audit log did not answer" : `the audit log answered ${status}`;
}

type Attempt = { ok: true; value: RefreshedOwner } | { ok: false; reason: string; missed: string[] };

/** The audit log's events applied to the stored inventory, the touched repositories (and a slice) read again. */
async function incrementalRead(
  ctx: OperationContext,
  provider: ProviderKind,
  owner: string,
  options: InventoryOptions,
  policy: RefreshPolicy,
  stored: StoredInventory,
  read: Extract<AuditLogRead, { ok: true }>,
): Promise<Attempt> {
  const seen = new Set(stored.seenEvents);
  const events = read.events.filter((e) => !seen.has(e.id));
  const placed = applyAuditEvents(owner, stored.listing, events);
  if (!placed.ok) return { ok: false, reason: placed.reason, missed: [] };
  const change = placed.change;
  const log = ctx.clients.githubAuditLog!;
  // Created or transferred in: what the listing would show of it (gone again since: dropped).
  const described = new Map<string, OwnerRepository | null>();
  for (const name of change.describe) described.set(name.toLowerCase(), await log.repository(name));
  const listing = change.listing.flatMap((r) => {
    const fresh = described.get(r.repository.toLowerCase());
    return fresh === undefined ? [r] : fresh === null ? [] : [fresh];
  });
  const result = await readAndMerge(
    ctx,
    provider,
    owner,
    options,
    policy,
    stored,
    listing,
    new Set(change.reread.map((n) => n.toLowerCase())),
    "incremental",
    read.serverTime,
  );
  if (!result.ok) return result;
  const orgWebhooks = change.orgHooks ? await ownerClient(ctx, provider).listOrgWebhooks(owner) : stored.orgWebhooks;
  const cursor = read.serverTime;
  // The log answered: a refusal remembered from before no longer holds.
  const { noAuditLog: _answered, ...kept } = result.stored;
  const next: StoredInventory = {
    ...kept,
    cursor,
    seenEvents: read.events.filter((e) => e.at >= cursor - policy.overlapMs).map((e) => e.id),
    orgWebhooks,
  };
  policy.store.set(inventoryScope(ctx, provider), owner, next);
  return {
    ok: true,
    value: {
      inventory: result.inventory,
      orgWebhooks,
      refresh: { ...result.refresh, events: change.applied },
    },
  };
}

/** Rolling without a log: the listing, then one slice and the repositories with known build-service artifacts. */
async function rollingRead(
  ctx: OperationContext,
  provider: ProviderKind,
  owner: string,
  options: InventoryOptions,
  policy: RefreshPolicy,
  stored: StoredInventory,
  now: number,
  noAuditLog: StoredInventory["noAuditLog"],
): Promise<RefreshedOwner> {
  const pages = await ownerClient(ctx, provider).repositoryPages(owner);
  if (pages === null)
    return full(ctx, provider, owner, options, policy, {
      read: null,
      actingAs: stored.actingAs,
      because: "the owner's listing answered 404",
      missed: [],
      now,
    });
  const listing: OwnerRepository[] = [];
  for await (const page of pages.pages) listing.push(...page);
  const known = new Set(
    stored.repositories
      .filter((r) => r.webhooks.some((h) => ctx.webhooks.matchesAny(h.url)) || r.deployKeys.some((k) => ctx.deployKeys.matchesAny(k.title)))
      .map((r) => r.repository.toLowerCase()),
  );
  // Without a log a difference is simply what changed (no event was to announce it): a rolling read never refuses.
  const value = (await readAndMerge(ctx, provider, owner, options, policy, stored, listing, known, "rolling", now)) as Extract<
    Merged,
    { ok: true }
  >;
  const orgWebhooks = pages.ownerType === "org" ? await ownerClient(ctx, provider).listOrgWebhooks(owner) : null;
  const { noAuditLog: _before, ...kept } = value.stored;
  policy.store.set(inventoryScope(ctx, provider), owner, {
    ...kept,
    ownerType: pages.ownerType,
    publicOnly: pages.publicOnly === true,
    orgWebhooks,
    ...(noAuditLog ? { noAuditLog } : {}),
  });
  return {
    inventory: { ...value.inventory, ownerType: pages.ownerType, publicOnly: pages.publicOnly === true },
    orgWebhooks,
    refresh: { ...value.refresh, stalenessBoundRuns: stalenessBoundRuns(policy.slices) },
  };
}

type Merged =
  | { ok: true; inventory: OwnerInventory; stored: StoredInventory; refresh: SweepRefresh }
  | { ok: false; reason: string; missed: string[] };

/**
 * Reads the repositories that must be read (`mustRead`, those not stored yet, and this run's slice),
 * compares what a slice re-read with what was stored, and merges: fresh where read, stored elsewhere.
 */
async function readAndMerge(
  ctx: OperationContext,
  provider: ProviderKind,
  owner: string,
  options: InventoryOptions,
  policy: RefreshPolicy,
  stored: StoredInventory,
  listing: OwnerRepository[],
  mustRead: Set<string>,
  mode: "incremental" | "rolling",
  now: number,
): Promise<Merged> {
  const include = options.include ?? (() => true);
  const included = listing.filter((r) => include(r.repository));
  const before = new Map(stored.repositories.map((r) => [r.repository.toLowerCase(), r]));
  const must = (name: string): boolean => mustRead.has(name.toLowerCase()) || !before.has(name.toLowerCase());
  const selection =
    policy.slices > 0
      ? selectRollingSlice({
          repositories: included.map((r) => r.repository),
          slices: policy.slices,
          slice: stored.nextSlice,
          mustRead: must,
        })
      : { read: included.filter((r) => must(r.repository)).map((r) => r.repository), nextSlice: stored.nextSlice };
  const toRead = new Set(selection.read.map((n) => n.toLowerCase()));
  const fresh = await readPage(
    ctx,
    provider,
    included.filter((r) => toRead.has(r.repository.toLowerCase())),
    ctx.concurrency ?? 32,
    options.reads,
  );
  const missed: string[] = [];
  for (const repo of fresh) {
    const old = before.get(repo.repository.toLowerCase());
    if (old === undefined || must(repo.repository)) continue;
    if (fingerprint(old) !== fingerprint(repo))
      missed.push(`${repo.repository}: its webhooks or deploy keys differ from the last verified observation`);
  }
  if (missed.length > 0 && mode === "incremental")
    return {
      ok: false,
      reason: `a difference the audit log's events do not explain (a missed event) on ${missed.length === 1 ? "1 repository" : `${missed.length} repositories`}`,
      missed,
    };
  const byName = new Map(fresh.map((r) => [r.repository.toLowerCase(), r]));
  const repositories: StoredRepository[] = included.map((r) => {
    const read = byName.get(r.repository.toLowerCase());
    if (read) return read;
    const old = before.get(r.repository.toLowerCase())!;
    return { ...old, ...r };
  });
  const inventory: OwnerInventory = {
    provider,
    owner,
    ownerType: stored.ownerType,
    repositories,
    excluded: listing.length - included.length,
    publicOnly: stored.publicOnly,
  };
  return {
    ok: true,
    inventory,
    stored: { ...stored, listing, repositories, nextSlice: selection.nextSlice },
    refresh: {
      mode,
      fullBecause: null,
      events: 0,
      reread: fresh.length,
      lastFullVerification: new Date(stored.verifiedAt).toISOString(),
      lastFullVerificationAgeSeconds: Math.max(0, Math.round((now - stored.verifiedAt) / 1000)),
      missedEvents: missed,
    },
  };
}

/** A full read, stored as the new verified inventory (with the log's cursor when it answered). */
async function full(
  ctx: OperationContext,
  provider: ProviderKind,
  owner: string,
  options: InventoryOptions,
  policy: RefreshPolicy,
  why: {
    read: AuditLogRead | null;
    actingAs: string | null;
    because: string;
    missed: string[];
    now: number;
    keepCursor?: number;
    noAuditLog?: StoredInventory["noAuditLog"];
  },
): Promise<RefreshedOwner> {
  const inventory = await inventoryOwner(ctx, provider, owner, { ...options, keepListing: true });
  const orgWebhooks = inventory.ownerType === "org" ? await ownerClient(ctx, provider).listOrgWebhooks(owner) : null;
  const cursor = why.read?.ok ? why.read.serverTime : (why.keepCursor ?? null);
  if (inventory.ownerType === null) policy.store.delete(inventoryScope(ctx, provider), owner);
  else
    policy.store.set(inventoryScope(ctx, provider), owner, {
      ownerType: inventory.ownerType,
      publicOnly: inventory.publicOnly,
      actingAs: why.actingAs,
      cursor,
      seenEvents: why.read?.ok ? why.read.events.map((e) => e.id) : [],
      verifiedAt: why.now,
      nextSlice: 0,
      listing: inventory.listing ?? [],
      repositories: inventory.repositories,
      orgWebhooks,
      ...(why.noAuditLog ? { noAuditLog: why.noAuditLog } : {}),
    });
  const { listing: _listing, ...rest } = inventory;
  return {
    inventory: rest,
    orgWebhooks,
    refresh: {
      mode: "full",
      fullBecause: why.because,
      events: 0,
      reread: inventory.repositories.length,
      lastFullVerification: new Date(why.now).toISOString(),
      lastFullVerificationAgeSeconds: 0,
      missedEvents: why.missed,
    },
  };
}

/** What is compared to tell a changed repository: its webhooks and deploy keys, by id and what they point at. */
function fingerprint(r: Pick<StoredRepository, "exists" | "webhooks" | "deployKeys">): string {
  const hooks = r.webhooks.map((h) => `${h.id} ${h.url} ${h.active}`).sort();
  const keys = r.deployKeys.map((k) => `${k.id} ${k.title}`).sort();
  return JSON.stringify([r.exists, hooks, keys]);
}

/** `2 h`, `3 d`, `45 min`: how old something is, to the unit that reads best. */
export function age(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} d`;
}
