/**
 * Which build-service records a declared link refers to (docs/identity-and-sharing.md): a team link is identified by
 * (namespace, provider, team), any other link by (namespace, provider, account, no team). Pure.
 */
import type { LinkSpec, LinkState } from "../model/spec.js";
import type { BuildServiceLinkWire } from "../clients/types.js";

/** Whether a record is live on the build service (not `unlinked`). */
export function isLive(record: BuildServiceLinkWire): boolean {
  return record.state !== "unlinked";
}

/** The declared-state vocabulary for a record's wire state. */
export function liveStateOf(record: BuildServiceLinkWire): LinkState {
  if (record.state === "enabled") return "linked";
  if (record.state === "disabled") return "disabled";
  return "revoked";
}

/** Whether a record carries the identity of `spec`. */
export function sameIdentity(spec: LinkSpec, record: BuildServiceLinkWire): boolean {
  if (record.namespace !== spec.namespace || record.provider !== spec.provider) return false;
  if (spec.team !== undefined) return record.team === spec.team;
  return record.team === null && record.account === spec.account;
}

/** The records of one identity, split into the one that represents the link and one per other account. */
export interface IdentityRecords {
  /** Live with the declared account, else live with any account, else the latest unlinked one (declared account first). */
  primary: BuildServiceLinkWire | null;
  /** For each other account of the identity, its representative record (live first, then the latest). */
  others: BuildServiceLinkWire[];
  /** Every record of the identity, to exclude from shared-grant and coverage checks. */
  all: BuildServiceLinkWire[];
}

/** Groups the namespace's records that belong to `spec`. */
export function identityRecords(spec: LinkSpec, records: readonly BuildServiceLinkWire[]): IdentityRecords {
  const all = records.filter((r) => sameIdentity(spec, r));
  const primary = pickRepresentative(all, spec.account);
  const byAccount = new Map<string, BuildServiceLinkWire[]>();
  for (const r of all) {
    if (primary && r.account === primary.account) continue;
    byAccount.set(r.account, [...(byAccount.get(r.account) ?? []), r]);
  }
  const others = [...byAccount.values()]
    .map((group) => pickRepresentative(group, null))
    .filter((r): r is BuildServiceLinkWire => r !== null);
  return { primary, others, all };
}

/** Live before unlinked, `preferredAccount` before others, then the most recently updated. */
function pickRepresentative(records: readonly BuildServiceLinkWire[], preferredAccount: string | null): BuildServiceLinkWire | null {
  let best: BuildServiceLinkWire | null = null;
  for (const r of records) {
    if (best === null || better(r, best, preferredAccount)) best = r;
  }
  return best;
}

function better(a: BuildServiceLinkWire, b: BuildServiceLinkWire, preferredAccount: string | null): boolean {
  if (isLive(a) !== isLive(b)) return isLive(a);
  const aPreferred = a.account === preferredAccount;
  if (aPreferred !== (b.account === preferredAccount)) return aPreferred;
  // ISO 8601 timestamps of one service order as strings.
  return a.updated_at > b.updated_at;
}
