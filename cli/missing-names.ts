/**
 * Names in the config that the live world does not have, found before any write: a repository of a
 * linked or disabled link that its provider answers 404 for (a typo, or a repository the token cannot
 * see). Applying would fail halfway or build nothing, and re-running cannot help, so `plan` and
 * `apply` refuse the run (exit 2), one line per name. A revoked link's vanished repository only has
 * nothing left to clean up, so it is not refused.
 */
import { formatLocation } from "./location.js";
import { locateNearest } from "./load-config.js";
import type { LoadedConfig } from "../config/types.js";
import type { PlanRun } from "./run.js";

/** One `FILE:LINE:COL: message` line per missing name (empty when every name exists). */
export function missingNames(loaded: LoadedConfig, run: PlanRun): string[] {
  const lines: string[] = [];
  for (const entry of run.links) {
    if (entry.spec.state === "revoked") continue;
    for (const repo of entry.observed.repositories) {
      if (repo.exists) continue;
      const k = entry.spec.repositories.findIndex((r) => r.toLowerCase() === repo.repository.toLowerCase());
      const at = formatLocation(locateNearest(loaded, k < 0 ? entry.pointer : `${entry.pointer}/repositories/${k}`));
      lines.push(
        `${at}: link ${entry.spec.name}: ${entry.spec.provider} repository ${repo.repository} does not exist (or the token cannot see it): ` +
          `fix the name, or give the token access; nothing was sent`,
      );
    }
  }
  return lines;
}
