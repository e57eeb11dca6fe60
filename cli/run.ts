/**
 * Observing and planning every declared resource of a config: the shared first half of `plan`,
 * `apply` and `check --live`. Observation goes through the operations of reconcile/operations.ts
 * (the same ones the Pulumi provider uses), concurrently and bounded.
 */
import type { LinkSpec, LoadedConfig, OrgAccessSpec, SourceLocation } from "../config/types.js";
import type { ObservedLink, ObservedOrgAccess, ResourcePlan } from "../reconcile/model.js";
import { linkObserver, observeOrgAccess, planLink, planOrgAccess, type OperationContext } from "../reconcile/operations.js";
import { DEFAULT_CONCURRENCY, settleAll } from "./concurrency.js";
import { CliError, ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { formatLocation } from "./location.js";
import { locateNearest } from "./load-config.js";

/** One declared link with what was observed of it. */
export interface ObservedLinkEntry {
  resource: "link";
  /** JSON pointer of the link in the merged config, e.g. `/links/0`. */
  pointer: string;
  location: SourceLocation | undefined;
  spec: LinkSpec;
  observed: ObservedLink;
}

/** One declared org access entry with what was observed of it. */
export interface ObservedOrgEntry {
  resource: "orgAccess";
  pointer: string;
  location: SourceLocation | undefined;
  spec: OrgAccessSpec;
  observed: ObservedOrgAccess;
}

/** Everything observed for a config. */
export interface Observation {
  links: ObservedLinkEntry[];
  orgs: ObservedOrgEntry[];
}

/** A planned link: its observation plus the steps that would converge it. */
export interface PlannedLinkEntry extends ObservedLinkEntry {
  plan: ResourcePlan;
}

/** A planned org access entry. */
export interface PlannedOrgEntry extends ObservedOrgEntry {
  plan: ResourcePlan;
}

/** Either kind of planned entry. */
export type PlannedEntry = PlannedLinkEntry | PlannedOrgEntry;

/** The plan of a whole config. */
export interface PlanRun {
  files: string[];
  links: PlannedLinkEntry[];
  orgs: PlannedOrgEntry[];
}

/** The resource name an org access entry is shown under (its org, as the policy rules name it). */
export function orgEntryName(spec: OrgAccessSpec): string {
  return spec.org;
}

/**
 * Observes every declared link and org. All observations run to the end even when some fail; then any
 * failure becomes one `CliError` (exit 1) with a located line per failed resource.
 */
export async function observeAll(loaded: LoadedConfig, ctx: OperationContext, io: CliIo): Promise<Observation> {
  const { links, orgAccess } = loaded.config;
  const total = links.length + orgAccess.length;
  let finished = 0;
  const tick = (what: string): void => reportStep(io, "observe", ++finished, total, what);

  // One observer for the run: each namespace's build-service links are listed once, not once per link.
  const observeLink = linkObserver(ctx);
  const linkResults = await settleAll(links, DEFAULT_CONCURRENCY, async (spec) => {
    const observed = await observeLink(spec);
    tick(`link ${spec.name}`);
    return observed;
  });
  // Org access may be read through a link, so orgs are observed once the links' observations are in.
  const orgResults = await settleAll(orgAccess, DEFAULT_CONCURRENCY, async (spec) => {
    const observed = await observeOrgAccess(ctx, spec, links);
    tick(`org ${spec.org}`);
    return observed;
  });
  // The reads are done: keep their ETags for the next run (a no-op without a cache file).
  await ctx.clients.flush?.();

  const failures: string[] = [];
  const out: Observation = { links: [], orgs: [] };
  linkResults.forEach((result, i) => {
    const spec = links[i] as LinkSpec;
    const pointer = `/links/${i}`;
    if (result.status === "rejected") failures.push(`${formatLocation(locateNearest(loaded, pointer))}: link ${spec.name}: ${errorText(result.reason)}`);
    else out.links.push({ resource: "link", pointer, location: loaded.locate(pointer), spec, observed: result.value });
  });
  orgResults.forEach((result, i) => {
    const spec = orgAccess[i] as OrgAccessSpec;
    const pointer = `/orgAccess/${i}`;
    if (result.status === "rejected") failures.push(`${formatLocation(locateNearest(loaded, pointer))}: org access ${spec.org}: ${errorText(result.reason)}`);
    else out.orgs.push({ resource: "orgAccess", pointer, location: loaded.locate(pointer), spec, observed: result.value });
  });
  if (failures.length > 0) throw new CliError(ExitCode.operational, failures);
  return out;
}

/** Plans every observed resource (pure: no request is sent). */
export function planAll(loaded: LoadedConfig, ctx: OperationContext, observation: Observation): PlanRun {
  const links = loaded.config.links;
  return {
    files: loaded.files,
    links: observation.links.map((entry) => ({ ...entry, plan: planLink(entry.spec, entry.observed, ctx) })),
    orgs: observation.orgs.map((entry) => ({ ...entry, plan: planOrgAccess(entry.spec, entry.observed, ctx, links) })),
  };
}

/** Observes and plans a whole config. */
export async function buildPlanRun(loaded: LoadedConfig, ctx: OperationContext, io: CliIo): Promise<PlanRun> {
  return planAll(loaded, ctx, await observeAll(loaded, ctx, io));
}

/** Reports one finished item of a phase through `io.step`, or as a progress line where there is none. */
export function reportStep(io: CliIo, phase: string, done: number, total: number, detail: string): void {
  if (io.step) io.step(phase, done, total, detail);
  else io.progress(`${phase} ${done}/${total}: ${detail}`);
}

/** An error's message, never its stack (messages of HttpError are already redacted). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
