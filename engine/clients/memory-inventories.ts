/**
 * Stored inventories held in memory only, for a caller that persists them itself: the Pulumi
 * provider seeds them from a resource's last outputs and writes what a refresh stored back into
 * the new outputs (provider/sweep-refresh-state.ts).
 */
import { InventoryStore } from "./inventory-store.js";

/** Inventories keyed by scope and owner, as `InventoryStore` keys them, without a file. */
export class MemoryInventories extends InventoryStore {
  constructor() {
    super(null);
  }
}
