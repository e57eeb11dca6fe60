/**
 * Authentication of the sandbox's Bitbucket, as Bitbucket Cloud accepts it since app passwords were
 * removed (2026-07-28): Basic `email:API token` of a user in `world.bitbucket.users`; `Bearer` with a
 * workspace or repository access token, or with a live OAuth grant token (what the build service
 * holds after linking). A legacy app password is answered with 401 and a message saying so.
 */
import type { RouteContext, RouteResponse } from "../router.js";
import type { BitbucketRepoState } from "../world.js";
import { bbError } from "./wire.js";

/** Who a request acts as: a user, or an access token bound to a workspace (and maybe one repository). */
export interface BitbucketCaller {
  username: string;
  workspaces: string[];
  /** A repository access token's repository slug; null for users and workspace tokens. */
  repository: string | null;
}

/** The message a request with an app password gets. */
export const APP_PASSWORD_REMOVED =
  "App passwords are no longer supported. Use an API token with scopes (with your Atlassian account email) or an access token.";

/** The authenticated caller, or the 401 to answer. */
export function authenticate(ctx: RouteContext): BitbucketCaller | RouteResponse {
  const header = ctx.headers.authorization ?? "";
  const users = ctx.world.bitbucket.users;
  const basic = /^Basic\s+(\S+)\s*$/i.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const name = colon < 0 ? "" : decoded.slice(0, colon);
    const secret = colon < 0 ? "" : decoded.slice(colon + 1);
    const user = users.find((u) => u.email === name && u.apiToken === secret);
    if (user) return { username: user.username, workspaces: user.workspaces, repository: null };
    if (users.some((u) => (u.username === name || u.email === name) && u.appPassword === secret)) return unauthorized(APP_PASSWORD_REMOVED);
  }
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) {
    const user = users.find((u) => u.grants.some((g) => g.accessToken === bearer[1] && !g.revoked));
    if (user) return { username: user.username, workspaces: user.workspaces, repository: null };
    const access = (ctx.world.bitbucket.accessTokens ?? []).find((t) => t.token === bearer[1]);
    if (access) return { username: `${access.workspace}-access-token`, workspaces: [access.workspace], repository: access.repository };
  }
  return unauthorized(header === "" ? "Authentication required" : "Invalid credentials");
}

/** Bitbucket answers missing or bad credentials with 401 and a Basic challenge. */
function unauthorized(message: string): RouteResponse {
  return bbError(401, message, { "www-authenticate": 'Basic realm="Bitbucket.org HTTP"' });
}

/** The repository named by `:workspace/:repo_slug` when `caller` may administer it; else 404 or 403. */
export function repositoryFor(ctx: RouteContext, caller: BitbucketCaller): BitbucketRepoState | RouteResponse {
  const workspace = ctx.params["workspace"]!;
  const slug = ctx.params["repo_slug"]!;
  const repo = ctx.world.bitbucket.repos.find((r) => r.workspace === workspace && r.slug === slug);
  if (!repo) return bbError(404, `Repository ${workspace}/${slug} not found`);
  if (!caller.workspaces.includes(repo.workspace) || (caller.repository !== null && caller.repository !== repo.slug)) {
    return bbError(403, "You do not have admin access to this repository.");
  }
  return repo;
}

/** Runs `handler` with the authenticated caller and the repository of the path, answering 401/403/404 otherwise. */
export function withRepository(
  handler: (ctx: RouteContext, repo: BitbucketRepoState, caller: BitbucketCaller) => RouteResponse,
): (ctx: RouteContext) => RouteResponse {
  return (ctx) => {
    const caller = authenticate(ctx);
    if ("status" in caller) return caller;
    const repo = repositoryFor(ctx, caller);
    if ("status" in repo) return repo;
    return handler(ctx, repo, caller);
  };
}
