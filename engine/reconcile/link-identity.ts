/**
 * Which build-service records a declared link refers to (docs/identity-and-sharing.md): a team link is identified by
 * (namespace, provider, team), any other link by (namespace, provider, account, no team). Pure.
 */
import type { LinkRecord } from "../model/link-record.js";
import { isLive } from "../model/observed.js";
import type { LinkSpec } from "../model/spec.js";

/** Whether a record carries the identity of `spec`. */
export function sameIdentity(spec: LinkSpec, record: LinkRecord): boolean {
  if (record.namespace !== spec.namespace || record.provider !== spec.provider) return false;
  if (spec.team !== undefined) return record.team === spec.team;
  return record.team === null && record.account === spec.account;
}

/** The records of one identity, split into the one that represents the link and one per other account. */
export interface IdentityRecords {
  /** Live with the declared account, else live with any account, else the latest unlinked one (declared account first). */
  primary: LinkRecord | null;
  /** For each other account of the identity, its representative record (live first, then the latest). */
  others: LinkRecord[];
  /** Every record of the identity, to exclude from shared-grant and coverage checks. */
  all: LinkRecord[];
}

/** Groups the namespace's records that belong to `spec`. */
export function identityRecords(spec: LinkSpec, records: readonly LinkRecord[]): IdentityRecords {
  const all = records.filter((r) => sameIdentity(spec, r));
  const primary = pickRepresentative(all, spec.account);
  const byAccount = new Map<string, LinkRecord[]>();
  for (const r of all) {
    if (primary && r.account === primary.account) continue;
    byAccount.set(r.account, [...(byAccount.get(r.account) ?? []), r]);
  }
  const others = [...byAccount.values()].map((group) => pickRepresentative(group, null)).filter((r): r is LinkRecord => r !== null);
  return { primary, others, all };
}

/** Live before unlinked, `preferredAccount` before others, then the most recently updated. */
function pickRepresentative(records: readonly LinkRecord[], preferredAccount: string | null): LinkRecord | null {
  let best: LinkRecord | null = null;
  for (const r of records) {
    if (best === null || better(r, best, preferredAccount)) best = r;
  }
  return best;
}

function better(a: LinkRecord, b: LinkRecord, preferredAccount: string | null): boolean {
  if (isLive(a.state) !== isLive(b.state)) return isLive(a.state);
  const aPreferred = a.account === preferredAccount;
  if (aPreferred !== (b.account === preferredAccount)) return aPreferred;
  // ISO 8601 timestamps of one service order as strings.
  return a.updatedAt > b.updatedAt;
}

/** Whether `record` is exactly the link a `link` step creates: the same provider, account and team (null for none). */
export function isRecordOf(link: Pick<LinkRecord, "provider" | "account" | "team">, record: LinkRecord): boolean {
  return record.provider === link.provider && record.account === link.account && record.team === link.team;
}
