/**
 * Git refs, file contents, commits and pull requests in api.github.com's wire format (OpenAPI
 * schemas `git-ref`, `content-file`, `file-commit`, `pull-request`, `pull-request-simple`), which
 * test/sandbox/openapi-conformance.test.ts checks.
 */
import type { GitCommitState, GitHubPullState, GitHubRepoState, World } from "../world.js";
import { blobSha } from "../git/model.js";
import { accountFor, simpleUser, fullRepository, type WireObject } from "./wire.js";

const HTML_BASE = "https://github.com";

function nodeId(kind: string, key: string | number): string {
  return Buffer.from(`0:${kind}${key}`).toString("base64");
}

/** `git-ref` for `refs/heads/{branch}`. */
export function refWire(api: string, repo: GitHubRepoState, branch: string, sha: string): WireObject {
  const r = `${api}/repos/${repo.owner}/${repo.name}`;
  return {
    ref: `refs/heads/${branch}`,
    node_id: nodeId("Ref", `${repo.id}:${branch}`),
    url: `${r}/git/refs/heads/${branch}`,
    object: { type: "commit", sha, url: `${r}/git/commits/${sha}` },
  };
}

/** The `content-file` fields every answer about a file carries (the body of `file-commit.content` less `content`). */
function fileFields(api: string, repo: GitHubRepoState, path: string, base64: string, ref: string): WireObject {
  const r = `${api}/repos/${repo.owner}/${repo.name}`;
  const sha = blobSha(base64);
  const self = `${r}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const html = `${HTML_BASE}/${repo.owner}/${repo.name}/blob/${ref}/${path}`;
  const git = `${r}/git/blobs/${sha}`;
  return {
    type: "file",
    name: path.split("/").pop() ?? path,
    path,
    sha,
    size: Buffer.from(base64, "base64").length,
    url: self,
    html_url: html,
    git_url: git,
    download_url: `https://raw.githubusercontent.com/${repo.owner}/${repo.name}/${ref}/${path}`,
    _links: { self, git, html },
  };
}

/** `content-file`: GitHub wraps the base64 content at 60 characters, as the sandbox does. */
export function contentFileWire(api: string, repo: GitHubRepoState, path: string, base64: string, ref: string): WireObject {
  return {
    ...fileFields(api, repo, path, base64, ref),
    encoding: "base64",
    content: `${(base64.match(/.{1,60}/g) ?? []).join("\n")}\n`,
  };
}

/** `file-commit`: the answer to `PUT …/contents/{path}`. */
export function fileCommitWire(
  api: string,
  world: World,
  repo: GitHubRepoState,
  path: string,
  commit: GitCommitState,
  branch: string,
  committer: string,
): WireObject {
  const content = commit.files[path];
  return {
    content: content === undefined ? null : fileFields(api, repo, path, content, branch),
    commit: commitWire(api, world, repo, commit, committer),
  };
}

/** The `commit` of a `file-commit`. */
function commitWire(api: string, world: World, repo: GitHubRepoState, commit: GitCommitState, committer: string): WireObject {
  const r = `${api}/repos/${repo.owner}/${repo.name}`;
  const account = accountFor(world, committer);
  const person = { name: account.name ?? account.login, email: `${account.login}@users.noreply.github.com`, date: commit.date };
  return {
    sha: commit.sha,
    node_id: nodeId("Commit", commit.sha),
    url: `${r}/git/commits/${commit.sha}`,
    html_url: `${HTML_BASE}/${repo.owner}/${repo.name}/commit/${commit.sha}`,
    author: person,
    committer: person,
    message: commit.message,
    tree: { sha: commit.sha, url: `${r}/git/trees/${commit.sha}` },
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${r}/git/commits/${sha}`,
      html_url: `${HTML_BASE}/${repo.owner}/${repo.name}/commit/${sha}`,
    })),
    verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
  };
}

/** `branch-with-protection`: the answer to `GET …/branches/{branch}`, its head commit with the message. */
export function branchWire(api: string, world: World, repo: GitHubRepoState, branch: string, commit: GitCommitState): WireObject {
  const r = `${api}/repos/${repo.owner}/${repo.name}`;
  // The git model keeps no committer per commit: the repository's owner stands in.
  const { author, committer, message, tree, url } = commitWire(api, world, repo, commit, repo.owner);
  return {
    name: branch,
    commit: {
      sha: commit.sha,
      node_id: nodeId("Commit", commit.sha),
      commit: { author, committer, message, tree, url, comment_count: 0 },
      url: `${r}/commits/${commit.sha}`,
      html_url: `${HTML_BASE}/${repo.owner}/${repo.name}/commit/${commit.sha}`,
      comments_url: `${r}/commits/${commit.sha}/comments`,
      author: null,
      committer: null,
      parents: commit.parents.map((sha) => ({
        sha,
        url: `${r}/commits/${sha}`,
        html_url: `${HTML_BASE}/${repo.owner}/${repo.name}/commit/${sha}`,
      })),
    },
    _links: { self: `${r}/branches/${branch}`, html: `${HTML_BASE}/${repo.owner}/${repo.name}/tree/${branch}` },
    protected: false,
    protection: { enabled: false, required_status_checks: { enforcement_level: "off", contexts: [], checks: [] } },
    protection_url: `${r}/branches/${branch}/protection`,
  };
}

/** `pull-request-simple` (lists); `full` adds the fields of `pull-request` (a single pull request). */
export function pullWire(
  api: string,
  world: World,
  repo: GitHubRepoState,
  pull: GitHubPullState,
  heads: { head: string; base: string },
  full: boolean,
): WireObject {
  const r = `${api}/repos/${repo.owner}/${repo.name}`;
  const self = `${r}/pulls/${pull.number}`;
  const html = `${HTML_BASE}/${repo.owner}/${repo.name}/pull/${pull.number}`;
  const issue = `${r}/issues/${pull.number}`;
  const owner = simpleUser(api, accountFor(world, repo.owner));
  const repoWire = fullRepository(api, world, repo);
  const side = (branch: string, sha: string): WireObject => ({
    label: `${repo.owner}:${branch}`,
    ref: branch,
    sha,
    user: owner,
    repo: repoWire,
  });
  const simple: WireObject = {
    url: self,
    id: pull.id,
    node_id: nodeId("PullRequest", pull.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    commits_url: `${self}/commits`,
    review_comments_url: `${self}/comments`,
    review_comment_url: `${r}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${r}/statuses/${heads.head}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: simpleUser(api, accountFor(world, pull.user)),
    body: pull.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: pull.created_at,
    updated_at: pull.updated_at,
    closed_at: pull.closed_at,
    merged_at: pull.merged_at,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: side(pull.head, heads.head),
    base: side(pull.base, heads.base),
    _links: {
      self: { href: self },
      html: { href: html },
      issue: { href: issue },
      comments: { href: `${issue}/comments` },
      review_comments: { href: `${self}/comments` },
      review_comment: { href: `${r}/pulls/comments{/number}` },
      commits: { href: `${self}/commits` },
      statuses: { href: `${r}/statuses/${heads.head}` },
    },
    author_association: "OWNER",
    auto_merge: null,
    draft: false,
  };
  if (!full) return simple;
  return {
    ...simple,
    merged: pull.merged,
    mergeable: pull.state === "open" ? true : null,
    rebaseable: pull.state === "open" ? true : null,
    mergeable_state: pull.state === "open" ? "clean" : "unknown",
    merged_by: pull.mergedBy === null ? null : simpleUser(api, accountFor(world, pull.mergedBy)),
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 0,
    deletions: 0,
    changed_files: 1,
  };
}
