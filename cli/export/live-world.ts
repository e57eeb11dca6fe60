/**
 * What `export` observes of the live world, through the run's clients: each namespace's live links
 * and their autobuild repositories, what is left of its unlinked records, and the orgs' third-party
 * access; map-records.ts turns each into what the exported file declares.
 */
import type { LinkRecord } from "../../engine/model/link-record.js";
import { isLive } from "../../engine/model/observed.js";
import type { BuildServiceSpec, LinkSpec, OrgAccessSpec, ProvidersSpec } from "../../engine/model/spec.js";
import { sameIdentity } from "../../engine/reconcile/link-identity.js";
import { observeGrant } from "../../engine/reconcile/observe-link.js";
import { observeOrgAccess, type OperationContext } from "../../engine/reconcile/operations.js";
import { CliError, ExitCode } from "../exit-codes.js";
import { exportedProviders, linkSpecOf, orgAccessOf, SWEEPS_NOTE, sweptOwners, teamThroughPersonNote } from "./map-records.js";
import { linkName, type ExportedWorld } from "./to-yaml.js";
import { unlinkedNote, type UnlinkedRecordFacts } from "./unlinked-note.js";

/** What to export, and what from. */
export interface ExportRequest {
  /** The build service, its patterns and OAuth apps, and the providers: the given config's, or the environment's. */
  buildService: BuildServiceSpec;
  providers: ProvidersSpec;
  /** Whether they came from a given config (its providers are then kept whether used or not). */
  fromConfig: boolean;
  namespaces: readonly string[];
  orgs: readonly string[];
  /** Also declare a sweep of every owner the exported links build from. */
  sweeps: boolean;
}

/** Observes the live world `request` names and returns what the exported file declares, with its notes. */
export async function observeLiveWorld(
  ctx: OperationContext,
  request: ExportRequest,
  progress: (text: string) => void,
): Promise<ExportedWorld> {
  const notes: string[] = [];
  const { links, unlinked } = await liveLinks(ctx, request, progress, notes);
  for (const record of unlinked) {
    progress(`observing unlinked link ${record.id} of ${record.namespace}`);
    const supersededBy = record.team === null ? undefined : links.find((l) => sameIdentity(l, record))?.name;
    notes.push(unlinkedNote({ ...(await unlinkedFacts(ctx, record)), ...(supersededBy === undefined ? {} : { supersededBy }) }));
  }
  const orgAccess: OrgAccessSpec[] = [];
  for (const org of request.orgs) {
    progress(`observing org ${org}`);
    const observed = await observeOrgAccess(ctx, { org, provider: "github", app: "github", access: "granted" }, links);
    const mapped = orgAccessOf(org, observed);
    if ("entry" in mapped) orgAccess.push(mapped.entry);
    else notes.push(mapped.note);
  }
  const providers = exportedProviders(request.providers, links, orgAccess, request.fromConfig);
  const world: ExportedWorld = { buildService: request.buildService, providers, links, orgAccess, notes };
  if (request.sweeps) {
    world.sweeps = sweptOwners(links);
    if (world.sweeps.length > 0) notes.push(SWEEPS_NOTE);
  }
  return world;
}

/**
 * The live links of every namespace, declared, with a note for each team linked through a person;
 * and the unlinked records, observed after. A live link of a provider whose OAuth app is unknown
 * cannot be declared: invalid input, before anything is written.
 */
async function liveLinks(
  ctx: OperationContext,
  request: ExportRequest,
  progress: (text: string) => void,
  notes: string[],
): Promise<{ links: LinkSpec[]; unlinked: LinkRecord[] }> {
  const bs = ctx.clients.buildService!;
  const links: LinkSpec[] = [];
  const unlinked: LinkRecord[] = [];
  const taken = new Set<string>();
  for (const namespace of request.namespaces) {
    progress(`listing links of ${namespace}`);
    for (const record of await bs.listLinks(namespace)) {
      if (!isLive(record.state)) {
        unlinked.push(record);
        continue;
      }
      if (!request.buildService.oauthApps[record.provider]) {
        const flag = record.provider === "github" ? "--github-client-id" : "--bitbucket-key";
        throw new CliError(
          ExitCode.invalidInput,
          `sourcelinks export: link ${record.id} in ${namespace} is a ${record.provider} link but no ${record.provider} OAuth app is known: pass ${flag} or a --config that declares buildService.oauthApps.${record.provider}`,
        );
      }
      const name = linkName({ namespace, team: record.team, provider: record.provider, account: record.account }, taken);
      const repositories = await bs.listAutobuildRepositories(namespace, record.id);
      const note = teamThroughPersonNote(record, name);
      if (note !== null) notes.push(note);
      links.push(linkSpecOf(record, namespace, name, repositories));
    }
  }
  return { links, unlinked };
}

/** What is left of an unlinked record: the build service's artifacts on the repositories it lists, and its grant. */
async function unlinkedFacts(ctx: OperationContext, record: LinkRecord): Promise<Omit<UnlinkedRecordFacts, "supersededBy">> {
  const bs = ctx.clients.buildService!;
  const [listed, grant] = await Promise.all([bs.listAutobuildRepositories(record.namespace, record.id), observeGrant(ctx, record)]);
  const names = [...new Set(listed)];
  const base = {
    id: record.id,
    namespace: record.namespace,
    provider: record.provider,
    account: record.account,
    team: record.team,
    ...grant,
  };
  const client = ctx.clients.providers[record.provider];
  if (client === undefined) return { ...base, repositories: names, left: null };
  const reads = await Promise.all(
    names.map((repository) => Promise.all([client.listWebhooks(repository), client.listDeployKeys(repository)])),
  );
  const existing: string[] = [];
  const left = { webhooks: 0, deployKeys: 0, repositories: [] as string[] };
  reads.forEach(([hooks, keys], i) => {
    if (!hooks.exists) return;
    existing.push(names[i]!);
    const w = hooks.items.filter((h) => ctx.webhooks.matchesAny(h.url)).length;
    const k = keys.items.filter((key) => ctx.deployKeys.matchesAny(key.title)).length;
    left.webhooks += w;
    left.deployKeys += k;
    if (w + k > 0) left.repositories.push(names[i]!);
  });
  return { ...base, repositories: existing, left };
}
