/** How a verification carried over from an earlier run reads in every text format: when it was made, and what this run checked. */
import type { CarriedOver } from "../../engine/model/replacement.js";

/** `verified at 2026-12-07T22:00:00.000Z, unchanged since (head 0123456789ab of main; carried over, its run and tags not read again)`. */
export function carriedOverText(carried: CarriedOver): string {
  return `verified at ${carried.verifiedAt}, unchanged since (head ${carried.headSha.slice(0, 12)} of ${carried.branch}; carried over, its run and tags not read again)`;
}
