/**
 * Who else uses what a revocation would remove (docs/identity-and-sharing.md, pure). A provider grant belongs to
 * (account, OAuth app) across every namespace: `DELETE /applications/{client_id}/grant` revokes every
 * token the account gave the app. A build-service webhook or deploy key sits on a repository, not on a
 * link: every link building from that repository relies on it. So both are kept while any other live
 * link uses them: a link declared in any of the files (not `revoked`), or a live record the build
 * service shows in any namespace the run sees, unless a declaration retires that record in this run.
 */
import type { LinkSpec, ProviderKind } from "../model/spec.js";
import type { LinkRecord } from "../model/link-record.js";
import { isLive } from "../model/observed.js";

/** What one run sees beyond a single link. */
export interface SharingFacts {
  /** Every link declared in the run's files. */
  declared: readonly LinkSpec[];
  /** Every record of every namespace the run lists (those the declared links name). */
  records: readonly LinkRecord[];
  /** The autobuild repositories of live records, by record id; only read when a revocation needs them. */
  recordRepositories?: ReadonlyMap<string, readonly string[]>;
}

/**
 * Whether a declaration retires `record` in this run: a link declared `revoked` with its identity, or a
 * team link declared with another account (the record is superseded). Such a record is no keeper.
 */
export function retiredByDeclaration(record: LinkRecord, declared: readonly LinkSpec[]): boolean {
  return declarationsOf(record, declared).some((d) => d.state === "revoked" || (d.team !== undefined && d.account !== record.account));
}

/** The declarations by identity, built once per list: every link of a run asks about every record. */
const declarationIndexes = new WeakMap<readonly LinkSpec[], Map<string, LinkSpec[]>>();

/** The declarations that carry `record`'s identity (what `sameIdentity` says, by one lookup). */
function declarationsOf(record: LinkRecord, declared: readonly LinkSpec[]): readonly LinkSpec[] {
  let index = declarationIndexes.get(declared);
  if (index === undefined) {
    index = new Map();
    for (const d of declared) {
      const key = identityKey(d.namespace, d.provider, d.team ?? null, d.account);
      index.set(key, [...(index.get(key) ?? []), d]);
    }
    declarationIndexes.set(declared, index);
  }
  return index.get(identityKey(record.namespace, record.provider, record.team, record.account)) ?? [];
}

/** A team link is (namespace, provider, team); any other link (namespace, provider, account), as `sameIdentity`. */
function identityKey(namespace: string, provider: string, team: string | null, account: string): string {
  return team !== null
    ? `${namespace}\u0000${provider}\u0000team\u0000${team}`
    : `${namespace}\u0000${provider}\u0000account\u0000${account}`;
}

/** How a declared link is named in plans and messages. */
export function declaredLabel(spec: LinkSpec): string {
  return `"${spec.name}" (namespace ${spec.namespace})`;
}

/** How a live record is named: its declaration when one keeps it, else namespace, id and account. */
function recordLabel(record: LinkRecord, declared: readonly LinkSpec[]): string {
  const owner = declarationsOf(record, declared).find((d) => d.state !== "revoked" && d.account === record.account);
  if (owner) return declaredLabel(owner);
  return `link ${record.id} in namespace ${record.namespace} (${record.provider} account ${record.account}${record.team === null ? "" : `, team ${record.team}`})`;
}

/**
 * Live records of `provider` that may keep something: outside `exclude` (a link's own records) and not
 * retired by a declaration. `repositoryKeepers` needs the repositories of exactly these.
 */
export function keeperRecords(facts: SharingFacts, provider: ProviderKind, exclude: readonly LinkRecord[]): LinkRecord[] {
  const excluded = new Set(exclude.map(recordKey));
  return facts.records.filter(
    (r) => isLive(r.state) && r.provider === provider && !excluded.has(recordKey(r)) && !retiredByDeclaration(r, facts.declared),
  );
}

/** Declared links other than `self` that stay live (linked or disabled). */
function liveDeclarations(facts: SharingFacts, self: LinkSpec, provider: ProviderKind): LinkSpec[] {
  return facts.declared.filter((d) => d.name !== self.name && d.state !== "revoked" && d.provider === provider);
}

/**
 * The other live links authorized by `provider` account `account`, excluding `exclude` (the records of
 * `self`'s own identity): while any is left, the account's grant must not be revoked.
 */
export function grantKeepers(
  facts: SharingFacts,
  self: LinkSpec,
  provider: ProviderKind,
  account: string,
  exclude: readonly LinkRecord[],
): string[] {
  const labels = liveDeclarations(facts, self, provider)
    .filter((d) => d.account === account)
    .map(declaredLabel);
  for (const r of keeperRecords(facts, provider, exclude)) if (r.account === account) labels.push(recordLabel(r, facts.declared));
  return unique(labels);
}

/**
 * The other live links that build from the repository known by `names` (lowercase: its name, and the
 * names it was known by that other links still use, repository-aliases.ts): declared ones listing one of
 * them, and live records whose build-service record lists one. While any is left, the build service's
 * webhooks and deploy keys there stay.
 */
export function repositoryKeepers(
  facts: SharingFacts,
  self: LinkSpec,
  provider: ProviderKind,
  names: ReadonlySet<string>,
  exclude: readonly LinkRecord[],
): string[] {
  const same = (a: string): boolean => names.has(a.toLowerCase());
  const labels = liveDeclarations(facts, self, provider)
    .filter((d) => d.repositories.some(same))
    .map(declaredLabel);
  for (const r of keeperRecords(facts, provider, exclude)) {
    if (facts.recordRepositories?.get(recordKey(r))?.some(same)) labels.push(recordLabel(r, facts.declared));
  }
  return unique(labels);
}

/** Every repository name the other live links of `provider` build from (declared, and listed by keeper records), once each. */
export function keeperRepositoryNames(
  facts: SharingFacts,
  self: LinkSpec,
  provider: ProviderKind,
  exclude: readonly LinkRecord[],
): string[] {
  const names = liveDeclarations(facts, self, provider).flatMap((d) => d.repositories);
  for (const r of keeperRecords(facts, provider, exclude)) names.push(...(facts.recordRepositories?.get(recordKey(r)) ?? []));
  return [...new Set(names)];
}

/** The key of a record in `recordRepositories`. */
export function recordKey(record: LinkRecord): string {
  return `${record.namespace}\u0000${record.id}`;
}

function unique(labels: string[]): string[] {
  return [...new Set(labels)];
}
