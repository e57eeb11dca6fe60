/**
 * The GitHub App endpoints the clients use, authenticated with the app's JWT (app-jwt.ts):
 * `POST /app/installations/{installation_id}/access_tokens` issues an installation token that expires
 * an hour (of sandbox time) later; `GET /orgs/{org}/installation` and `GET /users/{username}/installation`
 * find an owner's installation. https://docs.github.com/en/rest/apps/apps
 */
import { fakeSecret } from "../seed.js";
import type { RouteContext, RouteHandler, RouteResponse, Router } from "../router.js";
import type { GitHubAppState, GitHubInstallationState } from "../world.js";
import { looksLikeJwt, verifyAppJwt } from "./app-jwt.js";
import { findOrg, sameLogin } from "./auth.js";
import { githubError, notFound, requiresAuthentication } from "./respond.js";

/** An installation token lives an hour of GitHub time. */
const TOKEN_LIFETIME_SECONDS = 3600;

/** Registers the app routes. */
export function registerAppRoutes(router: Router): void {
  router.add(
    "POST",
    "/app/installations/:installation_id/access_tokens",
    asApp((ctx, app) => {
      const installation = app.installations.find((i) => String(i.id) === ctx.params.installation_id);
      if (!installation) return notFound();
      const now = ctx.clock.now();
      const expiresAt = now + ctx.clock.realMs(TOKEN_LIFETIME_SECONDS);
      const token = fakeSecret("sbx-ghs");
      (ctx.world.github.installationTokens ??= []).push({ token, appId: app.id, installationId: installation.id, expiresAt });
      return {
        status: 201,
        body: {
          token,
          expires_at: new Date(expiresAt).toISOString(),
          permissions: { ...installation.permissions },
          repository_selection: "all",
        },
      };
    }),
  );
  router.add(
    "GET",
    "/orgs/:org/installation",
    asApp((ctx, app) => {
      const org = findOrg(ctx.world, ctx.params.org ?? "");
      return org ? installationOf(ctx, app, org.login) : notFound();
    }),
  );
  router.add(
    "GET",
    "/users/:username/installation",
    asApp((ctx, app) => {
      const login = ctx.params.username ?? "";
      const user = ctx.world.github.accounts.find((a) => a.type === "User" && sameLogin(a.login, login));
      return user ? installationOf(ctx, app, user.login) : notFound();
    }),
  );
}

/** The app's installation on an owner, in GitHub's `installation` shape, or 404. */
function installationOf(ctx: RouteContext, app: GitHubAppState, owner: string): RouteResponse {
  const installation = app.installations.find((i) => sameLogin(i.owner, owner));
  return installation ? { status: 200, body: installationWire(ctx, app, installation) } : notFound();
}

function installationWire(ctx: RouteContext, app: GitHubAppState, installation: GitHubInstallationState): Record<string, unknown> {
  const account = ctx.world.github.accounts.find((a) => sameLogin(a.login, installation.owner));
  return {
    id: installation.id,
    account: account ? { login: account.login, id: account.id, type: account.type } : null,
    app_id: app.id,
    app_slug: app.slug,
    target_id: account?.id ?? 0,
    target_type: account?.type ?? "Organization",
    permissions: { ...installation.permissions },
    repository_selection: "all",
    access_tokens_url: `${ctx.mountUrl}/app/installations/${installation.id}/access_tokens`,
    events: [],
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    single_file_name: null,
  };
}

/**
 * Wraps a handler with JWT authentication (`Authorization: Bearer <jwt>`): 401 in GitHub's words
 * otherwise. Every answer is dated (`Date`) on the sandbox clock the JWT was judged on, as GitHub's
 * are on its own: a client whose clock is off learns the offset from it.
 */
function asApp(handler: (ctx: RouteContext, app: GitHubAppState) => RouteResponse): RouteHandler {
  return (ctx) => {
    const answer = authenticated(ctx, handler);
    return { ...answer, headers: { ...answer.headers, date: new Date(ctx.clock.now()).toUTCString() } };
  };
}

function authenticated(ctx: RouteContext, handler: (ctx: RouteContext, app: GitHubAppState) => RouteResponse): RouteResponse {
  const match = /^bearer\s+(\S+)\s*$/i.exec(ctx.headers.authorization ?? "");
  if (!match) return requiresAuthentication();
  const jwt = match[1]!;
  if (!looksLikeJwt(jwt)) return githubError(401, "A JSON web token could not be decoded");
  const check = verifyAppJwt(ctx.world, jwt, ctx.clock.now());
  return check.ok ? handler(ctx, check.app) : githubError(401, check.message);
}
