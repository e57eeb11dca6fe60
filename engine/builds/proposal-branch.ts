/**
 * Whether a replacement's proposal may write its branch (pure): a proposal never overwrites anyone's
 * work. The branch is created when missing; reset to the default branch only when its head is the head
 * a merged pull request took in (every commit on it is on the default branch already); written on top
 * only when its head is sourcelinks' own commit (nobody pushed since); otherwise it is held back, since
 * a branch of that name with someone else's commits (pushed to a closed pull request, or made for
 * another reason) is theirs to delete or merge.
 */
import type { BranchCommit, BranchUse, ProposalPullRequest, ProposalState } from "../model/replacement.js";

/** The trailer of every commit a proposal writes: how a later run tells its own branch head from someone else's. */
export const PROPOSAL_TRAILER = "Proposed-by: sourcelinks";

/** `message` with the proposal's trailer, as the commit that writes the CI file carries it. */
export function proposalCommitMessage(message: string): string {
  return `${message}\n\n${PROPOSAL_TRAILER}`;
}

/** Whether a commit message carries the proposal's trailer (a line of its own, as git trailers are). */
export function writtenBySourcelinks(message: string): boolean {
  return message.split(/\r?\n/).some((line) => line.trim() === PROPOSAL_TRAILER);
}

/** What deciding needs of an observation. */
export interface BranchFacts {
  state: ProposalState;
  /** The proposal branch's head, or null when there is no such branch. */
  head: BranchCommit | null;
  /** Whether the branch already holds the rendered bytes. */
  branchCurrent: boolean;
  /** Every pull request from the branch into the default branch. */
  pullRequests: readonly ProposalPullRequest[];
}

/** How the proposal may use its branch. */
export function branchUse(facts: BranchFacts): BranchUse {
  const { head } = facts;
  if (facts.state === "merged") return "keep";
  if (head === null) return "create";
  const ours = writtenBySourcelinks(head.message);
  if (facts.pullRequests.some((p) => p.state === "open")) return facts.branchCurrent ? "keep" : ours ? "update" : "hold";
  if (facts.pullRequests.some((p) => p.state === "merged" && p.headSha === head.sha)) return "reset";
  if (ours) return facts.branchCurrent ? "keep" : "update";
  return "hold";
}

/** The located plan and check line of a held proposal (the caller adds where the build is declared). */
export function heldBranchReason(repository: string, branch: string): string {
  return `branch ${branch} of ${repository} has commits not written by sourcelinks; delete it or merge it`;
}
