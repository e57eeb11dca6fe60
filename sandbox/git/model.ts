/**
 * The sandbox's git model, shared by its GitHub and Bitbucket: a repository's branches, commits and
 * files (world.ts `GitContentState`). Commits hold whole trees, so reading a file at a commit is a
 * lookup and merging is a three-way choice per path. Every commit made here is announced through
 * landed.ts, which is how other sandbox modules (workflow runs) learn of pushes and merges.
 */
import { createHash } from "node:crypto";
import type { GitCommitState, GitContentState } from "../world.js";

/** The instant the first commit of a repository the seed gave no content is dated (so its sha is stable). */
const FIRST_COMMIT_DATE = "2020-01-01T00:00:00Z";

/** Something that may hold git content: a GitHub or Bitbucket repository of the world. */
export interface HasGit {
  git?: GitContentState;
}

/** A new repository's content: `defaultBranch` with one commit of `files` (path → base64). */
export function initialGit(defaultBranch: string, files: Record<string, string>, date = FIRST_COMMIT_DATE): GitContentState {
  const commit = makeCommit([], "Initial commit", date, files);
  return { defaultBranch, branches: { [defaultBranch]: commit.sha }, commits: { [commit.sha]: commit } };
}

/** The repository's git content, created on first use: `main` holding a README naming it. */
export function gitOf(repo: HasGit, name: string): GitContentState {
  repo.git ??= initialGit("main", { "README.md": Buffer.from(`# ${name}\n`).toString("base64") });
  return repo.git;
}

/** The head commit of `branch`, or undefined when there is no such branch. */
export function branchHead(git: GitContentState, branch: string): GitCommitState | undefined {
  const sha = git.branches[branch];
  return sha === undefined ? undefined : git.commits[sha];
}

/** The commit a ref names: a branch name or a full commit sha. */
export function resolveRef(git: GitContentState, ref: string): GitCommitState | undefined {
  return branchHead(git, ref) ?? git.commits[ref];
}

/** Git's blob id of a file (`sha1("blob <size>\0<bytes>")`), which GitHub's contents API calls `sha`. */
export function blobSha(base64: string): string {
  const bytes = Buffer.from(base64, "base64");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/**
 * Commits `changes` (path → base64 bytes, or null to delete) on `branch` over its head, or over
 * `from` (a commit sha) when the branch does not exist yet; moves the branch. Returns the commit.
 */
export function commitOnBranch(
  git: GitContentState,
  branch: string,
  changes: Record<string, string | null>,
  message: string,
  date: string,
  from?: string,
): GitCommitState {
  const parent = branchHead(git, branch) ?? (from === undefined ? undefined : git.commits[from]);
  const files = { ...(parent?.files ?? {}) };
  for (const [path, content] of Object.entries(changes)) {
    if (content === null) delete files[path];
    else files[path] = content;
  }
  return record(git, branch, makeCommit(parent ? [parent.sha] : [], message, date, files));
}

/**
 * Merges `head` into `base` with a merge commit: per path, the head's version where the head changed
 * it since their merge base, else the base's. Returns the commit, or null when the head adds nothing.
 */
export function mergeBranches(git: GitContentState, head: string, base: string, message: string, date: string): GitCommitState | null {
  const headCommit = branchHead(git, head);
  const baseCommit = branchHead(git, base);
  if (!headCommit || !baseCommit) return null;
  const ancestor = mergeBase(git, headCommit.sha, baseCommit.sha);
  const from = ancestor?.files ?? {};
  const files = { ...baseCommit.files };
  let changed = false;
  for (const path of new Set([...Object.keys(from), ...Object.keys(headCommit.files)])) {
    const theirs = headCommit.files[path];
    if (theirs === from[path]) continue;
    if (theirs === undefined) delete files[path];
    else files[path] = theirs;
    changed ||= files[path] !== baseCommit.files[path];
  }
  if (!changed) return null;
  return record(git, base, makeCommit([baseCommit.sha, headCommit.sha], message, date, files));
}

/** Whether `head` holds nothing `base` does not already have, file by file. */
export function nothingToMerge(git: GitContentState, head: string, base: string): boolean {
  const headCommit = branchHead(git, head);
  const baseCommit = branchHead(git, base);
  if (!headCommit || !baseCommit) return true;
  const from = mergeBase(git, headCommit.sha, baseCommit.sha)?.files ?? {};
  return [...new Set([...Object.keys(from), ...Object.keys(headCommit.files)])].every(
    (path) => headCommit.files[path] === from[path] || headCommit.files[path] === baseCommit.files[path],
  );
}

/** The nearest commit both `a` and `b` descend from. */
function mergeBase(git: GitContentState, a: string, b: string): GitCommitState | undefined {
  const ofA = ancestors(git, a);
  const queue = [b];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const sha = queue.shift()!;
    if (seen.has(sha)) continue;
    seen.add(sha);
    if (ofA.has(sha)) return git.commits[sha];
    queue.push(...(git.commits[sha]?.parents ?? []));
  }
  return undefined;
}

function ancestors(git: GitContentState, sha: string): Set<string> {
  const out = new Set<string>();
  const stack = [sha];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (out.has(next)) continue;
    out.add(next);
    stack.push(...(git.commits[next]?.parents ?? []));
  }
  return out;
}

function record(git: GitContentState, branch: string, commit: GitCommitState): GitCommitState {
  git.commits[commit.sha] = commit;
  git.branches[branch] = commit.sha;
  return commit;
}

function makeCommit(parents: string[], message: string, date: string, files: Record<string, string>): GitCommitState {
  const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const sha = createHash("sha1")
    .update(JSON.stringify({ parents, message, date, files: sorted }))
    .digest("hex");
  return { sha, parents, message, date, files: sorted };
}
