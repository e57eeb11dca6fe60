/**
 * Pull requests between branches of one repository (https://docs.github.com/en/rest/pulls/pulls):
 * open (`POST`), list (`GET`, with `state`, `head` and `base`), read, update (`PATCH`: title, body,
 * state) and merge (`PUT …/merge`: a merge commit on the base branch, announced by git/landed.ts).
 */
import type { RouteContext, RouteResponse, Router } from "../router.js";
import type { GitHubPullState, GitHubRepoState } from "../world.js";
import { commitLanded } from "../git/landed.js";
import { branchHead, gitOf, mergeBranches, nothingToMerge } from "../git/model.js";
import { authed, repoFor, sameLogin, type Caller, type Lookup } from "./auth.js";
import { pullWire } from "./content-wire.js";
import { clockStamp } from "./git-routes.js";
import { githubError, notFound, paginate, validationFailed } from "./respond.js";

function bodyOf(ctx: RouteContext): Record<string, unknown> {
  return typeof ctx.body === "object" && ctx.body !== null && !Array.isArray(ctx.body) ? (ctx.body as Record<string, unknown>) : {};
}

/** The head and base commits a pull request shows: the branches' heads while open, the merged commits after a merge, the head it was closed at after a close. */
function heads(repo: GitHubRepoState, pull: GitHubPullState): { head: string; base: string } {
  const git = gitOf(repo, repo.name);
  const merge = pull.mergeCommitSha === null ? undefined : git.commits[pull.mergeCommitSha];
  return {
    head: merge?.parents[1] ?? pull.closedHeadSha ?? git.branches[pull.head] ?? "0".repeat(40),
    base: merge?.parents[0] ?? git.branches[pull.base] ?? "0".repeat(40),
  };
}

function wire(ctx: RouteContext, repo: GitHubRepoState, pull: GitHubPullState, full: boolean): unknown {
  return pullWire(ctx.mountUrl, ctx.world, repo, pull, heads(repo, pull), full);
}

/** A `head` filter (`owner:branch` or `branch`) as the branch name, if the owner is the repository's. */
function headBranch(repo: GitHubRepoState, raw: string): string | null {
  const colon = raw.indexOf(":");
  if (colon < 0) return raw;
  return sameLogin(raw.slice(0, colon), repo.owner) ? raw.slice(colon + 1) : null;
}

/** Registers the pull request routes. */
export function registerPullRoutes(router: Router): void {
  router.add(
    "GET",
    "/repos/:owner/:repo/pulls",
    authed((ctx, caller) => {
      const found = repoFor(ctx, caller, "read");
      if (!found.ok) return found.response;
      const repo = found.value;
      const state = ctx.url.searchParams.get("state") ?? "open";
      const head = ctx.url.searchParams.get("head");
      const base = ctx.url.searchParams.get("base");
      const branch = head === null ? undefined : headBranch(repo, head);
      const pulls = (repo.pulls ?? [])
        .filter((p) => state === "all" || p.state === state)
        .filter((p) => branch === undefined || p.head === branch)
        .filter((p) => base === null || p.base === base)
        // GitHub lists the newest first.
        .sort((a, b) => b.number - a.number);
      return paginate(
        ctx,
        pulls.map((p) => wire(ctx, repo, p, false)),
      );
    }),
  );

  router.add(
    "POST",
    "/repos/:owner/:repo/pulls",
    authed((ctx, caller) => {
      const found = repoFor(ctx, caller, "admin");
      if (!found.ok) return found.response;
      return openPull(ctx, caller, found.value);
    }),
  );

  router.add(
    "GET",
    "/repos/:owner/:repo/pulls/:pull_number",
    authed((ctx, caller) => {
      const found = pullFor(ctx, caller, "read");
      if (!found.ok) return found.response;
      const { repo, pull } = found.value;
      return { status: 200, body: wire(ctx, repo, pull, true) };
    }),
  );

  router.add(
    "PATCH",
    "/repos/:owner/:repo/pulls/:pull_number",
    authed((ctx, caller) => {
      const found = pullFor(ctx, caller, "admin");
      if (!found.ok) return found.response;
      const { repo, pull } = found.value;
      const { title, body, state } = bodyOf(ctx);
      if (title !== undefined && (typeof title !== "string" || title.trim() === ""))
        return validationFailed([{ resource: "PullRequest", code: "invalid", field: "title" }]);
      if (body !== undefined && body !== null && typeof body !== "string")
        return validationFailed([{ resource: "PullRequest", code: "invalid", field: "body" }]);
      if (state !== undefined && state !== "open" && state !== "closed")
        return validationFailed([{ resource: "PullRequest", code: "invalid", field: "state" }]);
      if (pull.merged && state === "open")
        return validationFailed([{ resource: "PullRequest", code: "custom", message: "Cannot reopen a merged pull request" }]);
      const now = clockStamp(ctx);
      if (typeof title === "string") pull.title = title;
      if (body !== undefined) pull.body = body as string | null;
      const head = gitOf(repo, repo.name).branches[pull.head] ?? null;
      if (state === "closed" && pull.state === "open") Object.assign(pull, { state: "closed", closed_at: now, closedHeadSha: head });
      if (state === "open" && pull.state === "closed") Object.assign(pull, { state: "open", closed_at: null, closedHeadSha: null });
      pull.updated_at = now;
      return { status: 200, body: wire(ctx, repo, pull, true) };
    }),
  );

  router.add(
    "PUT",
    "/repos/:owner/:repo/pulls/:pull_number/merge",
    authed((ctx, caller) => {
      const found = pullFor(ctx, caller, "admin");
      if (!found.ok) return found.response;
      return mergePull(ctx, caller, found.value.repo, found.value.pull);
    }),
  );
}

function openPull(ctx: RouteContext, caller: Caller, repo: GitHubRepoState): RouteResponse {
  const { title, head, base, body } = bodyOf(ctx);
  if (typeof title !== "string" || title.trim() === "")
    return validationFailed([{ resource: "PullRequest", code: "missing_field", field: "title" }]);
  if (typeof head !== "string") return validationFailed([{ resource: "PullRequest", code: "missing_field", field: "head" }]);
  if (typeof base !== "string") return validationFailed([{ resource: "PullRequest", code: "missing_field", field: "base" }]);
  const git = gitOf(repo, repo.name);
  const branch = headBranch(repo, head);
  if (branch === null || git.branches[branch] === undefined)
    return validationFailed([{ resource: "PullRequest", code: "invalid", field: "head" }]);
  if (git.branches[base] === undefined) return validationFailed([{ resource: "PullRequest", code: "invalid", field: "base" }]);
  const pulls = (repo.pulls ??= []);
  if (pulls.some((p) => p.state === "open" && p.head === branch && p.base === base))
    return validationFailed([
      { resource: "PullRequest", code: "custom", message: `A pull request already exists for ${repo.owner}:${branch}.` },
    ]);
  if (nothingToMerge(git, branch, base))
    return validationFailed([{ resource: "PullRequest", code: "custom", message: `No commits between ${base} and ${branch}` }]);
  const now = clockStamp(ctx);
  const pull: GitHubPullState = {
    number: pulls.reduce((n, p) => Math.max(n, p.number), 0) + 1,
    id: ctx.world.nextId++,
    title,
    body: typeof body === "string" ? body : null,
    head: branch,
    base,
    state: "open",
    merged: false,
    mergeCommitSha: null,
    user: caller.login,
    created_at: now,
    updated_at: now,
    closed_at: null,
    merged_at: null,
    mergedBy: null,
  };
  pulls.push(pull);
  return {
    status: 201,
    body: wire(ctx, repo, pull, true),
    headers: { location: `${ctx.mountUrl}/repos/${repo.owner}/${repo.name}/pulls/${pull.number}` },
  };
}

function mergePull(ctx: RouteContext, caller: Caller, repo: GitHubRepoState, pull: GitHubPullState): RouteResponse {
  if (pull.state !== "open") return githubError(405, "Pull Request is not mergeable");
  const git = gitOf(repo, repo.name);
  const { sha, commit_title: commitTitle } = bodyOf(ctx);
  const head = branchHead(git, pull.head);
  if (!head) return githubError(405, "Pull Request is not mergeable");
  if (typeof sha === "string" && sha !== head.sha) return githubError(409, "Head branch was modified. Review and try the merge again.");
  const message = typeof commitTitle === "string" ? commitTitle : `Merge pull request #${pull.number} from ${repo.owner}/${pull.head}`;
  const now = clockStamp(ctx);
  const merged = mergeBranches(git, pull.head, pull.base, message, now);
  if (merged === null) return githubError(405, "Pull Request is not mergeable");
  Object.assign(pull, {
    state: "closed",
    merged: true,
    mergeCommitSha: merged.sha,
    merged_at: now,
    closed_at: now,
    updated_at: now,
    mergedBy: caller.login,
  });
  commitLanded({
    world: ctx.world,
    clock: ctx.clock,
    provider: "github",
    repository: `${repo.owner}/${repo.name}`,
    branch: pull.base,
    defaultBranch: pull.base === git.defaultBranch,
    sha: merged.sha,
    message,
    files: merged.files,
    via: "merge",
    pullRequest: pull.number,
  });
  return { status: 200, body: { sha: merged.sha, merged: true, message: "Pull Request successfully merged" } };
}

function pullFor(ctx: RouteContext, caller: Caller, need: "read" | "admin"): Lookup<{ repo: GitHubRepoState; pull: GitHubPullState }> {
  const found = repoFor(ctx, caller, need);
  if (!found.ok) return found;
  const raw = ctx.params.pull_number ?? "";
  const pull = /^\d+$/.test(raw) ? found.value.pulls?.find((p) => p.number === Number(raw)) : undefined;
  return pull ? { ok: true, value: { repo: found.value, pull } } : { ok: false, response: notFound() };
}
