/**
 * Who is calling and what they may see, as GitHub decides it: token auth (`token X` / `Bearer X`),
 * 404 for what the token cannot see, and the OAuth App access restriction 403
 * (https://docs.github.com/en/organizations/managing-oauth-access-to-your-organizations-data/about-oauth-app-access-restrictions).
 */
import type { RouteContext, RouteHandler, RouteResponse } from "../router.js";
import type { GitHubOrgState, GitHubRepoState, GitHubTokenState, World } from "../world.js";
import { badCredentials, githubError, notFound, redirect, requiresAuthentication } from "./respond.js";
import { installationFor, installationRefusal } from "./installation-access.js";

/** The caller behind a token. */
export interface Caller {
  token: GitHubTokenState;
  login: string;
}

/** A handler that runs only for an authenticated caller. */
export type AuthedHandler = (ctx: RouteContext, caller: Caller) => RouteResponse | Promise<RouteResponse>;

/**
 * The caller a token names: a personal or OAuth token of the world, or a GitHub App installation's
 * (acting with its owner's authority); the 401 answer when it is unknown, revoked or expired.
 * `checkPermissions`: refuse an installation outside the permissions the route needs (REST routes).
 */
export function callerFor(ctx: RouteContext, raw: string, checkPermissions = true): Caller | RouteResponse {
  const installation = installationFor(ctx.world, raw, ctx.clock.now());
  if (installation !== null) {
    if (!("app" in installation)) return installation;
    const refused = checkPermissions ? installationRefusal(ctx, installation) : null;
    if (refused) return refused;
    const login = installation.installation.owner;
    return { token: { token: raw, login, kind: "installation", clientId: null, revoked: false }, login };
  }
  const token = ctx.world.github.tokens.find((t) => t.token === raw);
  if (!token || token.revoked) return badCredentials();
  return { token, login: token.login };
}

/** Wraps a handler with GitHub token authentication: 401 when the token is missing, unknown or revoked. */
export function authed(handler: AuthedHandler): RouteHandler {
  return (ctx) => {
    const raw = bearerToken(ctx.headers.authorization);
    if (raw === null) return requiresAuthentication();
    const caller = callerFor(ctx, raw);
    return "status" in caller ? caller : handler(ctx, caller);
  };
}

/** The token of an `Authorization: token X` or `Authorization: Bearer X` header (schemes are case-insensitive). */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

/** Case-insensitive login comparison: GitHub logins and repository names are case-insensitive. */
export function sameLogin(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The org with this login, if the world has one. */
export function findOrg(world: World, login: string): GitHubOrgState | undefined {
  return world.github.orgs.find((o) => sameLogin(o.login, login));
}

/** The repository `owner/name`, if it exists. */
export function findRepo(world: World, owner: string, name: string): GitHubRepoState | undefined {
  const repos = world.github.repos;
  const hit = repoIndex(repos).get(`${owner}/${name}`.toLowerCase());
  if (hit !== undefined && sameLogin(hit.owner, owner) && sameLogin(hit.name, name)) return hit;
  // Not indexed (a rename since): the list is the truth.
  return repos.find((r) => sameLogin(r.owner, owner) && sameLogin(r.name, name));
}

/**
 * The repository that was once called `owner/name` and is now called something else (the newest
 * rename wins), if the name is not taken: GitHub redirects an old name until one is created again.
 */
export function renamedRepo(world: World, owner: string, name: string): GitHubRepoState | undefined {
  if (findRepo(world, owner, name)) return undefined;
  const full = `${owner}/${name}`.toLowerCase();
  return world.github.repos.findLast((r) => r.formerNames?.some((n) => n.toLowerCase() === full) === true);
}

/**
 * `owner/name` (lower case) → repository, rebuilt when the list grows or shrinks: a scan of every
 * repository per request made the sandbox, not the client, the bottleneck of a 5,000-repository world.
 */
const repoIndexes = new WeakMap<GitHubRepoState[], { size: number; byName: Map<string, GitHubRepoState> }>();

function repoIndex(repos: GitHubRepoState[]): Map<string, GitHubRepoState> {
  let index = repoIndexes.get(repos);
  if (index === undefined || index.size !== repos.length) {
    index = { size: repos.length, byName: new Map(repos.map((r) => [`${r.owner}/${r.name}`.toLowerCase(), r])) };
    repoIndexes.set(repos, index);
  }
  return index.byName;
}

/** Whether the caller is the owner account, or an owner or member of the owning org. */
export function isAffiliated(world: World, login: string, owner: string): boolean {
  if (sameLogin(login, owner)) return true;
  const org = findOrg(world, owner);
  return !!org && [...org.owners, ...org.members].some((m) => sameLogin(m, login));
}

/** Whether the caller owns the org (audit log, org webhooks). */
export function isOrgOwner(org: GitHubOrgState, login: string): boolean {
  // The org's own login is an installation on the org (see `authed`).
  return sameLogin(org.login, login) || org.owners.some((m) => sameLogin(m, login));
}

/**
 * The 403 GitHub sends when an org restricts OAuth apps and the token's app is not approved;
 * null when the request may proceed. The substring "has enabled OAuth App access restrictions" is
 * the documented signal clients match on (docs/build-services.md).
 */
export function oauthRestriction(world: World, caller: Caller, ownerLogin: string): RouteResponse | null {
  if (caller.token.kind !== "oauth" || caller.token.clientId === null) return null;
  const org = findOrg(world, ownerLogin);
  if (!org?.oauthRestrictionsEnabled) return null;
  if (org.oauthAppAccess[caller.token.clientId] === "granted") return null;
  return githubError(
    403,
    `Although you appear to have the correct authorization credentials, the \`${org.login}\` organization has enabled OAuth App access restrictions, meaning that data access to third-parties is limited. For more information on these restrictions, including how to enable this app, visit https://docs.github.com/articles/restricting-access-to-your-organization-s-data/`,
    "https://docs.github.com/articles/restricting-access-to-your-organization-s-data/",
  );
}

/**
 * What a route needs on a repository: to read it, admin (webhooks and deploy keys), or admin even when
 * archived (`PATCH /repos/{owner}/{repo}`, the one write GitHub takes on an archived repository: unarchiving).
 */
export type RepoNeed = "read" | "admin" | "admin-archived";

/** A lookup that either found the thing or produced the response to send instead. */
export type Lookup<T> = { ok: true; value: T } | { ok: false; response: RouteResponse };

/** A route on one repository, run only when the caller has `need` on it; otherwise GitHub's own refusal. */
export function onRepo(
  need: RepoNeed,
  handler: (ctx: RouteContext, repo: GitHubRepoState, caller: Caller) => RouteResponse | Promise<RouteResponse>,
): RouteHandler {
  return authed((ctx, caller) => {
    const found = repoFor(ctx, caller, need);
    return found.ok ? handler(ctx, found.value, caller) : found.response;
  });
}

/**
 * Resolves `:owner/:repo` for the caller: 404 when it does not exist or cannot be seen (GitHub
 * hides private repositories and admin-only resources behind 404), 403 for an OAuth restriction.
 */
export function repoFor(ctx: RouteContext, caller: Caller, need: RepoNeed): Lookup<GitHubRepoState> {
  const owner = ctx.params.owner ?? "";
  const name = ctx.params.repo ?? "";
  const repo = findRepo(ctx.world, owner, name);
  if (!repo) {
    const moved = renamedRepo(ctx.world, owner, name);
    // An old name redirects only those who may see the repository; to others it is as absent as any hidden one.
    if (moved && (!moved.private || isAffiliated(ctx.world, caller.login, moved.owner)))
      return { ok: false, response: redirect(ctx, moved) };
    return { ok: false, response: notFound() };
  }
  const affiliated = isAffiliated(ctx.world, caller.login, repo.owner);
  if (repo.private && !affiliated) return { ok: false, response: notFound() };
  const restricted = oauthRestriction(ctx.world, caller, repo.owner);
  if (restricted) return { ok: false, response: restricted };
  if (need !== "read" && !affiliated) return { ok: false, response: notFound() };
  // GitHub refuses every write to an archived repository, hooks and keys included.
  if (repo.archived === true && ctx.method !== "GET" && need !== "admin-archived")
    return { ok: false, response: githubError(403, "Repository was archived so is read-only.") };
  return { ok: true, value: repo };
}
