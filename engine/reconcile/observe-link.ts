/**
 * Reads everything about one declared link: its build-service record(s), whether the provider grant
 * is still live, and what the build service left on each listed repository. Reads only, and records
 * what is: the manual steps still open are derived by the planner's pending-steps.ts from these facts.
 */
import type { LinkSpec } from "../model/spec.js";
import type { LinkRecord } from "../model/link-record.js";
import type { OperationContext } from "./context.js";
import { canRevokeGrantByApi } from "./grant-policy.js";
import { providerClient } from "./provider-client.js";
import { identityRecords } from "./link-identity.js";
import { mapLimit } from "./map-limit.js";
import { isLive, type ObservedLink, type ObservedRepository, type ProviderGrant, type SupersededLink } from "../model/observed.js";
import { withPendingLinkSteps } from "./pending-steps.js";
import { RunDeployKeys } from "./run-deploy-keys.js";
import { RunReads } from "./run-reads.js";
import type { RunWorld } from "./run-world.js";
import { aliasesFrom, resolveRepositoryNames } from "./repository-aliases.js";
import { grantKeepers, keeperRecords, keeperRepositoryNames, repositoryKeepers, type SharingFacts } from "./sharing.js";

/** Repositories read at once by default; the clients pace and cap their own requests beneath this. */
const DEFAULT_CONCURRENCY = 32;

/**
 * Links observed at once (`observeLinks`, the CLI's refresh); each also reads its repositories with
 * bounded concurrency. Reads only, paced by the clients. A link holds its slot until its namespace's
 * records are listed (about a second for 1,000 links), and the pacer's sliding windows repeat the
 * first window's slow start in every later one: at 8 a GitHub minute's 900 webhook listings took half
 * of its six seconds on the bench's compressed clock, and (b) ended at 1.16× its floor; at 32, 1.10×.
 * Applies write, and keep their own, lower bound (run/concurrency.ts).
 */
export const OBSERVE_CONCURRENCY = 32;

/**
 * Observes the live state of `spec`'s link, its grant and the build service's webhooks and deploy keys.
 * Other live links are the ones the build service shows in `spec`'s namespace and every namespace its
 * token may act on; `declared` (every link of the run's files) adds theirs and their namespaces.
 */
export function observeLink(ctx: OperationContext, spec: LinkSpec, declared: readonly LinkSpec[] = [spec]): Promise<ObservedLink> {
  return linkObserver(ctx, declared)(spec);
}

/**
 * An observer of many links that reads each namespace's build-service links once, however many of its
 * links it observes (a namespace with 1,000 links is 10 pages per listing), and what other live links use
 * once per run (reconcile/run-reads.ts: records, deploy keys, webhook listings). `declared`: every link
 * of the run's files; `reads` may be shared with the run's sweeps. Use one per run: nothing is refreshed.
 */
export function linkObserver(
  ctx: OperationContext,
  declared: readonly LinkSpec[] = [],
  reads: RunReads = new RunReads(ctx, declared),
): (spec: LinkSpec) => Promise<ObservedLink> {
  return async (spec) => withPendingLinkSteps(spec, await observeWith(ctx, spec, reads.world, declared, reads), ctx);
}

/** Observes many links through one `linkObserver`, `specs` being the run's declared links. Results are in `specs` order. */
export function observeLinks(ctx: OperationContext, specs: readonly LinkSpec[]): Promise<ObservedLink[]> {
  return mapLimit(specs, OBSERVE_CONCURRENCY, linkObserver(ctx, specs));
}

async function observeWith(
  ctx: OperationContext,
  spec: LinkSpec,
  world: RunWorld | null,
  declared: readonly LinkSpec[],
  reads: RunReads,
): Promise<ObservedLink> {
  if (world === null) {
    // No link API: the declared links are all that is known of who else builds from a repository.
    const repositories = await observeRepositories(
      ctx,
      spec,
      spec.repositories.map((r) => ({ repository: r, source: "declared" as const })),
      reads,
    );
    return observeWithoutBuildServiceApi(spec, await coverWith(ctx, spec, repositories, { declared, records: [] }, [], reads));
  }

  // The providers and the build service are different hosts: read both at once. A revocation also covers
  // every other repository its build-service records list (read once the records are known).
  const declaredTargets = spec.repositories.map((r) => ({ repository: r, source: "declared" as const }));
  const [declaredRepositories, records] = await Promise.all([
    observeRepositories(ctx, spec, declaredTargets, reads),
    world.records(spec.namespace),
  ]);
  const { primary, others, all } = identityRecords(spec, records);
  const revoking = spec.state === "revoked";
  // A live link of the declared account builds only from what its record lists: read it when repositories are declared.
  const listsOwn =
    !revoking && primary !== null && isLive(primary.state) && primary.account === spec.account && spec.repositories.length > 0;
  const [recordRepositories, everyRecord, primaryFacts, othersFacts, ownRepositories] = await Promise.all([
    revoking ? recordOnlyRepositories(ctx, spec, world, primary ? [primary, ...others] : others, reads) : [],
    world.allRecords(spec.namespace),
    primary && checksGrant(ctx, spec, primary) ? observeGrant(ctx, primary) : null,
    Promise.all(others.map((record) => observeGrant(ctx, record))),
    listsOwn && primary ? world.repositoriesOf([primary]).then((listed) => [...listed.values()][0] ?? []) : undefined,
  ]);
  const repositoriesRead = [...declaredRepositories, ...recordRepositories];
  const facts: SharingFacts = { declared: withSelf(declared, spec), records: everyRecord };
  // A revocation keeps what other live links use; a disabled link's advice (deactivate its webhooks) must not break them either.
  const repositories =
    spec.state !== "linked" && repositoriesRead.some(hasArtifacts)
      ? await coverWith(
          ctx,
          spec,
          repositoriesRead,
          { ...facts, recordRepositories: await world.repositoriesOf(keeperRecords(facts, spec.provider, all)) },
          all,
          reads,
        )
      : repositoriesRead;
  const grantSharedWith = primary ? grantKeepers(facts, spec, spec.provider, primary.account, all) : [];

  const supersededLinks: SupersededLink[] = [];
  for (const [i, record] of others.entries()) {
    const grant = othersFacts[i]!;
    // An unlinked record only matters while the service still holds a live token of its grant.
    if (!isLive(record.state) && (!grant.held || grant.grant === "revoked")) continue;
    supersededLinks.push({
      linkId: record.id,
      account: record.account,
      state: record.state,
      providerGrant: grant.grant,
      grantHeld: grant.held,
      grantSharedWith: grantKeepers(facts, spec, spec.provider, record.account, all),
    });
  }

  const observed: ObservedLink = {
    name: spec.name,
    provider: spec.provider,
    namespace: spec.namespace,
    linkId: primary?.id ?? null,
    state: primary ? primary.state : "absent",
    account: primary?.account ?? null,
    team: primary?.team ?? null,
    serviceAccount: primary?.serviceAccount ?? null,
    repositories,
    providerGrant: primaryFacts?.grant ?? "unverifiable",
    pendingManualSteps: [],
    supersededLinks,
    grantSharedWith,
  };
  // Left out when the credentials were not read: unknown is not "not held".
  if (primaryFacts) observed.grantHeld = primaryFacts.held;
  if (ownRepositories !== undefined) observed.recordRepositories = [...ownRepositories];
  return observed;
}

/** `declared` with `spec` in it, so a link observed alone still knows its own declaration. */
function withSelf(declared: readonly LinkSpec[], spec: LinkSpec): readonly LinkSpec[] {
  return declared.some((d) => d.name === spec.name) ? declared : [...declared, spec];
}

/** Whether the build service left anything on a repository. */
function hasArtifacts(repo: ObservedRepository): boolean {
  return repo.webhooks.length > 0 || repo.deployKeys.length > 0;
}

/**
 * Marks each repository with artifacts that another live link builds from (`coveredBy`), for a revoked or
 * disabled link: a revocation keeps what is there, and no advice to a disabled link touches it. The
 * other links' names are matched by what each repository is, not only by how it is spelled: a renamed
 * repository answers to its old name too (repository-aliases.ts).
 */
async function coverWith(
  ctx: OperationContext,
  spec: LinkSpec,
  repositories: ObservedRepository[],
  facts: SharingFacts,
  exclude: readonly LinkRecord[],
  reads: RunReads,
): Promise<ObservedRepository[]> {
  if (spec.state === "linked") return repositories;
  const cleared = repositories.filter(hasArtifacts);
  if (cleared.length === 0) return repositories;
  const own = cleared.map((repo) => repo.repository);
  const candidates = keeperRepositoryNames(facts, spec, spec.provider, exclude);
  const resolved = await resolveRepositoryNames(providerClient(ctx, spec.provider), reads, [...new Set([...own, ...candidates])]);
  const aliases = aliasesFrom(new Map(own.map((name) => [name, resolved.get(name) ?? undefined])), resolved);
  return repositories.map((repo) => {
    const names = aliases.get(repo.repository);
    if (!hasArtifacts(repo) || names === undefined) return repo;
    const keepers = repositoryKeepers(facts, spec, spec.provider, names, exclude);
    return keepers.length === 0 ? repo : { ...repo, coveredBy: keepers };
  });
}

/**
 * The repositories a revoked link's build-service records list beyond the declared ones, observed. A
 * name that is a declared repository under another name (renamed since the link was made) is that
 * repository, observed once: its webhooks are one set, however many names reach it.
 */
async function recordOnlyRepositories(
  ctx: OperationContext,
  spec: LinkSpec,
  world: RunWorld,
  records: readonly LinkRecord[],
  reads: RunReads,
): Promise<ObservedRepository[]> {
  const listed = await world.repositoriesOf(records);
  const seen = new Set(spec.repositories.map((r) => r.toLowerCase()));
  const candidates = [...new Set([...listed.values()].flat())].filter((r) => !seen.has(r.toLowerCase()));
  if (candidates.length === 0) return [];
  const resolved = await resolveRepositoryNames(providerClient(ctx, spec.provider), reads, [...spec.repositories, ...candidates]);
  const seenIds = new Set(spec.repositories.flatMap((r) => resolved.get(r)?.id ?? []));
  const targets: RepositoryTarget[] = [];
  for (const repository of candidates) {
    if (seen.has(repository.toLowerCase())) continue;
    seen.add(repository.toLowerCase());
    const id = resolved.get(repository)?.id;
    if (id !== undefined && seenIds.has(id)) continue;
    if (id !== undefined) seenIds.add(id);
    targets.push({ repository, source: "record" });
  }
  return observeRepositories(ctx, spec, targets, reads);
}

/**
 * `docker-hub`: no public API for linked accounts, so the link's state is unknown (every link-side
 * action is a manual step, pending-steps.ts); the repositories are still read through the providers' APIs.
 */
function observeWithoutBuildServiceApi(spec: LinkSpec, repositories: ObservedRepository[]): ObservedLink {
  return {
    name: spec.name,
    provider: spec.provider,
    namespace: spec.namespace,
    linkId: null,
    state: "unknown",
    account: null,
    team: null,
    serviceAccount: null,
    repositories,
    providerGrant: "unverifiable",
    pendingManualSteps: [],
    supersededLinks: [],
    grantHeld: false,
    grantSharedWith: [],
  };
}

/**
 * Whether to read the representative record's grant: always by default; with `grantChecks:
 * "when-deciding"` only when a step depends on it: the link is revoked or moves to another account, or
 * an API can verify the grant of a live link (a revoked grant is a broken link, relinked by apply).
 * Without such an API a kept link's grant costs a build-service read and decides nothing.
 */
function checksGrant(ctx: OperationContext, spec: LinkSpec, primary: LinkRecord): boolean {
  return (
    ctx.grantChecks !== "when-deciding" || spec.state === "revoked" || primary.account !== spec.account || canVerifyGrant(ctx, primary)
  );
}

/** Whether a record's grant can be checked by API: GitHub with the app owner's client secret (the same API revokes it). */
function canVerifyGrant(ctx: OperationContext, record: LinkRecord): boolean {
  return canRevokeGrantByApi(ctx, record.provider);
}

/** A grant's state and whether the build service still holds one of its tokens. */
export interface GrantObservation {
  grant: ProviderGrant;
  held: boolean;
}

/**
 * Whether a record's grant is live: the service's credentials (404 = it holds none), then, for GitHub
 * with the app owner's client secret, `POST /applications/{client_id}/token`. Anything that cannot be
 * checked by API is `unverifiable`, never assumed.
 */
export async function observeGrant(ctx: OperationContext, record: LinkRecord): Promise<GrantObservation> {
  const bs = ctx.clients.buildService;
  if (bs === null) return { grant: "unverifiable", held: false };
  const token = await bs.getCredentials(record.namespace, record.id);
  if (token === null) return { grant: "unverifiable", held: false };
  if (canVerifyGrant(ctx, record)) {
    return {
      grant: await ctx.clients.githubGrants!.checkGrant(ctx.buildService.oauthApps.github!.clientId, ctx.githubClientSecret!, token),
      held: true,
    };
  }
  return { grant: "unverifiable", held: true };
}

/** A repository to observe, and whether the YAML declares it or only a build-service record lists it. */
interface RepositoryTarget {
  repository: string;
  source: "declared" | "record";
}

/**
 * The build service's webhooks and deploy keys on each repository, read with bounded concurrency.
 * Webhooks: one REST listing per repository (no batch form exists). Deploy keys: where the provider
 * reads many repositories at once (GitHub's GraphQL), for every link, so a live link reports its keys;
 * elsewhere (Bitbucket's REST) only for a revocation, which deletes them or proves none is left.
 */
async function observeRepositories(
  ctx: OperationContext,
  spec: LinkSpec,
  targets: readonly RepositoryTarget[],
  reads: RunReads,
): Promise<ObservedRepository[]> {
  const client = providerClient(ctx, spec.provider);
  const batched = RunDeployKeys.batches(client) && targets.length > 0;
  const listKeys = !batched && spec.state === "revoked";
  // Both reads run at once. When both fail (a token that cannot administer a repository), the webhook
  // listing's error is the one reported, whichever answer came first, so a run always says the same.
  const [hookReads, keyReads] = await Promise.allSettled([
    mapLimit(targets, ctx.concurrency ?? DEFAULT_CONCURRENCY, ({ repository }) =>
      Promise.all([reads.webhooks(client, repository), listKeys ? client.listDeployKeys(repository) : null]),
    ),
    batched
      ? reads.deployKeys.read(
          client,
          targets.map((t) => t.repository),
        )
      : null,
  ]);
  if (hookReads.status === "rejected") throw hookReads.reason;
  if (keyReads.status === "rejected") throw keyReads.reason;
  const listings = hookReads.value;
  const keysByRepository = keyReads.value;
  return targets.map(({ repository, source }, i) => {
    const [hooks, listed] = listings[i]!;
    const keys = keysByRepository?.get(repository) ?? listed;
    const webhooks = hooks.items.filter((h) => ctx.webhooks.matchesAny(h.url));
    const deployKeys = keys ? keys.items.filter((k) => ctx.deployKeys.matchesAny(k.title)) : [];
    const observed: ObservedRepository = {
      repository,
      exists: hooks.exists && (keys?.exists ?? true),
      webhooks,
      deployKeys,
      deployKeysListed: keys !== null,
      foreignWebhookCount: hooks.items.length - webhooks.length,
    };
    if (source === "record") observed.source = "record";
    ctx.seen.record(spec.provider, observed);
    return observed;
  });
}
