/**
 * Observing every declared resource of a config: the shared first half of `plan`, `apply`, `check --live`
 * and `report`. Observation goes through the same operations the Pulumi provider uses, concurrently and
 * bounded, and each read more than one resource needs is made once (run-reads.ts).
 */
import type { LoadedConfig } from "../../config/loaded-config.js";
import { isLive } from "../../model/observed.js";
import type { LinkSpec, OrgAccessSpec, SweepSpec } from "../../model/spec.js";
import type { OperationContext } from "../context.js";
import { settleAll } from "../map-limit.js";
import { linkObserver, OBSERVE_CONCURRENCY } from "../observe-link.js";
import { observeOrgAccess } from "../observe-org-access.js";
import { observeSweep, SweepLinkWorld } from "../observe-sweep.js";
import { withRecordedLinkSteps, withRecordedOrgSteps } from "../recorded-steps.js";
import { RunReads } from "../run-reads.js";
import type { RunWorld } from "../run-world.js";
import { RESOURCE_CONCURRENCY } from "./concurrency.js";
import type { Observation } from "./entries.js";
import { liveBuilds, observeBuilds } from "./observe-builds.js";

/** A declared resource whose observation failed. */
export interface ObservationFailure {
  /** JSON pointer of the resource in the merged config, e.g. `/links/0`. */
  pointer: string;
  /** The resource as messages name it: `link NAME`, `org access ORG`, `sweep NAME`. */
  resource: string;
  error: unknown;
}

/** What observing a config came to: the whole observation, or every resource that could not be observed. */
export type RunObservation =
  | { ok: true; observation: Observation; warnings: string[] }
  | { ok: false; failures: ObservationFailure[]; warnings: string[] };

/** Progress of a run's observation. */
export interface ObserveHooks {
  /** Called as each resource's observation ends (failed or not): `what` is `link NAME`, `org ORG` or `sweep NAME`. */
  onObserved?(done: number, total: number, what: string): void;
}

/**
 * Observes every declared link, org and sweep. All observations run to the end even when some fail;
 * the failures are then returned together. `warnings`: a cache that could not be kept (it only costs
 * the next run some requests).
 */
export async function observeRun(loaded: LoadedConfig, ctx: OperationContext, hooks: ObserveHooks = {}): Promise<RunObservation> {
  const { links, orgAccess } = loaded.config;
  const sweeps = loaded.config.sweeps ?? [];
  const declaredBuilds = liveBuilds(loaded).length;
  const total = links.length + orgAccess.length + sweeps.length + declaredBuilds;
  let finished = 0;
  const tick = (what: string): void => hooks.onObserved?.(++finished, total, what);

  // One observer for the run: each namespace's build-service links are listed once, not once per link,
  // and every declared link (of every file) counts as another live link when judging what to keep.
  const reads = new RunReads(ctx, links);
  const observeLink = linkObserver(ctx, links, reads);
  const linkResults = await settleAll(links, OBSERVE_CONCURRENCY, async (spec) => {
    const observed = await observeLink(spec);
    tick(`link ${spec.name}`);
    return observed;
  });
  // Org access may be read through a link, so orgs are observed once the links' observations are in.
  const orgResults = await settleAll(orgAccess, RESOURCE_CONCURRENCY, async (spec) => {
    const observed = await observeOrgAccess(ctx, spec, links, reads.world ?? undefined);
    tick(`org ${spec.org}`);
    return observed;
  });
  // Sweeps classify against every declared link and the build service's records, read once for all of them.
  // The links' reads are shared: a repository a link listed is not listed again by its owner's sweep.
  const sweepLinks = new SweepLinkWorld(ctx, links, reads);
  const sweepResults = await settleAll(sweeps, RESOURCE_CONCURRENCY, async (spec) => {
    const observed = await observeSweep(ctx, spec, sweepLinks);
    tick(`sweep ${spec.name}`);
    return observed;
  });
  // Replacement builds read their own repositories and CI, apart from the links' reads.
  const built = declaredBuilds === 0 ? null : await observeBuilds(loaded, ctx, tick);
  // The reads are done: keep their ETags for the next run (a no-op without a cache file).
  const warnings = (await ctx.clients.flush?.()) ?? [];
  // Likewise the swept owners' verified inventories (refresh-owner.ts): without them the next run reads those owners in full.
  await ctx.refresh?.store.save().catch((error: unknown) => {
    warnings.push(
      `sourcelinks: warning: the swept owners' inventories were not kept (${error instanceof Error ? error.message : String(error)}); the next run reads them in full`,
    );
  });
  // And the builds' verifications (carried-verifications.ts): without them the next run verifies every build in full.
  await ctx.verifications?.store.save().catch((error: unknown) => {
    warnings.push(
      `sourcelinks: warning: the builds' verifications were not kept (${error instanceof Error ? error.message : String(error)}); the next run verifies them in full`,
    );
  });

  const failures: ObservationFailure[] = [];
  const out: Observation = { links: [], orgs: [], sweeps: [], liveLinkIds: new Set() };
  linkResults.forEach((result, i) => {
    const spec = links[i] as LinkSpec;
    const pointer = `/links/${i}`;
    if (result.status === "rejected") failures.push({ pointer, resource: `link ${spec.name}`, error: result.reason });
    else
      out.links.push({
        resource: "link",
        pointer,
        location: loaded.locate(pointer),
        spec,
        observed: withRecordedLinkSteps(result.value, spec.manualSteps),
      });
  });
  orgResults.forEach((result, i) => {
    const spec = orgAccess[i] as OrgAccessSpec;
    const pointer = `/orgAccess/${i}`;
    if (result.status === "rejected") failures.push({ pointer, resource: `org access ${spec.org}`, error: result.reason });
    else
      out.orgs.push({
        resource: "orgAccess",
        pointer,
        location: loaded.locate(pointer),
        spec,
        observed: withRecordedOrgSteps(spec, result.value),
      });
  });
  sweepResults.forEach((result, i) => {
    const spec = sweeps[i] as SweepSpec;
    const pointer = `/sweeps/${i}`;
    if (result.status === "rejected") failures.push({ pointer, resource: `sweep ${spec.name}`, error: result.reason });
    else out.sweeps.push({ resource: "sweep", pointer, location: loaded.locate(pointer), spec, observed: result.value });
  });
  if (built !== null) {
    failures.push(...built.failures);
    out.builds = built.builds;
    out.verdicts = built.verdicts;
  }
  if (failures.length > 0) return { ok: false, failures, warnings };
  out.liveLinkIds = await liveLinkIds(reads.world, links);
  return { ok: true, observation: out, warnings };
}

/** The live link ids of the declared links' namespaces, from the records their observation already listed. */
async function liveLinkIds(world: RunWorld | null, links: readonly LinkSpec[]): Promise<Set<string>> {
  // docker-hub: no link API; the revocation guard counts its declared links instead.
  if (world === null) return new Set();
  const namespaces = [...new Set(links.map((l) => l.namespace))];
  const listed = await Promise.all(namespaces.map((ns) => world.records(ns)));
  return new Set(listed.flat().flatMap((record) => (isLive(record.state) ? [record.id] : [])));
}
