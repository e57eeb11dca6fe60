/** A replacement build's CI run and the verdict verification reaches on it: the facts plan, check, the report and Pulumi share. */
import type { CarriedOver, ProposalPullRequest, ReplacementState } from "./replacement.js";

/** One CI run (a GitHub Actions workflow run or a Bitbucket pipeline), as its API reports it. */
export interface ReplacementRun {
  /** The run's id in its service (a workflow run id, a pipeline uuid). */
  id: string;
  /** The run's web page. */
  url: string;
  /** The commit it ran on. */
  headSha: string;
  /** The ref it ran for (`refs/heads/main`). */
  ref: string;
  /** When it started (ISO 8601). */
  startedAt: string;
  status: "queued" | "in_progress" | "completed";
  /** `success`, `failure`, `cancelled`… once completed; null before. */
  conclusion: string | null;
}

/** One tag the run should have pushed, and what Docker Hub says of it. */
export interface VerifiedTag {
  name: string;
  /** `tag_last_pushed` (ISO 8601), or null when Docker Hub does not hold the tag. */
  lastPushed: string | null;
  /** True when the tag was pushed after the run started. */
  fresh: boolean;
}

/** What verification found for one build: its state, why it is not verified, the pull request, the run and the tags. */
export interface ReplacementVerdict {
  /** The Docker Hub image (`namespace/name`). */
  image: string;
  provider: "github" | "bitbucket";
  /** The source repository. */
  repository: string;
  state: ReplacementState;
  /** Why the state is not `verified`, in one sentence; null when verified. */
  reason: string | null;
  /** The ref verification reads (the default branch, or a declared ref); null when the build was not observed and no ref is declared. */
  ref: string | null;
  pullRequest: ProposalPullRequest | null;
  run: ReplacementRun | null;
  tags: VerifiedTag[];
  /** Set when the verdict is an earlier run's verification, carried over (its run and tags were not read again). */
  carriedOver?: CarriedOver;
}
