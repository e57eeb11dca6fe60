/**
 * `--verify-every` and `--verify-slices`: how a run may reuse what an earlier run verified of each
 * swept owner (engine/reconcile/refresh-owner.ts), over each sweep's declared `verifyEvery` and
 * `verifySlices` for this run (engine/reconcile/sweep-cadence.ts); `--verify-every` also bounds how long a
 * verified replacement build is carried over (engine/reconcile/carried-verifications.ts). The stored
 * inventories live beside the ETag cache, so without a cache file (`SOURCELINKS_ETAG_CACHE=off`) every sweep reads in full.
 */
import { lstatSync } from "node:fs";
import type { Command } from "commander";
import { InventoryStore, inventoryStorePath } from "../engine/clients/inventory-store.js";
import { parseDuration } from "../engine/model/duration.js";
import { DEFAULT_REFRESH } from "../engine/reconcile/refresh-owner.js";
import { DECLARED_CADENCE, type RunRefresh } from "../engine/reconcile/sweep-cadence.js";
import { CliError, ExitCode } from "./exit-codes.js";

/** The options as commander hands them over; absent when not given (each sweep's own cadence then holds). */
export interface RefreshOptions {
  verifyEvery?: string;
  verifySlices?: string;
}

/** Adds the two options to a command that observes the live world. */
export function addRefreshOptions(command: Command): Command {
  return command
    .option(
      "--verify-every <duration>",
      "a full verification of each swept owner, and of each replacement build, when the last is older than this (e.g. 24h, 90m, 7d; default: each sweep's verifyEvery, else 24h; builds: 24h); between two, an Enterprise Cloud org is refreshed from its audit log and a verified build whose branches have not moved is carried over",
    )
    .option(
      "--verify-slices <n>",
      "also re-read 1/N of each swept owner's repositories every run (with no audit log: roll the reads, re-reading those with build-service artifacts every run); default: each sweep's verifySlices",
    );
}

/**
 * The refresh settings of a run; null when there is no cache folder to keep inventories in. A flag
 * given overrides every sweep's declared value for this run, and reasons then name the flag. Bad values are exit 2.
 */
export function refreshPolicy(options: RefreshOptions, etagCacheFile: string | undefined): RunRefresh | null {
  const overrides: NonNullable<RunRefresh["overrides"]> = {};
  if (options.verifyEvery !== undefined) {
    const ms = parseDuration(options.verifyEvery);
    if (ms === null)
      throw new CliError(
        ExitCode.invalidInput,
        `sourcelinks: --verify-every ${options.verifyEvery}: not a duration (a whole number and s, m, h or d, e.g. 24h)`,
      );
    overrides.verifyEvery = { value: ms, name: "--verify-every" };
  }
  if (options.verifySlices !== undefined) {
    if (!/^\d{1,6}$/.test(options.verifySlices) || Number(options.verifySlices) < 1)
      throw new CliError(ExitCode.invalidInput, `sourcelinks: --verify-slices ${options.verifySlices}: not a whole number of at least 1`);
    overrides.slices = { value: Number(options.verifySlices), name: "--verify-slices" };
  }
  if (etagCacheFile === undefined || !usableCachePath(etagCacheFile)) return null;
  return {
    store: new InventoryStore(inventoryStorePath(etagCacheFile)),
    overlapMs: DEFAULT_REFRESH.overlapMs,
    now: Date.now,
    overrides,
    // A CLI user may set either.
    slicesHint: `${DECLARED_CADENCE.slicesHint} or --verify-slices N`,
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
