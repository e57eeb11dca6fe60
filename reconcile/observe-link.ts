/**
 * Reads everything about one declared link: its build-service record(s), whether the provider grant
 * is still live, and what the build service left on each listed repository. Reads only.
 */
import type { LinkSpec } from "../config/types.js";
import type { BuildServiceLinkWire } from "../clients/types.js";
import type { OperationContext } from "./context.js";
import { appName, primaryRetires, retireGrant } from "./grant-policy.js";
import { providerClient } from "./provider-client.js";
import { grantSharers, identityRecords, isLive, liveStateOf } from "./link-identity.js";
import { dockerHubDisableStep, dockerHubLinkStep, dockerHubUnlinkStep, revokeGrantStep } from "./manual-steps.js";
import { mapLimit } from "./map-limit.js";
import type { ManualStep, ObservedLink, ObservedRepository, ProviderGrant, SupersededLink } from "./model.js";

/** Repositories read at once by default; the clients pace and cap their own requests beneath this. */
const DEFAULT_CONCURRENCY = 32;

/** Links observed at once by `observeLinks`; each also reads its repositories with bounded concurrency. */
const LINK_CONCURRENCY = 8;

/** Observes the live state of `spec`'s link, its grant and the build service's webhooks and deploy keys. */
export function observeLink(ctx: OperationContext, spec: LinkSpec): Promise<ObservedLink> {
  const bs = ctx.clients.buildService;
  return observeWith(ctx, spec, bs && (() => bs.listLinks(spec.namespace)));
}

/**
 * An observer of many links that lists each namespace's build-service links once, however many of
 * its links it observes (a namespace with 1,000 links is 10 pages per listing). Use one per run:
 * the listings are not refreshed.
 */
export function linkObserver(ctx: OperationContext): (spec: LinkSpec) => Promise<ObservedLink> {
  const bs = ctx.clients.buildService;
  const listings = new Map<string, Promise<BuildServiceLinkWire[]>>();
  const list = (namespace: string): Promise<BuildServiceLinkWire[]> => {
    let listing = listings.get(namespace);
    if (!listing) {
      listing = bs!.listLinks(namespace);
      listings.set(namespace, listing);
    }
    return listing;
  };
  return (spec) => observeWith(ctx, spec, bs && (() => list(spec.namespace)));
}

/** Observes many links through one `linkObserver`. Results are in `specs` order. */
export function observeLinks(ctx: OperationContext, specs: readonly LinkSpec[]): Promise<ObservedLink[]> {
  return mapLimit(specs, LINK_CONCURRENCY, linkObserver(ctx));
}

async function observeWith(ctx: OperationContext, spec: LinkSpec, listLinks: (() => Promise<BuildServiceLinkWire[]>) | null): Promise<ObservedLink> {
  if (listLinks === null) return observeWithoutBuildServiceApi(ctx, spec, await observeRepositories(ctx, spec));

  // The providers and the build service are different hosts: read both at once.
  const [repositories, records] = await Promise.all([observeRepositories(ctx, spec), listLinks()]);
  const { primary, others, all } = identityRecords(spec, records);
  const [primaryFacts, othersFacts] = await Promise.all([
    primary && checksGrant(ctx, spec, primary) ? observeGrant(ctx, primary) : null,
    Promise.all(others.map((record) => observeGrant(ctx, record))),
  ]);
  const grantSharedWith = primary ? grantSharers(records, spec.provider, primary.account, all) : [];

  const supersededLinks: SupersededLink[] = [];
  for (const [i, record] of others.entries()) {
    const facts = othersFacts[i]!;
    // An unlinked record only matters while the service still holds a live token of its grant.
    if (!isLive(record) && (!facts.held || facts.grant === "revoked")) continue;
    supersededLinks.push({
      linkId: record.id,
      account: record.account,
      state: liveStateOf(record),
      providerGrant: facts.grant,
      grantHeld: facts.held,
      grantSharedWith: grantSharers(records, spec.provider, record.account, all),
    });
  }

  const observed: ObservedLink = {
    name: spec.name,
    provider: spec.provider,
    namespace: spec.namespace,
    linkId: primary?.id ?? null,
    state: primary ? liveStateOf(primary) : "absent",
    account: primary?.account ?? null,
    team: primary?.team ?? null,
    serviceAccount: primary?.service_account ?? null,
    repositories,
    providerGrant: primaryFacts?.grant ?? "unverifiable",
    pendingManualSteps: [],
    supersededLinks,
    grantSharedWith,
  };
  // Left out when the credentials were not read: unknown is not "not held".
  if (primaryFacts) observed.grantHeld = primaryFacts.held;
  observed.pendingManualSteps = pendingGrantSteps(ctx, spec, observed);
  return observed;
}

/**
 * Manual grant steps still open: for a revoked link its account's grant, and for any link the grants of
 * accounts it moved away from, unless they are observed revoked or an API will revoke them.
 */
export function pendingGrantSteps(ctx: OperationContext, spec: LinkSpec, observed: ObservedLink): ManualStep[] {
  const steps: ManualStep[] = [];
  if (primaryRetires(spec, observed)) {
    const { pending } = retireGrant(ctx, {
      provider: spec.provider,
      account: observed.account ?? spec.account,
      grant: observed.providerGrant,
      held: observed.grantHeld ?? false,
      sharedWith: observed.grantSharedWith ?? [],
    });
    if (pending) steps.push(pending);
  }
  for (const old of observed.supersededLinks ?? []) {
    const { pending } = retireGrant(ctx, { provider: spec.provider, account: old.account, grant: old.providerGrant, held: old.grantHeld, sharedWith: old.grantSharedWith });
    if (pending && !steps.some((s) => s.id === pending.id)) steps.push(pending);
  }
  return steps;
}

/**
 * `docker-hub`: no public API for linked accounts, so the link's state is unknown and every link-side
 * action is a manual step; the repositories are still read through the providers' APIs.
 */
function observeWithoutBuildServiceApi(ctx: OperationContext, spec: LinkSpec, repositories: ObservedRepository[]): ObservedLink {
  const pendingManualSteps: ManualStep[] = [];
  if (spec.state === "linked") pendingManualSteps.push(dockerHubLinkStep(spec.namespace, spec.provider, spec.account));
  if (spec.state === "disabled") pendingManualSteps.push(dockerHubDisableStep(spec.namespace, spec.provider, spec.account));
  if (spec.state === "revoked") {
    pendingManualSteps.push(dockerHubUnlinkStep(spec.namespace, spec.provider, spec.account));
    pendingManualSteps.push(revokeGrantStep(spec.provider, spec.account, appName(ctx, spec.provider)));
  }
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
    pendingManualSteps,
    supersededLinks: [],
    grantHeld: false,
    grantSharedWith: [],
  };
}

/**
 * Whether to read the representative record's grant: always by default; with `grantChecks:
 * "when-deciding"` only when a step depends on it (the link is revoked or moves to another account),
 * which saves a build-service read and a GitHub `POST` per kept link on large refreshes.
 */
function checksGrant(ctx: OperationContext, spec: LinkSpec, primary: BuildServiceLinkWire): boolean {
  return ctx.grantChecks !== "when-deciding" || spec.state === "revoked" || primary.account !== spec.account;
}

/** A grant's state and whether the build service still holds one of its tokens. */
interface GrantObservation {
  grant: ProviderGrant;
  held: boolean;
}

/**
 * Whether a record's grant is live: the service's credentials (404 = it holds none), then, for GitHub
 * with the app owner's client secret, `POST /applications/{client_id}/token`. Anything that cannot be
 * checked by API is `unverifiable`, never assumed.
 */
async function observeGrant(ctx: OperationContext, record: BuildServiceLinkWire): Promise<GrantObservation> {
  const bs = ctx.clients.buildService;
  if (bs === null) return { grant: "unverifiable", held: false };
  const token = await bs.getCredentials(record.namespace, record.id);
  if (token === null) return { grant: "unverifiable", held: false };
  const clientId = ctx.buildService.oauthApps.github?.clientId;
  const grants = ctx.clients.githubGrants;
  if (record.provider === "github" && ctx.githubClientSecret !== null && grants !== null && clientId) {
    return { grant: await grants.checkGrant(clientId, ctx.githubClientSecret, token), held: true };
  }
  return { grant: "unverifiable", held: true };
}

/** The build service's webhooks and deploy keys on each repository, read with bounded concurrency. */
async function observeRepositories(ctx: OperationContext, spec: LinkSpec): Promise<ObservedRepository[]> {
  const client = providerClient(ctx, spec.provider);
  // Deploy keys matter only to a revocation (deleting them, or proving none is left); a kept link's
  // refresh lists webhooks alone, the one request per repository GitHub's API makes the floor.
  const listKeys = spec.state === "revoked";
  return mapLimit(spec.repositories, ctx.concurrency ?? DEFAULT_CONCURRENCY, async (repository) => {
    const [hooks, keys] = await Promise.all([client.listWebhooks(repository), listKeys ? client.listDeployKeys(repository) : null]);
    const webhooks = hooks.items.filter((h) => ctx.clients.isBuildServiceWebhook(h.url));
    const deployKeys = keys ? keys.items.filter((k) => ctx.clients.isBuildServiceDeployKey(k.title)) : [];
    const observed: ObservedRepository = {
      repository,
      exists: hooks.exists && (keys?.exists ?? true),
      webhooks,
      deployKeys,
      deployKeysListed: keys !== null,
      foreignWebhookCount: hooks.items.length - webhooks.length,
    };
    ctx.seen.record(spec.provider, observed);
    return observed;
  });
}
