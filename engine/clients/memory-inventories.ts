/**
 * Stored inventories held in memory only, for a caller that persists them itself: the Pulumi
 * provider seeds them from a resource's last outputs and writes what a refresh stored back into
 * the new outputs (provider/sweep-refresh-state.ts).
 */
import type { InventoryRecords, StoredInventory } from "./inventory-store.js";

/** Inventories keyed by scope and owner, as `InventoryStore` keys them, without a file. */
export class MemoryInventories implements InventoryRecords {
  readonly #owners = new Map<string, StoredInventory>();

  get(scope: string, owner: string): StoredInventory | undefined {
    return this.#owners.get(key(scope, owner));
  }

  set(scope: string, owner: string, inventory: StoredInventory): void {
    this.#owners.set(key(scope, owner), inventory);
  }

  invalidate(scope: string, owner: string, reason: string): void {
    const stored = this.get(scope, owner);
    if (stored !== undefined) this.set(scope, owner, { ...stored, invalidated: reason });
  }

  delete(scope: string, owner: string): void {
    this.#owners.delete(key(scope, owner));
  }

  /** Nothing to write: the caller reads the records back with `get`. */
  async save(): Promise<void> {}
}

function key(scope: string, owner: string): string {
  return `${scope}:${owner.toLowerCase()}`;
}
