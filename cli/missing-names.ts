/**
 * Names in the config that the live world does not have, found before any write: a repository of a
 * linked or disabled link that its provider answers 404 for (a typo, or a repository the token cannot
 * see; its owner is looked up too, so the line says when the user or org itself does not exist), and
 * the account a link would be created or relinked with. Applying would fail halfway or build nothing,
 * and re-running cannot help, so `plan` and `apply` refuse the run (exit 2), one line per name. A
 * revoked link's vanished repository only has nothing left to clean up, so it is not refused.
 */
import { formatLocation } from "./location.js";
import { locateNearest } from "./load-config.js";
import type { LoadedConfig } from "../engine/config/loaded-config.js";
import type { ProviderKind } from "../engine/model/spec.js";
import type { PlanRun } from "../engine/reconcile/run/entries.js";

/** Whether a provider's user or org login exists; null when the provider cannot tell (not checked). */
export type AccountLookup = (provider: ProviderKind, login: string) => Promise<boolean | null>;

/** One `FILE:LINE:COL: message` line per missing name (empty when every name exists). */
export async function missingNames(loaded: LoadedConfig, run: PlanRun, accountExists: AccountLookup): Promise<string[]> {
  const lines: string[] = [];
  for (const entry of run.links) {
    const { spec } = entry;
    // Only links whose plan creates or relinks a link: a refresh of the others costs no lookup.
    const accounts = new Set(entry.plan.steps.flatMap((s) => (s.kind === "link" ? [s.account] : [])));
    for (const account of accounts) {
      if ((await accountExists(spec.provider, account)) !== false) continue;
      const at = formatLocation(locateNearest(loaded, account === spec.account ? `${entry.pointer}/account` : entry.pointer));
      lines.push(`${at}: link ${spec.name}: ${spec.provider} account ${account} does not exist: fix the name; nothing was sent`);
    }
    if (spec.state === "revoked") continue;
    for (const repo of entry.observed.repositories) {
      if (repo.exists) continue;
      const k = spec.repositories.findIndex((r) => r.toLowerCase() === repo.repository.toLowerCase());
      const at = formatLocation(locateNearest(loaded, k < 0 ? entry.pointer : `${entry.pointer}/repositories/${k}`));
      const owner = repo.repository.split("/")[0] ?? "";
      const ownerGone = owner !== "" && (await accountExists(spec.provider, owner)) === false;
      lines.push(
        ownerGone
          ? `${at}: link ${spec.name}: ${spec.provider} repository ${repo.repository} does not exist: its owner ${owner} (user or org) does not exist; fix the name; nothing was sent`
          : `${at}: link ${spec.name}: ${spec.provider} repository ${repo.repository} does not exist (or the token cannot see it): ` +
              `fix the name, or give the token access; nothing was sent`,
      );
    }
  }
  return lines;
}

/** The lookup of the run's provider clients: a provider without `accountExists` answers null. */
export function clientAccountLookup(
  providers: Partial<Record<ProviderKind, { accountExists?(login: string): Promise<boolean> }>>,
): AccountLookup {
  return async (provider, login) => {
    const client = providers[provider];
    return client?.accountExists ? client.accountExists(login) : null;
  };
}
