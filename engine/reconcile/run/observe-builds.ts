/**
 * Observing a config's replacement builds for a run: each rendered file's repository once (the planner
 * and verification both read that observation), then the verdict on every build not retired on purpose.
 * A file verified in an earlier run whose default branch has not moved is carried over, marked so
 * (carried-verifications.ts).
 */
import { buildKey } from "../../builds/continuity.js";
import { proposalTargets, type ProposalTarget } from "../../builds/proposal.js";
import { judgeReplacement } from "../../builds/verify.js";
import type { LoadedConfig } from "../../config/loaded-config.js";
import type { BuildSpec } from "../../model/build-spec.js";
import type { ReplacementVerdict } from "../../model/replacement-run.js";
import type { OperationContext } from "../context.js";
import { settleAll } from "../map-limit.js";
import {
  buildsOf,
  carriedByKey,
  observationsOf,
  observeOrCarry,
  rememberVerifications,
  type ObservedTarget,
} from "../carried-verifications.js";
import { verifyReplacements } from "../verify-replacements.js";
import { RESOURCE_CONCURRENCY } from "./concurrency.js";
import type { ObservedBuildEntry } from "./entries.js";
import type { ObservationFailure } from "./observe-run.js";

/** What observing the builds came to: entries and verdicts, or the files that could not be observed. */
export interface BuildsObservation {
  builds: ObservedBuildEntry[];
  verdicts: Map<string, ReplacementVerdict>;
  failures: ObservationFailure[];
}

/** The builds a run proposes and waits for: every declared one but those retired on purpose. */
export function liveBuilds(loaded: LoadedConfig): BuildSpec[] {
  return (loaded.config.builds ?? []).filter((b) => b.replacement !== "none");
}

/** The pointer of `target`'s first build in the merged `builds`. */
function pointerOf(builds: readonly BuildSpec[], target: ProposalTarget): string {
  const i = builds.findIndex(
    (b) => b.provider === target.provider && b.repository === target.repository && target.images.includes(b.image),
  );
  return `/builds/${Math.max(i, 0)}`;
}

/**
 * Observes each proposal target and judges every build. A run without Docker Hub's API configured
 * cannot verify, so a merged build stays `merged` there (and a revocation waiting for it stays held).
 */
export async function observeBuilds(loaded: LoadedConfig, ctx: OperationContext, tick: (what: string) => void): Promise<BuildsObservation> {
  const live = liveBuilds(loaded);
  const all = loaded.config.builds ?? [];
  const targets = proposalTargets(live);
  const verifiedAt = ctx.verifications?.now() ?? 0;
  const results = await settleAll(targets, RESOURCE_CONCURRENCY, async (target) => {
    const observed = await observeOrCarry(ctx, target, buildsOf(target, live), undefined);
    tick(`build ${target.images.join(", ")}`);
    return observed;
  });
  const builds: ObservedBuildEntry[] = [];
  const observedTargets: ObservedTarget[] = [];
  const failures: ObservationFailure[] = [];
  results.forEach((result, i) => {
    const target = targets[i] as ProposalTarget;
    const pointer = pointerOf(all, target);
    if (result.status === "rejected") failures.push({ pointer, resource: `build ${target.images.join(", ")}`, error: result.reason });
    else {
      observedTargets.push(result.value);
      builds.push({ resource: "build", pointer, location: loaded.locate(pointer), target, observed: result.value.observed, verdicts: [] });
    }
  });
  if (failures.length > 0) return { builds, verdicts: new Map(), failures };
  const observations = observationsOf(observedTargets);
  const carried = carriedByKey(observedTargets);
  const readers = ctx.clients.verification;
  const verdicts =
    readers === undefined
      ? live.map(
          (build) =>
            carried.get(buildKey(build)) ??
            judgeReplacement({
              build,
              observation: observations.find((o) => o.repository === build.repository && o.images.includes(build.image)) ?? null,
              run: null,
              pushed: null,
            }),
        )
      : await verifyReplacements(live, observations, readers, { concurrency: RESOURCE_CONCURRENCY, carried });
  const byKey = new Map(verdicts.map((v, i) => [buildKey(live[i] as BuildSpec), v]));
  for (const entry of builds)
    entry.verdicts = entry.target.images.flatMap((image) => {
      const verdict = byKey.get(buildKey({ image, repository: entry.target.repository }));
      return verdict === undefined ? [] : [verdict];
    });
  rememberVerifications(ctx, builds, live, byKey, { ref: undefined, verifiedAt });
  return { builds, verdicts: byKey, failures };
}
