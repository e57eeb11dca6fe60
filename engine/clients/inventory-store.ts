/**
 * The last verified inventory of each swept owner, with the audit log cursor read after it, kept in a
 * JSON file beside the ETag cache (`inventories.json`), so the next run can read only what changed.
 * Holds what the ETag cache holds (listings of webhooks and deploy keys), never a credential: the
 * acting identity is a login or an app id. Written atomically (temp file + rename), mode 0600.
 */
import { dirname, join } from "node:path";
import { type KeyedEntries, KeyedStateFile, MemoryEntries } from "./state-file.js";
import type { ObservedDeployKey, ObservedWebhook } from "../model/observed.js";
import type { OwnerPages, OwnerRepository } from "./types.js";

/** One repository as last verified: its listing fields and everything on it. */
export interface StoredRepository extends OwnerRepository {
  exists: boolean;
  webhooks: ObservedWebhook[];
  deployKeys: ObservedDeployKey[];
}

/** An owner's last verified inventory and where its audit log was read up to. */
export interface StoredInventory {
  ownerType: OwnerPages["ownerType"];
  publicOnly: boolean;
  /** Who the requests acted as (`app:ID/installation:ID`, `user:LOGIN`); null where the provider has no such notion (Bitbucket). */
  actingAs: string | null;
  /** The audit log's server time when it was last read: the next read starts there (less an overlap); null without a log. */
  cursor: number | null;
  /** Ids of events read at or after `cursor` less the overlap, so the overlap does not re-read them. */
  seenEvents: string[];
  /** When the last full verification started (epoch ms, the server's time where known). */
  verifiedAt: number;
  /** The rolling slice the next run verifies. */
  nextSlice: number;
  /** Every repository of the owner, excluded ones too. */
  listing: OwnerRepository[];
  /** The repositories read (those the sweep includes). */
  repositories: StoredRepository[];
  /** The org's own webhooks; null for other owners. */
  orgWebhooks: ObservedWebhook[] | null;
  /** Why the next run must read in full although the log may say nothing yet (an apply wrote to the owner). */
  invalidated?: string;
  /**
   * The audit log refused this owner (403 or 404: not Enterprise Cloud, or no permission) at `since`
   * (epoch ms): runs ask it again only once the verification cadence has passed since then.
   */
  noAuditLog?: { status: number; since: number };
}

/** Where refreshes keep each owner's last verified inventory: a file for the CLI, a resource's outputs for Pulumi. */
export interface InventoryRecords {
  /** The stored inventory of an owner; `scope`: its provider and the API it was read from (refresh-owner.ts `inventoryScope`). */
  get(scope: string, owner: string): StoredInventory | undefined;
  /** Replaces an owner's stored inventory. */
  set(scope: string, owner: string, inventory: StoredInventory): void;
  /** Makes an owner's next refresh a full read, saying why. */
  invalidate(scope: string, owner: string, reason: string): void;
  /** Forgets an owner (its next refresh reads in full). */
  delete(scope: string, owner: string): void;
  /** Persists what changed, where the records persist at all. */
  save(): Promise<void>;
}

/** The largest file read, as for the ETag cache. */
const MAX_BYTES = 128 * 1024 * 1024;

/** Where the inventories are kept: beside the ETag cache file. */
export function inventoryStorePath(etagCacheFile: string): string {
  return join(dirname(etagCacheFile), "inventories.json");
}

/** The inventories of one file, loaded on first use; a file that cannot be read is treated as empty (a full read then). */
export class InventoryStore implements InventoryRecords {
  readonly #owners: KeyedEntries<StoredInventory>;

  /** `file`: where the inventories are kept; null keeps them in memory only (see memory-inventories.ts). */
  constructor(readonly file: string | null) {
    this.#owners =
      file === null
        ? new MemoryEntries()
        : new KeyedStateFile(file, { field: "owners", what: "stored inventories", maxBytes: MAX_BYTES, isEntry: isStored });
  }

  /** Why the file could not be used, once loaded; null when it could (or did not exist yet). */
  get problem(): string | null {
    return this.#owners.problem;
  }

  /** The stored inventory of an owner; `scope`: its provider and the API it was read from (refresh-owner.ts `inventoryScope`). */
  get(scope: string, owner: string): StoredInventory | undefined {
    return this.#owners.get(key(scope, owner));
  }

  /** Replaces an owner's stored inventory (kept in memory until `save`). */
  set(scope: string, owner: string, inventory: StoredInventory): void {
    this.#owners.set(key(scope, owner), inventory);
  }

  /** Makes an owner's next refresh a full read, saying why (its stored inventory is kept for nothing else). */
  invalidate(scope: string, owner: string, reason: string): void {
    const stored = this.get(scope, owner);
    if (stored === undefined) return;
    this.set(scope, owner, { ...stored, invalidated: reason });
  }

  /** Forgets an owner (its next refresh reads in full). */
  delete(scope: string, owner: string): void {
    this.#owners.delete(key(scope, owner));
  }

  /** Writes the file atomically when something changed. */
  async save(): Promise<void> {
    await this.#owners.save();
  }
}

function key(scope: string, owner: string): string {
  return `${scope}:${owner.toLowerCase()}`;
}

/** A structural check, enough to refuse a file that is not ours. */
function isStored(value: unknown): value is StoredInventory {
  const v = value as Partial<StoredInventory> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    Array.isArray(v.listing) &&
    Array.isArray(v.repositories) &&
    Array.isArray(v.seenEvents) &&
    typeof v.verifiedAt === "number" &&
    typeof v.nextSlice === "number"
  );
}
