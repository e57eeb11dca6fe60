/**
 * The GitHub orgs a run observes beyond the declared ones: the owners of a live link's repositories that
 * no `orgAccess` entry declares (`check --live` and `report` read their access too).
 */
import type { ObservedOrgAccess } from "../../model/observed.js";
import type { SourcelinksConfig } from "../../model/spec.js";
import type { OperationContext } from "../context.js";
import { settleAll } from "../map-limit.js";
import { observeOrgAccess } from "../observe-org-access.js";
import { RESOURCE_CONCURRENCY } from "./concurrency.js";

/**
 * The GitHub orgs that own a repository of a declared linked or disabled link but that no `orgAccess`
 * entry declares (lower-case logins, sorted): an org owner may have denied the app there, which
 * breaks the link's builds whether or not the config mentions the org.
 */
export function undeclaredOrgs(config: SourcelinksConfig): string[] {
  const declared = new Set(config.orgAccess.map((o) => o.org.toLowerCase()));
  const owners = config.links
    .filter((l) => l.provider === "github" && l.state !== "revoked")
    .flatMap((l) => l.repositories.map((r) => r.split("/")[0]!.toLowerCase()));
  return [...new Set(owners)].filter((o) => !declared.has(o)).sort();
}

/** What observing the undeclared orgs came to: each org's access, and each org that could not be observed. */
export interface UndeclaredOrgsObservation {
  observed: Map<string, ObservedOrgAccess>;
  failures: { org: string; error: unknown }[];
}

/** Observes the access of every undeclared org (see `undeclaredOrgs`); all run to the end even when some fail. */
export async function observeUndeclaredOrgs(
  config: SourcelinksConfig,
  ctx: OperationContext,
  onObserving?: (org: string) => void,
): Promise<UndeclaredOrgsObservation> {
  const orgs = undeclaredOrgs(config);
  const results = await settleAll(orgs, RESOURCE_CONCURRENCY, async (org) => {
    onObserving?.(org);
    return observeOrgAccess(ctx, { org, provider: "github", app: "github", access: "granted" }, config.links);
  });
  const out: UndeclaredOrgsObservation = { observed: new Map(), failures: [] };
  results.forEach((result, i) => {
    if (result.status === "fulfilled") out.observed.set(orgs[i]!, result.value);
    else out.failures.push({ org: orgs[i]!, error: result.reason });
  });
  return out;
}
