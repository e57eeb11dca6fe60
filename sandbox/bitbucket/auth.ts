/**
 * Authentication of the sandbox's Bitbucket: Basic `username:app password` from `world.bitbucket.users`,
 * or `Bearer` with a live OAuth grant token (what the build service holds after linking).
 */
import type { RouteContext, RouteResponse } from "../router.js";
import type { BitbucketRepoState, BitbucketUserState } from "../world.js";
import { bbError } from "./wire.js";

/** The authenticated user, or the 401 to answer. */
export function authenticate(ctx: RouteContext): BitbucketUserState | RouteResponse {
  const header = ctx.headers.authorization ?? "";
  const users = ctx.world.bitbucket.users;
  const basic = /^Basic\s+(\S+)\s*$/i.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const user = colon < 0 ? undefined : users.find((u) => u.username === decoded.slice(0, colon) && u.appPassword === decoded.slice(colon + 1));
    if (user) return user;
  }
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) {
    const user = users.find((u) => u.grants.some((g) => g.accessToken === bearer[1] && !g.revoked));
    if (user) return user;
  }
  // Bitbucket answers missing or bad credentials with 401 and a Basic challenge.
  return bbError(401, header === "" ? "Authentication required" : "Invalid credentials", { "www-authenticate": 'Basic realm="Bitbucket.org HTTP"' });
}

/** The repository named by `:workspace/:repo_slug` when `user` may administer it; else 404 or 403. */
export function repositoryFor(ctx: RouteContext, user: BitbucketUserState): BitbucketRepoState | RouteResponse {
  const workspace = ctx.params["workspace"]!;
  const slug = ctx.params["repo_slug"]!;
  const repo = ctx.world.bitbucket.repos.find((r) => r.workspace === workspace && r.slug === slug);
  if (!repo) return bbError(404, `Repository ${workspace}/${slug} not found`);
  if (!user.workspaces.includes(repo.workspace)) return bbError(403, "You do not have admin access to this repository.");
  return repo;
}

/** Runs `handler` with the authenticated user and the repository of the path, answering 401/403/404 otherwise. */
export function withRepository(
  handler: (ctx: RouteContext, repo: BitbucketRepoState, user: BitbucketUserState) => RouteResponse,
): (ctx: RouteContext) => RouteResponse {
  return (ctx) => {
    const user = authenticate(ctx);
    if ("status" in user) return user;
    const repo = repositoryFor(ctx, user);
    if ("status" in repo) return repo;
    return handler(ctx, repo, user);
  };
}
