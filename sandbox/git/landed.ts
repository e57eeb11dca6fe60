/**
 * "A commit landed on branch B of repository R with these files": the one event the sandbox's git
 * model announces, for every commit its GitHub and Bitbucket routes make (a contents or src write, a
 * merged pull request) and for every GitHub branch created at a commit (a push of a new branch). Other sandbox modules (workflow runs, pipelines) subscribe with
 * `onCommitLanded`; a listener acts on the event's world, so one process may serve several sandboxes.
 */
import type { SandboxClock } from "../clock.js";
import type { World } from "../world.js";

/** One commit that moved a branch. */
export interface CommitLanded {
  /** The world the commit is in (mutations a listener makes are persisted with the request's). */
  world: World;
  clock: SandboxClock;
  provider: "github" | "bitbucket";
  /** `owner/name` (GitHub) or `workspace/slug` (Bitbucket). */
  repository: string;
  branch: string;
  /** True when `branch` is the repository's default branch. */
  defaultBranch: boolean;
  sha: string;
  message: string;
  /** The commit's whole tree: path → base64 bytes. */
  files: Readonly<Record<string, string>>;
  /** `push`: a file written on the branch, or the branch created; `merge`: a pull request merged into it. */
  via: "push" | "merge";
  /** The merged pull request's number, for `merge`. */
  pullRequest?: number;
}

/** Called for each commit, synchronously within the request that made it. */
export type CommitListener = (event: CommitLanded) => void;

const listeners = new Set<CommitListener>();

/** Subscribes to every commit; returns the unsubscribe function. */
export function onCommitLanded(listener: CommitListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Announces a commit to every listener (a listener that throws fails the request, as a handler bug does). */
export function commitLanded(event: CommitLanded): void {
  for (const listener of listeners) listener(event);
}
