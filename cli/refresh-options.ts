/**
 * `--verify-every` and `--verify-slices`: how a run may reuse what an earlier run verified of each
 * swept owner (engine/reconcile/refresh-owner.ts) and, for `--verify-every`, of each replacement build
 * (engine/reconcile/carried-verifications.ts). The stored inventories live beside the ETag cache,
 * so without a cache file (`SOURCELINKS_ETAG_CACHE=off`) every sweep reads in full.
 */
import { lstatSync } from "node:fs";
import type { Command } from "commander";
import { InventoryStore, inventoryStorePath } from "../engine/clients/inventory-store.js";
import { DEFAULT_REFRESH, type RefreshPolicy } from "../engine/reconcile/refresh-owner.js";
import { CliError, ExitCode } from "./exit-codes.js";

/** The options as commander hands them over. */
export interface RefreshOptions {
  verifyEvery?: string;
  verifySlices?: string;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a duration such as `24h`, `90m`, `7d`, `3600s`; null when it is not one. */
export function parseDuration(text: string): number | null {
  const m = /^(\d{1,9})(s|m|min|h|d)$/.exec(text.trim());
  if (!m) return null;
  const ms = Number(m[1]) * UNITS[m[2]!]!;
  return ms > 0 ? ms : null;
}

/** Adds the two options to a command that observes the live world. */
export function addRefreshOptions(command: Command): Command {
  return command
    .option(
      "--verify-every <duration>",
      "a full verification of each swept owner, and of each replacement build, when the last is older than this (e.g. 24h, 90m, 7d); between two, an Enterprise Cloud org is refreshed from its audit log and a verified build whose default branch has not moved is carried over",
      "24h",
    )
    .option(
      "--verify-slices <n>",
      "also re-read 1/N of each swept owner's repositories every run (with no audit log: roll the reads, re-reading those with build-service artifacts every run)",
    );
}

/** The refresh policy of a run; null when there is no cache folder to keep inventories in. Bad values are exit 2. */
export function refreshPolicy(options: RefreshOptions, etagCacheFile: string | undefined): RefreshPolicy | null {
  const verifyEveryMs = options.verifyEvery === undefined ? DEFAULT_REFRESH.verifyEveryMs : parseDuration(options.verifyEvery);
  if (verifyEveryMs === null)
    throw new CliError(
      ExitCode.invalidInput,
      `sourcelinks: --verify-every ${options.verifyEvery}: not a duration (a whole number and s, m, h or d, e.g. 24h)`,
    );
  let slices: number = DEFAULT_REFRESH.slices;
  if (options.verifySlices !== undefined) {
    if (!/^\d{1,6}$/.test(options.verifySlices) || Number(options.verifySlices) < 1)
      throw new CliError(ExitCode.invalidInput, `sourcelinks: --verify-slices ${options.verifySlices}: not a whole number of at least 1`);
    slices = Number(options.verifySlices);
  }
  if (etagCacheFile === undefined || !usableCachePath(etagCacheFile)) return null;
  return {
    store: new InventoryStore(inventoryStorePath(etagCacheFile)),
    verifyEveryMs,
    slices,
    overlapMs: DEFAULT_REFRESH.overlapMs,
    now: Date.now,
  };
}

/**
 * Whether the ETag cache's path can be a cache file: absent yet, or a regular file. A device or a
 * symbolic link is refused by the ETag cache with a warning; its folder (`/dev`, or wherever the link
 * points from) is no place for inventories either.
 */
function usableCachePath(file: string): boolean {
  try {
    return lstatSync(file).isFile();
  } catch {
    return true;
  }
}
