/**
 * Observes a GitHub org's third-party access for the build service's OAuth app, by the best available
 * means, in order: the build service (through a usable link), the GHEC audit log, a probe with a link's
 * OAuth token, else `unknown` (docs/build-services.md). Records what is: the manual step for an org owner is
 * derived by the planner's pending-steps.ts.
 */
import type { LinkSpec, OrgAccessSpec } from "../model/spec.js";
import type { BuildServiceClient } from "../clients/types.js";
import type { LinkRecord } from "../model/link-record.js";
import { isLive } from "../model/observed.js";
import { HttpError } from "../clients/http-error.js";
import type { Secret } from "../model/secret.js";
import type { OperationContext } from "./context.js";
import { identityRecords } from "./link-identity.js";
import { withPendingOrgAccessSteps } from "./pending-steps.js";
import type { ObservedOrgAccess } from "../model/observed.js";
import type { RunWorld } from "./run-world.js";

/** A live build-service link through which org access can be read and set. */
export interface OrgAccessVia {
  link: string;
  namespace: string;
  linkId: string;
}

/**
 * Observes `spec`'s org access; `links` are the declared links it may act through. `world`: the run's
 * build-service reads (run-reads.ts), so the namespaces its links observed are not listed again.
 */
export async function observeOrgAccess(
  ctx: OperationContext,
  spec: OrgAccessSpec,
  links: readonly LinkSpec[],
  world?: Pick<RunWorld, "records">,
): Promise<ObservedOrgAccess> {
  return withPendingOrgAccessSteps(spec, await readOrgAccess(ctx, spec, links, world), ctx);
}

/** The org's access by the best available means, and how it was read. */
async function readOrgAccess(
  ctx: OperationContext,
  spec: OrgAccessSpec,
  links: readonly LinkSpec[],
  world: Pick<RunWorld, "records"> | undefined,
): Promise<ObservedOrgAccess> {
  const base = { org: spec.org, provider: spec.provider, app: spec.app } as const;
  const clientId = ctx.buildService.oauthApps[spec.app]?.clientId;
  const bs = ctx.clients.buildService;
  const vias = bs ? await usableLinks(bs, spec.org, links, world) : [];

  const via = vias[0];
  if (bs && via) {
    const access = await readThroughBuildService(bs, via, spec.org);
    if (access !== null) return { ...base, access, observedVia: "build-service", pendingManualSteps: [], via };
  }

  const probe = ctx.clients.githubOrgAccess;
  if (probe && clientId) {
    const fromLog = await probe.fromAuditLog(spec.org, clientId);
    if (fromLog !== null) return { ...base, access: fromLog, observedVia: "audit-log", pendingManualSteps: [], via: null };
  }

  if (probe && bs) {
    for (const candidate of vias) {
      const token: Secret | null = await bs.getCredentials(candidate.namespace, candidate.linkId);
      if (token === null) continue;
      const access = await probe.probe(spec.org, token);
      return { ...base, access, observedVia: "probe", pendingManualSteps: [], via: null };
    }
  }

  return { ...base, access: "unknown", observedVia: "none", pendingManualSteps: [], via: null };
}

/**
 * `GET …/orgs/{org}/access/`; null when this service does not implement it (404/405/501 from a
 * self-hosted `reference` service), so the next means is tried. Other errors propagate.
 */
async function readThroughBuildService(
  bs: BuildServiceClient,
  via: OrgAccessVia,
  org: string,
): Promise<ObservedOrgAccess["access"] | null> {
  try {
    return await bs.getOrgAccess(via.namespace, via.linkId, org);
  } catch (error) {
    if (error instanceof HttpError && (error.status === 404 || error.status === 405 || error.status === 501)) return null;
    throw error;
  }
}

/**
 * Declared GitHub links that are not revoked and are live on the build service, those with a
 * repository in `org` first (their token is the one whose access matters), then in declared order.
 */
export async function usableLinks(
  bs: BuildServiceClient,
  org: string,
  links: readonly LinkSpec[],
  world?: Pick<RunWorld, "records">,
): Promise<OrgAccessVia[]> {
  const inOrg = (l: LinkSpec): boolean => l.repositories.some((r) => r.split("/")[0]?.toLowerCase() === org.toLowerCase());
  const candidates = links.filter((l) => l.provider === "github" && l.state !== "revoked");
  const ordered = [...candidates.filter(inOrg), ...candidates.filter((l) => !inOrg(l))];
  const byNamespace = new Map<string, Promise<LinkRecord[]>>();
  const out: OrgAccessVia[] = [];
  for (const link of ordered) {
    let records = byNamespace.get(link.namespace);
    if (!records) {
      records = world ? world.records(link.namespace) : bs.listLinks(link.namespace);
      byNamespace.set(link.namespace, records);
    }
    const { primary } = identityRecords(link, await records);
    if (primary && isLive(primary.state)) out.push({ link: link.name, namespace: link.namespace, linkId: primary.id });
  }
  return out;
}
