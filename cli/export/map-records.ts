/**
 * What `export` writes for what it observed (pure): a build-service link record as a declared link,
 * an org's observed access as an `orgAccess` entry, the providers the exported file needs, and one
 * sweep per owner the links build from.
 */
import { defaultSweepName } from "../../engine/config/merge.js";
import type { LinkRecord } from "../../engine/model/link-record.js";
import type { ObservedOrgAccess } from "../../engine/model/observed.js";
import type { LinkSpec, OrgAccessSpec, ProvidersSpec, SweepSpec } from "../../engine/model/spec.js";

/** A live record of `namespace` declared as it is: its repositories once each, deleting its artifacts on revocation. */
export function linkSpecOf(record: LinkRecord, namespace: string, name: string, repositories: readonly string[]): LinkSpec {
  return {
    name,
    namespace,
    ...(record.team !== null ? { team: record.team } : {}),
    provider: record.provider,
    account: record.account,
    // Written as the build service records it: a team linked through a person is a policy
    // violation of the live world (team-link-uses-service-account), not a malformed file.
    serviceAccount: record.serviceAccount,
    state: record.state === "disabled" ? "disabled" : "linked",
    repositories: [...new Set(repositories)],
    onRevoke: { webhooks: "delete", deployKeys: "delete" },
  };
}

/** The note for a team linked through an account the build service records as a person's; null otherwise. */
export function teamThroughPersonNote(record: LinkRecord, name: string): string | null {
  if (record.team === null || record.serviceAccount) return null;
  return `link ${name}: team ${record.team} is linked through ${record.account}, which the build service records as a person's account; set account to a service account, serviceAccount: true, and run apply to relink (check reports it).`;
}

/** An org's decided access as an entry, or the note saying it is undecided. */
export function orgAccessOf(org: string, observed: ObservedOrgAccess): { entry: OrgAccessSpec } | { note: string } {
  if (observed.access === "granted" || observed.access === "denied")
    return { entry: { org, provider: "github", app: "github", access: observed.access } };
  return {
    note: `org ${org}: third-party access is ${observed.access} (observed via ${observed.observedVia}); declare orgAccess for it once decided.`,
  };
}

/**
 * The providers the exported file declares: those of the given config when there is one, else the
 * ones the exported links and org access entries use.
 */
export function exportedProviders(
  base: ProvidersSpec,
  links: readonly LinkSpec[],
  orgAccess: readonly OrgAccessSpec[],
  fromConfig: boolean,
): ProvidersSpec {
  const providers: ProvidersSpec = {};
  const used = new Set(links.map((l) => l.provider));
  if ((fromConfig || used.has("github") || orgAccess.length > 0) && base.github) providers.github = base.github;
  if ((fromConfig || used.has("bitbucket")) && base.bitbucket) providers.bitbucket = base.bitbucket;
  return providers;
}

/** One sweep per (provider, owner) of the links' repositories, in first-seen order, owners case-insensitively once. */
export function sweptOwners(links: readonly LinkSpec[]): SweepSpec[] {
  const seen = new Map<string, SweepSpec>();
  for (const link of links) {
    for (const repository of link.repositories) {
      const owner = repository.split("/")[0]!;
      const key = `${link.provider}\u0000${owner.toLowerCase()}`;
      if (!seen.has(key)) seen.set(key, { name: defaultSweepName(link.provider, owner), provider: link.provider, owner, exclude: [] });
    }
  }
  return [...seen.values()];
}

/** The note that says what the sweeps of an export will do. */
export const SWEEPS_NOTE =
  "sweeps: one per owner the links build from; plan on this file shows the deletion of every build-service artifact there that no live link covers.";
