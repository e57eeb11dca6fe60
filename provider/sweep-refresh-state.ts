/**
 * What an `OrphanSweep` keeps in its outputs so the next `pulumi refresh` or `pulumi up` reads only
 * what changed (engine/reconcile/refresh-owner.ts): the audit log cursor, when the last full
 * verification started, who the requests acted as, and the last verified inventory, compacted to
 * what a refresh reuses (each repository's listing fields, its webhooks' id, URL and active flag,
 * its deploy keys' id and title). Pure conversions; the inventory part goes into state as a secret
 * (sweep-methods.ts), since a webhook URL may carry a capability and repository names may be private.
 */
import type { StoredInventory, StoredRepository } from "../engine/clients/inventory-store.js";
import type { OwnerRepository } from "../engine/clients/types.js";
import type { ObservedDeployKey, ObservedWebhook } from "../engine/model/observed.js";

/** A webhook as kept: `[id, url, active]`. */
export type KeptHook = [id: string, url: string, active: boolean];
/** A deploy key as kept: `[id, title, readOnly]`. */
export type KeptKey = [id: string, title: string, readOnly: boolean];

/** One repository of the owner's listing, in listing order; `excluded` ones were listed, not read. */
export interface KeptRepository {
  name: string;
  id: string;
  archived?: true;
  private?: true;
  /** Listed but left out by the sweep's `exclude`: nothing on it was read. */
  excluded?: true;
  /** Gone between the listing and its reads. */
  gone?: true;
  hooks?: KeptHook[];
  keys?: KeptKey[];
}

/** The inventory part of the state: what is a secret in state. */
export interface KeptInventory {
  repositories: KeptRepository[];
  /** The org's own webhooks; null for a user or workspace. */
  orgWebhooks: KeptHook[] | null;
}

/** The `refreshState` output of an `OrphanSweep`. */
export interface SweepRefreshState {
  /** The provider and API the inventory was read from: state read from another server is not reused. */
  scope: string;
  ownerType: StoredInventory["ownerType"];
  publicOnly: boolean;
  actingAs: string | null;
  /** The audit log's server time when it was last read (ISO 8601); null without a log. */
  cursor: string | null;
  /** When the last full verification started (ISO 8601). */
  verifiedAt: string;
  seenEvents: string[];
  nextSlice: number;
  invalidated?: string;
  /** The audit log refused (403/404) at `since` (ISO 8601): not asked again before the cadence has passed. */
  noAuditLog?: { status: number; since: string };
  inventory: KeptInventory;
}

/**
 * The state to keep of a stored inventory read under `scope`. Without a cursor (no audit log) only
 * rolling slices reuse the repositories: they are kept then only when the sweep declares `verifySlices` (`rolling`).
 */
export function refreshStateOf(scope: string, stored: StoredInventory, rolling: boolean): SweepRefreshState {
  const read = new Map(stored.repositories.map((r) => [r.repository.toLowerCase(), r]));
  const reusable = stored.cursor !== null || rolling;
  return {
    scope,
    ownerType: stored.ownerType,
    publicOnly: stored.publicOnly,
    actingAs: stored.actingAs,
    cursor: stored.cursor === null ? null : iso(stored.cursor),
    verifiedAt: iso(stored.verifiedAt),
    seenEvents: [...stored.seenEvents],
    nextSlice: stored.nextSlice,
    ...(stored.invalidated === undefined ? {} : { invalidated: stored.invalidated }),
    ...(stored.noAuditLog === undefined ? {} : { noAuditLog: { status: stored.noAuditLog.status, since: iso(stored.noAuditLog.since) } }),
    inventory: {
      repositories: reusable ? stored.listing.map((entry) => keptRepository(entry, read.get(entry.repository.toLowerCase()))) : [],
      orgWebhooks: reusable && stored.orgWebhooks !== null ? stored.orgWebhooks.map(keptHook) : null,
    },
  };
}

/**
 * The stored inventory a state holds, and the scope it was read under; null when `state` is not one
 * (absent, or written by another version): the next refresh then reads in full.
 */
export function storedInventoryOf(state: unknown): { scope: string; stored: StoredInventory } | null {
  if (!isState(state)) return null;
  const listing: OwnerRepository[] = [];
  const repositories: StoredRepository[] = [];
  for (const r of state.inventory.repositories) {
    const entry: OwnerRepository = { repository: r.name, id: r.id, archived: r.archived === true, private: r.private === true };
    listing.push(entry);
    if (r.excluded !== true)
      repositories.push({
        ...entry,
        exists: r.gone !== true,
        webhooks: (r.hooks ?? []).map(observedHook),
        deployKeys: (r.keys ?? []).map(observedKey),
      });
  }
  const cursor = state.cursor === null ? null : Date.parse(state.cursor);
  const verifiedAt = Date.parse(state.verifiedAt);
  const since = state.noAuditLog === undefined ? null : Date.parse(state.noAuditLog.since);
  if (Number.isNaN(cursor) || Number.isNaN(verifiedAt) || Number.isNaN(since)) return null;
  return {
    scope: state.scope,
    stored: {
      ownerType: state.ownerType,
      publicOnly: state.publicOnly,
      actingAs: state.actingAs,
      cursor,
      seenEvents: [...state.seenEvents],
      verifiedAt,
      nextSlice: state.nextSlice,
      listing,
      repositories,
      orgWebhooks: state.inventory.orgWebhooks === null ? null : state.inventory.orgWebhooks.map(observedHook),
      ...(state.invalidated === undefined ? {} : { invalidated: state.invalidated }),
      ...(state.noAuditLog === undefined || since === null ? {} : { noAuditLog: { status: state.noAuditLog.status, since } }),
    },
  };
}

function keptRepository(entry: OwnerRepository, read: StoredRepository | undefined): KeptRepository {
  return {
    name: entry.repository,
    id: entry.id,
    ...(entry.archived ? { archived: true as const } : {}),
    ...(entry.private ? { private: true as const } : {}),
    ...(read === undefined ? { excluded: true as const } : {}),
    ...(read !== undefined && !read.exists ? { gone: true as const } : {}),
    ...(read !== undefined && read.webhooks.length > 0 ? { hooks: read.webhooks.map(keptHook) } : {}),
    ...(read !== undefined && read.deployKeys.length > 0 ? { keys: read.deployKeys.map((k): KeptKey => [k.id, k.title, k.readOnly]) } : {}),
  };
}

function keptHook(h: ObservedWebhook): KeptHook {
  return [h.id, h.url, h.active];
}

/** A kept webhook as a sweep reads it; what no sweep reads (events, secret, last delivery) was not kept. */
function observedHook([id, url, active]: KeptHook): ObservedWebhook {
  return { id, url, active, events: [], hasSecret: false, insecureSsl: false, lastResponse: null };
}

function observedKey([id, title, readOnly]: KeptKey): ObservedDeployKey {
  return { id, title, readOnly };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A structural check of state written by this version. */
function isState(value: unknown): value is SweepRefreshState {
  const v = value as Partial<SweepRefreshState> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.scope === "string" &&
    typeof v.verifiedAt === "string" &&
    (v.cursor === null || typeof v.cursor === "string") &&
    Array.isArray(v.seenEvents) &&
    typeof v.nextSlice === "number" &&
    typeof v.inventory === "object" &&
    v.inventory !== null &&
    Array.isArray(v.inventory.repositories) &&
    (v.inventory.orgWebhooks === null || Array.isArray(v.inventory.orgWebhooks))
  );
}
