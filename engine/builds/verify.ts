/**
 * Verification of a replacement build, as pure logic: after the merge, the replacement's first run for
 * the default branch (or a declared ref) finished with success, and every tag that run should have
 * pushed (the rules' tags for that ref, `autobuild: false` rules excluded) exists on Docker Hub with a
 * `tag_last_pushed` later than the run's start. The clients fetch the run and the tags; this judges them.
 */
import type { BuildSpec } from "../model/build-spec.js";
import type { ReplacementObservation } from "../model/replacement.js";
import type { ReplacementRun, ReplacementVerdict, VerifiedTag } from "../model/replacement-run.js";
import { buildTags } from "./tags.js";

/** The tags a push of `ref` makes `build` push, in rule order, each once. */
export function expectedTags(build: BuildSpec, ref: string): string[] {
  const tags = buildTags(build, { ref })
    .builds.filter((b) => b.push)
    .flatMap((b) => b.tags);
  return [...new Set(tags)];
}

/** The first completed-or-not run of `runs` that verification reads: the earliest started on `sha` (and for `ref`, when given: one commit may be the head of several branches). */
export function firstRunOn(runs: readonly ReplacementRun[], sha: string, ref?: string): ReplacementRun | null {
  const on = runs.filter((r) => r.headSha === sha && (ref === undefined || r.ref === ref));
  on.sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  return on[0] ?? null;
}

/** What verification needs of one build: its observation, the first run after the merge, and the tags Docker Hub holds. */
export interface VerificationInput {
  build: BuildSpec;
  /** What observing the repository found; null when it was not observed (no credentials). */
  observation: ReplacementObservation | null;
  /** The replacement's first run on the merged commit, or null when there is none yet. */
  run: ReplacementRun | null;
  /** `tag_last_pushed` by tag name, for the tags asked; null when the image does not exist on Docker Hub. */
  pushed: ReadonlyMap<string, string | null> | null;
  /** The ref whose run is read; default the branch the build declares (`verify.branch`), else the observed default branch. */
  ref?: string;
}

/** The verdict on one build. */
export function judgeReplacement(input: VerificationInput): ReplacementVerdict {
  const { build, observation, run } = input;
  // Never a guessed branch: unobserved and undeclared, the ref is unknown (null).
  const branch = build.verify?.branch ?? observation?.defaultBranch ?? null;
  const ref = input.ref ?? (branch === null ? null : `refs/heads/${branch}`);
  const base = {
    image: build.image,
    provider: build.provider,
    repository: build.repository,
    ref,
    pullRequest: observation?.pullRequest ?? null,
    run,
  };
  // A build never observed has no branch to push from: naming tags it "should" push would be a guess.
  const expected = observation === null || ref === null ? [] : expectedTags(build, ref);
  const tags: VerifiedTag[] = expected.map((name) => {
    const lastPushed = input.pushed?.get(name) ?? null;
    const fresh = lastPushed !== null && run !== null && Date.parse(lastPushed) > Date.parse(run.startedAt);
    return { name, lastPushed, fresh };
  });
  const verdict = (state: ReplacementVerdict["state"], reason: string | null): ReplacementVerdict => ({ ...base, state, reason, tags });
  if (observation === null) return verdict("absent", `${build.repository} was not observed`);
  // Held: nothing is proposed or updated until the branch's owner deletes or merges it.
  if (observation.held !== null && observation.state !== "merged")
    return verdict(observation.state, `the proposal is held back: ${observation.held}`);
  if (observation.state === "absent") return verdict("absent", `no pull request proposes ${observation.path} in ${build.repository}`);
  if (observation.state === "proposed")
    return verdict("proposed", `pull request #${observation.pullRequest?.number ?? "?"} is not merged into ${observation.defaultBranch}`);
  if (run === null) {
    const sha = verifiedSha(build, observation);
    if (sha === null)
      return verdict(
        "merged",
        `branch ${branch}, where ${build.image} is verified (verify.branch), does not exist in ${build.repository} yet`,
      );
    const how = build.verify === undefined ? "" : `: push to ${branch} (or merge ${observation.defaultBranch} into it)`;
    return verdict("merged", `no run of ${observation.path} on ${branch} (${short(sha)}) yet${how}`);
  }
  if (run.status !== "completed") return verdict("merged", `run ${run.url} is ${run.status.replace("_", " ")}`);
  if (run.conclusion !== "success") return verdict("failing", `run ${run.url} finished with ${run.conclusion ?? "no conclusion"}`);
  if (expected.length === 0) return verdict("failing", `no rule of ${build.image} pushes a tag for ${ref}`);
  const stale = tags.filter((t) => !t.fresh);
  if (stale.length > 0) {
    const what = stale.map((t) => (t.lastPushed === null ? `${t.name} (not on Docker Hub)` : `${t.name} (last pushed ${t.lastPushed})`));
    return verdict("failing", `run ${run.url} succeeded, but ${build.image} has no push after its start of ${what.join(", ")}`);
  }
  return verdict("verified", null);
}

/** The commit whose runs verify `build`: its declared branch's head (null: no such branch), else the default branch's. */
export function verifiedSha(build: BuildSpec, observation: ReplacementObservation): string | null {
  const branch = build.verify?.branch;
  return branch === undefined ? observation.defaultSha : (observation.verifyHeads[branch] ?? null);
}

function short(sha: string): string {
  return sha.slice(0, 7);
}
