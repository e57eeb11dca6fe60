/**
 * What an installation access token may do, as GitHub decides it
 * (https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps): only the
 * installation owner's repositories and org (anything else is 404, as for a repository the app was
 * not given), only within the permissions it was granted (else 403 "Resource not accessible by
 * integration" with the header `x-accepted-github-permissions`), and only until it expires (401).
 */
import { Router, type Method, type RouteContext, type RouteResponse } from "../router.js";
import type { GitHubAppPermissionLevel, GitHubAppState, GitHubInstallationState, World } from "../world.js";
import { looksLikeJwt, unverifiedIssuer } from "./app-jwt.js";
import { githubError, notFound } from "./respond.js";

/** A permission a route needs: its name and level. */
type Need = readonly [permission: string, level: GitHubAppPermissionLevel];

const READ = "read" as const;
const WRITE = "write" as const;

/** The permission of each route the sandbox serves to installations; a route not listed needs none (public data). */
const NEEDS: readonly (readonly [Method, string, Need])[] = [
  ["GET", "/repos/:owner/:repo", ["metadata", READ]],
  ["GET", "/repos/:owner/:repo/hooks", ["repository_hooks", READ]],
  ["POST", "/repos/:owner/:repo/hooks", ["repository_hooks", WRITE]],
  ["GET", "/repos/:owner/:repo/hooks/:hook_id", ["repository_hooks", READ]],
  ["PATCH", "/repos/:owner/:repo/hooks/:hook_id", ["repository_hooks", WRITE]],
  ["DELETE", "/repos/:owner/:repo/hooks/:hook_id", ["repository_hooks", WRITE]],
  ["GET", "/repos/:owner/:repo/keys", ["administration", READ]],
  ["POST", "/repos/:owner/:repo/keys", ["administration", WRITE]],
  ["GET", "/repos/:owner/:repo/keys/:key_id", ["administration", READ]],
  ["DELETE", "/repos/:owner/:repo/keys/:key_id", ["administration", WRITE]],
  ["GET", "/orgs/:org/repos", ["metadata", READ]],
  ["GET", "/orgs/:org/hooks", ["organization_hooks", READ]],
  ["POST", "/orgs/:org/hooks", ["organization_hooks", WRITE]],
  ["GET", "/orgs/:org/hooks/:hook_id", ["organization_hooks", READ]],
  ["PATCH", "/orgs/:org/hooks/:hook_id", ["organization_hooks", WRITE]],
  ["DELETE", "/orgs/:org/hooks/:hook_id", ["organization_hooks", WRITE]],
  ["GET", "/orgs/:org/audit-log", ["organization_administration", READ]],
  ["GET", "/repos/:owner/:repo/git/ref/*ref", ["contents", READ]],
  ["POST", "/repos/:owner/:repo/git/refs", ["contents", WRITE]],
  ["PATCH", "/repos/:owner/:repo/git/refs/*ref", ["contents", WRITE]],
  ["GET", "/repos/:owner/:repo/contents/*path", ["contents", READ]],
  // A write under .github/workflows/ also needs `workflows` (git-routes.ts).
  ["PUT", "/repos/:owner/:repo/contents/*path", ["contents", WRITE]],
  ["GET", "/repos/:owner/:repo/pulls", ["pull_requests", READ]],
  ["POST", "/repos/:owner/:repo/pulls", ["pull_requests", WRITE]],
  ["GET", "/repos/:owner/:repo/pulls/:pull_number", ["pull_requests", READ]],
  ["PATCH", "/repos/:owner/:repo/pulls/:pull_number", ["pull_requests", WRITE]],
  ["PUT", "/repos/:owner/:repo/pulls/:pull_number/merge", ["contents", WRITE]],
  ["GET", "/repos/:owner/:repo/actions/secrets/public-key", ["secrets", READ]],
  ["GET", "/repos/:owner/:repo/actions/secrets", ["secrets", READ]],
  ["GET", "/repos/:owner/:repo/actions/secrets/:secret_name", ["secrets", READ]],
  ["PUT", "/repos/:owner/:repo/actions/secrets/:secret_name", ["secrets", WRITE]],
  ["GET", "/orgs/:org/actions/secrets/public-key", ["organization_secrets", READ]],
  ["GET", "/orgs/:org/actions/secrets/:secret_name", ["organization_secrets", READ]],
  ["PUT", "/orgs/:org/actions/secrets/:secret_name", ["organization_secrets", WRITE]],
  ["GET", "/orgs/:org/actions/secrets/:secret_name/repositories", ["organization_secrets", READ]],
  ["PUT", "/orgs/:org/actions/secrets/:secret_name/repositories/:repository_id", ["organization_secrets", WRITE]],
];

/** The table's patterns as a router, so a request path is matched exactly as the routes match it. */
const patterns = NEEDS.reduce((router, [method, pattern]) => router.add(method, pattern, () => notFound()), new Router("/github"));
const needOf = new Map(NEEDS.map(([method, pattern, need]) => [`${method} ${pattern}`, need]));

/** A live installation token's installation and app. */
export interface InstallationCaller {
  app: GitHubAppState;
  installation: GitHubInstallationState;
}

/** The installation behind a token: the caller, a 401 (expired), or null when the value is no installation token. */
export function installationFor(world: World, token: string, nowMs: number): InstallationCaller | RouteResponse | null {
  const issued = world.github.installationTokens?.find((t) => t.token === token);
  if (!issued) return null;
  // GitHub answers an expired installation token like any bad one.
  if (nowMs >= issued.expiresAt) return githubError(401, "Bad credentials");
  const app = world.github.apps?.find((a) => a.id === issued.appId);
  const installation = app?.installations.find((i) => i.id === issued.installationId);
  return app && installation ? { app, installation } : githubError(401, "Bad credentials");
}

/** 404 for another owner's resources, 403 naming the permission the installation lacks, or null when the request may proceed. */
export function installationRefusal(ctx: RouteContext, caller: InstallationCaller): RouteResponse | null {
  const owner = ctx.params.owner ?? ctx.params.org;
  if (owner !== undefined && owner.toLowerCase() !== caller.installation.owner.toLowerCase()) return notFound();
  const match = patterns.match(ctx.method, ctx.url.pathname.slice("/github".length));
  const need = typeof match === "object" ? needOf.get(`${ctx.method} ${match.pattern}`) : undefined;
  if (need === undefined) return null;
  const [permission, level] = need;
  const granted = caller.installation.permissions[permission];
  if (granted === WRITE || granted === level) return null;
  const refusal = githubError(
    403,
    "Resource not accessible by integration",
    "https://docs.github.com/rest/overview/permissions-required-for-github-apps",
  );
  return { ...refusal, headers: { "x-accepted-github-permissions": `${permission}=${level}` } };
}

/**
 * Who a request with an installation token or an app JWT is charged to: the installation (every
 * token it is issued shares its budget, as on GitHub), or the app; null for any other credential.
 */
export function appRateKey(world: World, credential: string): { key: string; label: string } | null {
  const issued = world.github.installationTokens?.find((t) => t.token === credential);
  if (issued) {
    const owner =
      world.github.apps?.find((a) => a.id === issued.appId)?.installations.find((i) => i.id === issued.installationId)?.owner ?? "?";
    return { key: `installation:${issued.installationId}`, label: `installation:${owner}#${issued.installationId}` };
  }
  const issuer = looksLikeJwt(credential) ? unverifiedIssuer(credential) : null;
  return issuer === null ? null : { key: `app:${issuer}`, label: `app-jwt:${issuer}` };
}
