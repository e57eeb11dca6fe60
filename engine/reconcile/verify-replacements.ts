/**
 * Verifies each merged replacement build against its CI and Docker Hub: the runs of its file on the
 * merged commit (one request, ETag-cached on GitHub), then, once the first run succeeded, the image's
 * most recently pushed tags (one request; a tag not among them is read on its own only when the page
 * was full), beside one token exchange per run. A build verified in an earlier run whose default
 * branch has not moved since is carried over instead (carried-verifications.ts): one request for its
 * file, its run and its tags. engine/builds/verify.ts judges what they return.
 */
import { buildKey, gatingBuilds, holdReason } from "../builds/continuity.js";
import { proposalTargets } from "../builds/proposal.js";
import { expectedTags, firstRunOn, judgeReplacement, verifiedSha } from "../builds/verify.js";
import type { ReplacementReaders } from "../clients/types.js";
import type { BuildSpec } from "../model/build-spec.js";
import type { ReplacementObservation } from "../model/replacement.js";
import type { ReplacementRun, ReplacementVerdict } from "../model/replacement-run.js";
import type { LinkSpec } from "../model/spec.js";
import type { OperationContext } from "./context.js";
import { mapLimit } from "./map-limit.js";
import { buildsOf, carriedByKey, observationsOf, observeOrCarry, rememberVerifications } from "./carried-verifications.js";

/** Tags read in the one listing request: Docker Hub's largest page. */
const RECENT_TAGS = 100;

/** Options of a verification. */
export interface VerifyOptions {
  /** Builds verified at once; default 8. */
  concurrency?: number;
  /** The ref whose run is read instead of each repository's default branch (e.g. `refs/heads/release`). */
  ref?: string;
  /** Verdicts carried over from an earlier run, by `buildKey`: taken as they are, nothing read for them. */
  carried?: ReadonlyMap<string, ReplacementVerdict>;
}

/** The observation of `build`'s file, if any: same provider and repository, and a file that builds its image. */
export function observationOf(build: BuildSpec, observations: readonly ReplacementObservation[]): ReplacementObservation | null {
  return (
    observations.find((o) => o.provider === build.provider && o.repository === build.repository && o.images.includes(build.image)) ?? null
  );
}

/** The verdict on every build, in input order. */
export function verifyReplacements(
  builds: readonly BuildSpec[],
  observations: readonly ReplacementObservation[],
  readers: ReplacementReaders,
  options: VerifyOptions = {},
): Promise<ReplacementVerdict[]> {
  return mapLimit(builds, options.concurrency ?? 8, async (build) => {
    const carried = options.carried?.get(buildKey(build));
    if (carried !== undefined) return carried;
    const observation = observationOf(build, observations);
    const base = { build, observation, ...(options.ref === undefined ? {} : { ref: options.ref }) };
    if (observation === null || observation.state !== "merged") return judgeReplacement({ ...base, run: null, pushed: null });
    const sha = verifiedSha(build, observation);
    if (sha === null) return judgeReplacement({ ...base, run: null, pushed: null });
    const reader = readers.runs[build.provider];
    if (reader === undefined) throw new Error(`verifying ${build.image}: providers.${build.provider} is not configured`);
    const branchRef = `refs/heads/${build.verify?.branch ?? observation.defaultBranch}`;
    const run = firstRunOn(await reader.runs(build.repository, observation.path, sha), sha, branchRef);
    if (!succeeded(run)) return judgeReplacement({ ...base, run, pushed: null });
    const ref = options.ref ?? branchRef;
    const pushed = await pushedTags(readers, build.image, expectedTags(build, ref));
    return judgeReplacement({ ...base, run, pushed });
  });
}

function succeeded(run: ReplacementRun | null): run is ReplacementRun {
  return run !== null && run.status === "completed" && run.conclusion === "success";
}

/** `tag_last_pushed` of each wanted tag: from the newest page, and one by one only for those a full page may have left out. */
async function pushedTags(
  readers: ReplacementReaders,
  image: string,
  wanted: readonly string[],
): Promise<Map<string, string | null> | null> {
  const recent = await readers.registry.recentTags(image, RECENT_TAGS);
  if (recent === null) return null;
  const pushed = new Map<string, string | null>();
  for (const tag of recent) if (wanted.includes(tag.name)) pushed.set(tag.name, tag.lastPushed);
  const complete = recent.length < RECENT_TAGS;
  for (const name of wanted) {
    if (pushed.has(name)) continue;
    pushed.set(name, complete ? null : ((await readers.registry.tag(image, name))?.lastPushed ?? null));
  }
  return pushed;
}

/**
 * Observes each declared build's proposal and verifies it: the verdict of every build not retired on
 * purpose (`replacement: none`), by `buildKey`. What plan, check and report read before judging a revocation.
 */
export async function observeAndVerify(
  ctx: OperationContext,
  builds: readonly BuildSpec[],
  options: VerifyOptions = {},
): Promise<Map<string, ReplacementVerdict>> {
  const live = builds.filter((b) => b.replacement !== "none");
  if (live.length === 0) return new Map();
  const readers = ctx.clients.verification;
  if (readers === undefined) throw new Error("verifying replacement builds: these clients cannot read CI runs or Docker Hub");
  const verifiedAt = ctx.verifications?.now() ?? 0;
  const targets = proposalTargets(live);
  const observed = await mapLimit(targets, options.concurrency ?? 8, (target) =>
    observeOrCarry(ctx, target, buildsOf(target, live), options.ref),
  );
  const verdicts = await verifyReplacements(live, observationsOf(observed), readers, { ...options, carried: carriedByKey(observed) });
  const byKey = new Map(verdicts.map((v, i) => [buildKey(live[i]!), v]));
  rememberVerifications(
    ctx,
    targets.map((target, i) => ({ target, observed: observed[i]!.observed })),
    live,
    byKey,
    { ref: options.ref, verifiedAt },
  );
  return byKey;
}

/** A revoked link whose revoke steps wait, and for which builds (their index in the merged `builds`) and why. */
export interface HeldRevocation {
  link: string;
  builds: { image: string; repository: string; index: number; reason: string }[];
}

/** The revoked links whose revocation waits for a replacement that is not verified (rule replacement-before-revocation). */
export function heldRevocations(
  links: readonly LinkSpec[],
  builds: readonly BuildSpec[],
  verdicts: ReadonlyMap<string, ReplacementVerdict>,
): HeldRevocation[] {
  const held: HeldRevocation[] = [];
  for (const link of links) {
    if (link.state !== "revoked") continue;
    const waiting = gatingBuilds(link, builds).flatMap(({ build, index }) => {
      const reason = holdReason(build, verdicts.get(buildKey(build)));
      return reason === null ? [] : [{ image: build.image, repository: build.repository, index, reason }];
    });
    if (waiting.length > 0) held.push({ link: link.name, builds: waiting });
  }
  return held;
}
