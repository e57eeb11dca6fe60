/**
 * A replacement build's place in its source repository: whether the CI file `builds render` writes
 * has been proposed (a branch and a pull request) and whether it is on the default branch. The observe
 * phase produces one `ReplacementObservation` per rendered file; the planner turns it into steps, and
 * verification (a run that built and pushed) starts from the `merged` state.
 */
import type { ProviderKind } from "./spec.js";

/**
 * What the repository holds of the proposal: `absent` (the default branch does not hold the rendered
 * bytes and no pull request from the proposal branch is open), `proposed` (a pull request is open),
 * `merged` (the default branch holds exactly the rendered bytes).
 */
export type ProposalState = "absent" | "proposed" | "merged";

/** A proposal's state, then what verification adds: the first run after the merge built and pushed (`verified`) or did not (`failing`). */
export type ReplacementState = ProposalState | "verified" | "failing";

/** A pull request from the proposal branch into the default branch (GitHub pull request or Bitbucket pull request). */
export interface ProposalPullRequest {
  number: number;
  /** The pull request's web page. */
  url: string;
  /** `closed`: closed without merging (GitHub) or declined (Bitbucket). */
  state: "open" | "merged" | "closed";
  /** The commit the pull request's head was at: the branch's head while open, the commit it merged or was closed at after. */
  headSha: string;
}

/** The proposal branch's head commit as the branch read names it. */
export interface BranchCommit {
  sha: string;
  message: string;
}

/** What one observation of a replacement's repository found. */
export interface ReplacementObservation {
  provider: ProviderKind;
  /** `owner/name` (GitHub) or `workspace/slug` (Bitbucket). */
  repository: string;
  /** The Docker Hub images the file builds (one on GitHub; every build of the repository on Bitbucket). */
  images: string[];
  /** The file's path in the repository (`.github/workflows/….yml`, `bitbucket-pipelines.yml`). */
  path: string;
  state: ProposalState;
  defaultBranch: string;
  /** The default branch's head commit when observed: the commit whose runs verification reads once `merged`. */
  defaultSha: string;
  /** Once `merged`: the head commit of each branch a build declares to verify on (`verify.branch`), null when there is no such branch. */
  verifyHeads: Record<string, string | null>;
  /** The branch the proposal is committed on. */
  branch: string;
  /** The proposal branch's head commit, or null when the branch does not exist. */
  branchSha: string | null;
  /** True when the proposal branch already holds the rendered bytes (no commit is needed). */
  branchCurrent: boolean;
  /** The open pull request from `branch`, else the most recent closed or merged one, else null. */
  pullRequest: ProposalPullRequest | null;
  /**
   * Why nothing may be written on the proposal branch (it holds commits sourcelinks did not write, so a
   * write or a reset would overwrite someone's work), located by the caller; null when the proposal may go ahead.
   */
  held: string | null;
}

/**
 * What the proposal may do with its branch: nothing to write (`keep`), `create` it, `reset` it to the
 * default branch (its head is a merged pull request's, so nothing is lost), write on top of it (`update`:
 * its head is sourcelinks' own commit), or `hold` (someone else's commits are on it).
 */
export type BranchUse = "keep" | "create" | "reset" | "update" | "hold";

/**
 * A verification carried over from an earlier run instead of read again: this run read only the
 * heads of the default branch and of the branch verified, and found them where that verification left
 * them, so the merged file, the run on that commit and its verdict stand as they were then. Never
 * presented as observed in this run.
 */
export interface CarriedOver {
  /** When the verification that read the run and the tags ran (ISO 8601). */
  verifiedAt: string;
  /** The branch whose run verified the build (the default branch, or the declared `verify.branch`). */
  branch: string;
  /** Its head commit, then and now. */
  headSha: string;
}

/** A CI secret as observed: set in the repository (or its org secret selected for it), set but not selected, or absent. */
export type ObservedSecretState = "present" | "not-selected" | "absent";

/** Everything observing one replacement's repository read: the state, plus what its planner needs. */
export interface ObservedReplacement extends ReplacementObservation {
  /** What the default branch holds at the file's path (null: no such file). */
  defaultText: string | null;
  /** GitHub's blob sha of that file (null on Bitbucket or when absent). */
  defaultFileSha: string | null;
  /** GitHub's blob sha of the file on the proposal branch, when the branch holds one. */
  branchFileSha: string | null;
  /** How the proposal branch may be written (engine/builds/proposal-branch.ts decides from what was read). */
  branchUse: BranchUse;
  /** Each needed CI secret by name. */
  secrets: Record<string, ObservedSecretState>;
  /** Bitbucket: whether Pipelines is enabled; null on GitHub. */
  pipelinesEnabled: boolean | null;
  /** GitHub with organization secrets: the repository's id; else null. */
  repositoryId: number | null;
  /** Set when this observation is an earlier run's, carried over because the default branch's head had not moved. */
  carriedOver?: CarriedOver;
}
