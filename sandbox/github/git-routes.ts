/**
 * Branches and files of a repository: `GET …/git/ref/heads/{branch}`, `GET …/branches/{branch}`
 * (https://docs.github.com/en/rest/branches/branches), `POST …/git/refs`,
 * `PATCH …/git/refs/heads/{branch}` (https://docs.github.com/en/rest/git/refs) and
 * `GET`/`PUT …/contents/{path}` (https://docs.github.com/en/rest/repos/contents), over the git model
 * (git/model.ts). A write under `.github/workflows/` needs the `workflow` scope (classic and OAuth
 * tokens) or the Workflows permission (GitHub Apps), as GitHub requires; without it, 403 naming it.
 */
import type { RouteContext, RouteResponse, Router } from "../router.js";
import type { GitHubRepoState } from "../world.js";
import { branchHead, blobSha, commitOnBranch, gitOf, resolveRef } from "../git/model.js";
import { commitLanded } from "../git/landed.js";
import { onRepo, type Caller } from "./auth.js";
import { branchWire, contentFileWire, fileCommitWire, refWire } from "./content-wire.js";
import { installationFor } from "./installation-access.js";
import { conditional, githubError, notFound, validationFailed } from "./respond.js";

/** GitHub's timestamp format on the sandbox clock. */
export function clockStamp(ctx: RouteContext): string {
  return new Date(ctx.clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function bodyOf(ctx: RouteContext): Record<string, unknown> {
  return typeof ctx.body === "object" && ctx.body !== null && !Array.isArray(ctx.body) ? (ctx.body as Record<string, unknown>) : {};
}

/** Registers the refs and contents routes. */
export function registerGitRoutes(router: Router): void {
  router.add(
    "GET",
    "/repos/:owner/:repo/git/ref/*ref",
    onRepo("read", (ctx, repo) => {
      const ref = ctx.params.ref ?? "";
      if (!ref.startsWith("heads/")) return notFound();
      const branch = ref.slice("heads/".length);
      const head = branchHead(gitOf(repo, repo.name), branch);
      // With an ETag, as GitHub answers: an unmoved branch revalidates with a 304.
      return head ? conditional(ctx, { status: 200, body: refWire(ctx.mountUrl, repo, branch, head.sha) }) : notFound();
    }),
  );

  router.add(
    "GET",
    "/repos/:owner/:repo/branches/*branch",
    onRepo("read", (ctx, repo) => {
      const branch = ctx.params.branch ?? "";
      const head = branchHead(gitOf(repo, repo.name), branch);
      return head ? { status: 200, body: branchWire(ctx.mountUrl, ctx.world, repo, branch, head) } : githubError(404, "Branch not found");
    }),
  );

  router.add(
    "POST",
    "/repos/:owner/:repo/git/refs",
    onRepo("admin", (ctx, repo) => {
      const { ref, sha } = bodyOf(ctx);
      if (typeof ref !== "string" || typeof sha !== "string")
        return validationFailed([{ resource: "Reference", code: "missing_field", field: typeof ref === "string" ? "sha" : "ref" }]);
      if (!/^refs\/heads\/[^\s~^:?*[\\]+$/.test(ref) || ref.endsWith("/") || ref.includes(".."))
        return githubError(
          422,
          "Reference name must start with 'refs/heads/' (the sandbox serves branches only) and be a valid branch name.",
        );
      const git = gitOf(repo, repo.name);
      const branch = ref.slice("refs/heads/".length);
      if (git.branches[branch] !== undefined) return githubError(422, "Reference already exists");
      const commit = git.commits[sha];
      if (commit === undefined) return githubError(422, "Object does not exist");
      git.branches[branch] = sha;
      // A new branch is a push, as GitHub sends it: workflows run for it on that commit.
      commitLanded({
        world: ctx.world,
        clock: ctx.clock,
        provider: "github",
        repository: `${repo.owner}/${repo.name}`,
        branch,
        defaultBranch: false,
        sha,
        message: commit.message,
        files: commit.files,
        via: "push",
      });
      return {
        status: 201,
        body: refWire(ctx.mountUrl, repo, branch, sha),
        headers: { location: `${ctx.mountUrl}/repos/${repo.owner}/${repo.name}/git/refs/heads/${branch}` },
      };
    }),
  );

  router.add(
    "PATCH",
    "/repos/:owner/:repo/git/refs/*ref",
    onRepo("admin", (ctx, repo) => {
      const ref = ctx.params.ref ?? "";
      const { sha, force } = bodyOf(ctx);
      const git = gitOf(repo, repo.name);
      const branch = ref.startsWith("heads/") ? ref.slice("heads/".length) : "";
      if (git.branches[branch] === undefined) return githubError(422, "Reference does not exist");
      if (typeof sha !== "string") return validationFailed([{ resource: "Reference", code: "missing_field", field: "sha" }]);
      if (git.commits[sha] === undefined) return githubError(422, "Object does not exist");
      // Without force, only a fast-forward: the new commit must descend from the branch's head.
      if (force !== true && !descends(repo, sha, git.branches[branch]!)) return githubError(422, "Update is not a fast forward");
      git.branches[branch] = sha;
      return { status: 200, body: refWire(ctx.mountUrl, repo, branch, sha) };
    }),
  );

  router.add(
    "GET",
    "/repos/:owner/:repo/contents/*path",
    onRepo("read", (ctx, repo) => {
      const git = gitOf(repo, repo.name);
      const ref = ctx.url.searchParams.get("ref") ?? git.defaultBranch;
      const commit = resolveRef(git, ref);
      if (!commit) return githubError(404, `No commit found for the ref ${ref}`);
      const path = ctx.params.path ?? "";
      const content = commit.files[path];
      if (content === undefined) return notFound();
      return conditional(ctx, { status: 200, body: contentFileWire(ctx.mountUrl, repo, path, content, ref) });
    }),
  );

  router.add(
    "PUT",
    "/repos/:owner/:repo/contents/*path",
    onRepo("admin", (ctx, repo, caller) => {
      const path = ctx.params.path ?? "";
      const refused = workflowRefusal(ctx, caller, path);
      if (refused) return refused;
      return putContent(ctx, caller, repo, path);
    }),
  );
}

function putContent(ctx: RouteContext, caller: Caller, repo: GitHubRepoState, path: string): RouteResponse {
  const { message, content, sha, branch: rawBranch } = bodyOf(ctx);
  if (typeof message !== "string") return validationFailed([{ resource: "Content", code: "missing_field", field: "message" }]);
  if (typeof content !== "string" || !/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(content))
    return validationFailed([{ resource: "Content", code: "invalid", field: "content", message: "content is not valid Base64" }]);
  const git = gitOf(repo, repo.name);
  const branch = typeof rawBranch === "string" ? rawBranch : git.defaultBranch;
  const head = branchHead(git, branch);
  if (!head) return githubError(404, `Branch ${branch} not found`);
  const current = head.files[path];
  if (current !== undefined && sha === undefined) return githubError(422, `Invalid request.\n\n"sha" wasn't supplied.`);
  if (current !== undefined && sha !== blobSha(current)) return githubError(409, `${path} does not match ${String(sha)}`);
  const bytes = Buffer.from(content.replace(/\s/g, ""), "base64").toString("base64");
  const commit = commitOnBranch(git, branch, { [path]: bytes }, message, clockStamp(ctx));
  commitLanded({
    world: ctx.world,
    clock: ctx.clock,
    provider: "github",
    repository: `${repo.owner}/${repo.name}`,
    branch,
    defaultBranch: branch === git.defaultBranch,
    sha: commit.sha,
    message,
    files: commit.files,
    via: "push",
  });
  return {
    status: current === undefined ? 201 : 200,
    body: fileCommitWire(ctx.mountUrl, ctx.world, repo, path, commit, branch, caller.login),
  };
}

/**
 * GitHub's refusal of a write under `.github/workflows/` by a token without the `workflow` scope, or
 * an installation without the Workflows permission (403 with `x-accepted-github-permissions`).
 */
function workflowRefusal(ctx: RouteContext, caller: Caller, path: string): RouteResponse | null {
  if (!path.startsWith(".github/workflows/")) return null;
  if (caller.token.kind === "installation") {
    const installation = installationFor(ctx.world, caller.token.token, ctx.clock.now());
    const granted = installation !== null && "app" in installation ? installation.installation.permissions.workflows : undefined;
    if (granted === "write") return null;
    const refusal = githubError(
      403,
      "Resource not accessible by integration",
      "https://docs.github.com/rest/repos/contents#create-or-update-file-contents",
    );
    return { ...refusal, headers: { "x-accepted-github-permissions": "contents=write; workflows=write" } };
  }
  if (caller.token.scopes === undefined || caller.token.scopes.includes("workflow")) return null;
  const who = caller.token.kind === "oauth" ? "an OAuth App" : "a Personal Access Token";
  return githubError(403, `refusing to allow ${who} to create or update workflow \`${path}\` without \`workflow\` scope`);
}

function descends(repo: GitHubRepoState, sha: string, ancestor: string): boolean {
  const git = gitOf(repo, repo.name);
  const stack = [sha];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (next === ancestor) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(git.commits[next]?.parents ?? []));
  }
  return false;
}
