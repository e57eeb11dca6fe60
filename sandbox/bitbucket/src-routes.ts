/**
 * Files, branches and pull requests of the sandbox's Bitbucket, over the git model (git/model.ts):
 * `POST …/src` commits form fields as files on a branch (created from `parents` or the main branch),
 * `GET …/src/{commit}/{path}` reads one raw, `GET …/refs/branches/{name}` names a branch's head, and
 * `…/pullrequests` opens, lists, updates, merges (a merge commit announced by git/landed.ts) and declines.
 * https://developer.atlassian.com/cloud/bitbucket/rest/api-group-source/ and api-group-pullrequests/.
 */
import type { RouteContext, RouteResponse } from "../router.js";
import { json } from "../router.js";
import type { BitbucketPullState, BitbucketRepoState } from "../world.js";
import { commitLanded } from "../git/landed.js";
import { branchHead, commitOnBranch, gitOf, mergeBranches, nothingToMerge, resolveRef } from "../git/model.js";
import { withRepository, type BitbucketCaller } from "./auth.js";
import { bbError, paged, repoHref, repoRef } from "./wire.js";

/** Form fields of `POST …/src` that are not file paths. */
const SRC_FIELDS = new Set(["message", "branch", "parents", "author", "files"]);

function bodyOf(ctx: RouteContext): Record<string, unknown> {
  return typeof ctx.body === "object" && ctx.body !== null && !Array.isArray(ctx.body) ? (ctx.body as Record<string, unknown>) : {};
}

function stamp(ctx: RouteContext): string {
  return new Date(ctx.clock.now()).toISOString();
}

function fullName(repo: BitbucketRepoState): string {
  return `${repo.workspace}/${repo.slug}`;
}

/** `POST …/src`: 201 with the new commit's URL in `Location`. */
export const postSrc = withRepository((ctx, repo) => {
  const body = bodyOf(ctx);
  const git = gitOf(repo, repo.slug);
  const branch = typeof body.branch === "string" && body.branch !== "" ? body.branch : git.defaultBranch;
  const parents = typeof body.parents === "string" ? body.parents : undefined;
  if (parents !== undefined && resolveRef(git, parents) === undefined) return bbError(400, `parents: commit ${parents} not found`);
  const from = parents === undefined ? git.branches[git.defaultBranch] : resolveRef(git, parents)?.sha;
  // With `parents`, the branch must still be at that commit: Bitbucket refuses a stale write.
  const head = branchHead(git, branch);
  if (head && parents !== undefined && head.sha !== resolveRef(git, parents)?.sha)
    return bbError(409, `Branch ${branch} has moved since commit ${parents}`);
  const changes: Record<string, string | null> = {};
  for (const [field, value] of Object.entries(body)) {
    if (SRC_FIELDS.has(field) || typeof value !== "string") continue;
    changes[field.replace(/^\/+/, "")] = Buffer.from(value, "utf8").toString("base64");
  }
  if (typeof body.files === "string" && changes[body.files.replace(/^\/+/, "")] === undefined)
    changes[body.files.replace(/^\/+/, "")] = null;
  if (Object.keys(changes).length === 0) return bbError(400, "No files to commit");
  const message = typeof body.message === "string" ? body.message : "Commit from the API";
  const commit = commitOnBranch(git, branch, changes, message, stamp(ctx), from);
  commitLanded({
    world: ctx.world,
    clock: ctx.clock,
    provider: "bitbucket",
    repository: fullName(repo),
    branch,
    defaultBranch: branch === git.defaultBranch,
    sha: commit.sha,
    message,
    files: commit.files,
    via: "push",
  });
  return { status: 201, headers: { location: `${repoHref(ctx, repo)}/commit/${commit.sha}` } };
});

/** `GET …/src/{commit}/{path}`: the raw file; `{commit}` may be a branch name. */
export const getSrc = withRepository((ctx, repo) => {
  const git = gitOf(repo, repo.slug);
  const commit = resolveRef(git, ctx.params.commit ?? "");
  if (!commit) return bbError(404, `Commit not found: ${ctx.params.commit ?? ""}`);
  const content = commit.files[ctx.params.path ?? ""];
  if (content === undefined) return bbError(404, `No such file or directory: ${ctx.params.path ?? ""}`);
  return { status: 200, headers: { "content-type": "application/octet-stream" }, body: Buffer.from(content, "base64").toString("utf8") };
});

/** `GET …/refs/branches/{name}`. */
export const getBranch = withRepository((ctx, repo) => {
  const git = gitOf(repo, repo.slug);
  const name = ctx.params.name ?? "";
  const head = branchHead(git, name);
  if (!head) return bbError(404, `Branch "${name}" not found`);
  return json(200, {
    type: "branch",
    name,
    target: { type: "commit", hash: head.sha, date: head.date, message: head.message, repository: repoRef(ctx, repo) },
    links: { self: { href: `${repoHref(ctx, repo)}/refs/branches/${name}` } },
  });
});

function pullWire(ctx: RouteContext, repo: BitbucketRepoState, pull: BitbucketPullState): Record<string, unknown> {
  const git = gitOf(repo, repo.slug);
  const side = (branch: string, frozen?: string | null): Record<string, unknown> => {
    const hash = frozen ?? git.branches[branch];
    return { branch: { name: branch }, commit: hash === undefined ? null : { type: "commit", hash }, repository: repoRef(ctx, repo) };
  };
  const self = `${repoHref(ctx, repo)}/pullrequests/${pull.id}`;
  return {
    type: "pullrequest",
    id: pull.id,
    title: pull.title,
    description: pull.description,
    state: pull.state,
    author: { type: "user", username: pull.author, display_name: pull.author },
    // Once merged or declined, the source stays at the commit it was then.
    source: side(pull.source, pull.sourceSha),
    destination: side(pull.destination),
    merge_commit: pull.mergeCommitSha === null ? null : { type: "commit", hash: pull.mergeCommitSha },
    close_source_branch: false,
    created_on: pull.created_on,
    updated_on: pull.updated_on,
    links: {
      self: { href: self },
      html: { href: `https://bitbucket.org/${fullName(repo)}/pull-requests/${pull.id}` },
      merge: { href: `${self}/merge` },
    },
  };
}

function branchOf(side: unknown): string | null {
  if (typeof side !== "object" || side === null) return null;
  const branch = (side as { branch?: unknown }).branch;
  if (typeof branch !== "object" || branch === null) return null;
  const name = (branch as { name?: unknown }).name;
  return typeof name === "string" ? name : null;
}

/** `GET …/pullrequests`: `state` (repeatable, default OPEN) and `q=source.branch.name="…"` filter, newest first. */
export const listPulls = withRepository((ctx, repo) => {
  const states = ctx.url.searchParams.getAll("state");
  const wanted = states.length === 0 ? ["OPEN"] : states.map((s) => s.toUpperCase());
  const q = /source\.branch\.name\s*=\s*"([^"]*)"/.exec(ctx.url.searchParams.get("q") ?? "");
  const pulls = (repo.pulls ?? [])
    .filter((p) => wanted.includes(p.state))
    .filter((p) => q === null || p.source === q[1])
    .sort((a, b) => b.id - a.id);
  return paged(
    ctx,
    pulls.map((p) => pullWire(ctx, repo, p)),
  );
});

/** `POST …/pullrequests`: 201, or 400 when the branches are missing, equal, or already have an open pull request. */
export const createPull = withRepository((ctx, repo, caller) => {
  const body = bodyOf(ctx);
  const git = gitOf(repo, repo.slug);
  const source = branchOf(body.source);
  const destination = branchOf(body.destination) ?? git.defaultBranch;
  if (typeof body.title !== "string" || body.title.trim() === "") return bbError(400, "title: This field is required.");
  if (source === null || git.branches[source] === undefined) return bbError(400, "source: Branch not found");
  if (git.branches[destination] === undefined) return bbError(400, "destination: Branch not found");
  if ((repo.pulls ?? []).some((p) => p.state === "OPEN" && p.source === source && p.destination === destination))
    return bbError(400, "Only one pull request may be open for a given source and target branch");
  if (nothingToMerge(git, source, destination)) return bbError(400, "There are no changes to be pulled");
  const now = stamp(ctx);
  const pulls = (repo.pulls ??= []);
  const pull: BitbucketPullState = {
    id: pulls.reduce((n, p) => Math.max(n, p.id), 0) + 1,
    title: body.title,
    description: typeof body.description === "string" ? body.description : "",
    source,
    destination,
    state: "OPEN",
    author: caller.username,
    mergeCommitSha: null,
    created_on: now,
    updated_on: now,
  };
  pulls.push(pull);
  return json(201, pullWire(ctx, repo, pull), { location: `${repoHref(ctx, repo)}/pullrequests/${pull.id}` });
});

/** `PUT …/pullrequests/{id}`: title and description of an open pull request. */
export const updatePull = withPull((ctx, repo, pull) => {
  if (pull.state !== "OPEN") return bbError(400, "Only open pull requests can be updated");
  const body = bodyOf(ctx);
  if (typeof body.title === "string" && body.title.trim() !== "") pull.title = body.title;
  if (typeof body.description === "string") pull.description = body.description;
  pull.updated_on = stamp(ctx);
  return json(200, pullWire(ctx, repo, pull));
});

/** `GET …/pullrequests/{id}`. */
export const getPull = withPull((ctx, repo, pull) => json(200, pullWire(ctx, repo, pull)));

/** `POST …/pullrequests/{id}/merge`: a merge commit on the destination; 200 with the merged pull request. */
export const mergePull = withPull((ctx, repo, pull) => {
  if (pull.state !== "OPEN") return bbError(400, "You can't merge a pull request that is not open");
  const git = gitOf(repo, repo.slug);
  const message = `Merged in ${pull.source} (pull request #${pull.id})`;
  const merged = mergeBranches(git, pull.source, pull.destination, message, stamp(ctx));
  if (merged === null) return bbError(400, "There are no changes to be pulled");
  Object.assign(pull, { state: "MERGED", mergeCommitSha: merged.sha, sourceSha: merged.parents[1] ?? null, updated_on: stamp(ctx) });
  commitLanded({
    world: ctx.world,
    clock: ctx.clock,
    provider: "bitbucket",
    repository: fullName(repo),
    branch: pull.destination,
    defaultBranch: pull.destination === git.defaultBranch,
    sha: merged.sha,
    message,
    files: merged.files,
    via: "merge",
    pullRequest: pull.id,
  });
  return json(200, pullWire(ctx, repo, pull));
});

/** `POST …/pullrequests/{id}/decline`: an open pull request declined (closed unmerged); 200 with it. */
export const declinePull = withPull((ctx, repo, pull) => {
  if (pull.state !== "OPEN") return bbError(400, "You can't decline a pull request that is not open");
  const head = gitOf(repo, repo.slug).branches[pull.source] ?? null;
  Object.assign(pull, { state: "DECLINED", sourceSha: head, updated_on: stamp(ctx) });
  return json(200, pullWire(ctx, repo, pull));
});

function withPull(
  handler: (ctx: RouteContext, repo: BitbucketRepoState, pull: BitbucketPullState, caller: BitbucketCaller) => RouteResponse,
) {
  return withRepository((ctx, repo, caller) => {
    const id = ctx.params.pull_id ?? "";
    const pull = /^\d+$/.test(id) ? repo.pulls?.find((p) => p.id === Number(id)) : undefined;
    return pull ? handler(ctx, repo, pull, caller) : bbError(404, `Pull request ${id} not found`);
  });
}
