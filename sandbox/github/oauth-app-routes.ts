/**
 * OAuth app token endpoints, authenticated with the app's client credentials (Basic
 * `client_id:client_secret`): https://docs.github.com/en/rest/apps/oauth-applications.
 */
import type { RouteContext, Router } from "../router.js";
import type { GitHubTokenState, OAuthAppState } from "../world.js";
import type { Lookup } from "./auth.js";
import { badCredentials, notFound, requiresAuthentication, validationFailed } from "./respond.js";
import { authorizationWire } from "./wire.js";

/** Registers `POST /applications/{client_id}/token` and `DELETE /applications/{client_id}/grant`. */
export function registerOAuthAppRoutes(router: Router): void {
  router.add("POST", "/applications/:client_id/token", (ctx) => {
    const grant = grantOf(ctx);
    if (!grant.ok) return grant.response;
    const { app, token } = grant.value;
    return { status: 200, body: authorizationWire(ctx.mountUrl, ctx.world, app, token) };
  });

  router.add("DELETE", "/applications/:client_id/grant", (ctx) => {
    const grant = grantOf(ctx);
    if (!grant.ok) return grant.response;
    const { app, token } = grant.value;
    // A grant is per app and user: deleting it revokes every OAuth token of that user for that app.
    for (const t of ctx.world.github.tokens) {
      if (t.kind === "oauth" && t.clientId === app.clientId && t.login === token.login) t.revoked = true;
    }
    return { status: 204 };
  });
}

/** The GitHub OAuth app whose Basic client credentials the request carries, matching the path's client id. */
function clientApp(ctx: RouteContext): Lookup<OAuthAppState> {
  const header = ctx.headers.authorization;
  const match = header ? /^basic\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) return { ok: false, response: requiresAuthentication() };
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const clientId = colon < 0 ? decoded : decoded.slice(0, colon);
  const secret = colon < 0 ? "" : decoded.slice(colon + 1);
  const app = ctx.world.oauthApps.find((a) => a.provider === "github" && a.clientId === clientId && a.clientSecret === secret);
  if (!app) return { ok: false, response: badCredentials() };
  if (app.clientId !== ctx.params.client_id) return { ok: false, response: notFound() };
  return { ok: true, value: app };
}

function accessTokenOf(ctx: RouteContext): Lookup<string> {
  const body = ctx.body;
  const value = typeof body === "object" && body !== null ? (body as Record<string, unknown>).access_token : undefined;
  if (typeof value !== "string" || value.length === 0) {
    return {
      ok: false,
      response: validationFailed(
        [{ resource: "OauthAccess", code: "missing_field", field: "access_token" }],
        "https://docs.github.com/rest/apps/oauth-applications",
      ),
    };
  }
  return { ok: true, value };
}

/**
 * The app (from its client credentials) and the live OAuth token the body's `access_token` names.
 * "Invalid tokens will return 404 NOT FOUND" (Check a token, REST docs); deleting a grant answers alike.
 */
function grantOf(ctx: RouteContext): Lookup<{ app: OAuthAppState; token: GitHubTokenState }> {
  const app = clientApp(ctx);
  if (!app.ok) return app;
  const accessToken = accessTokenOf(ctx);
  if (!accessToken.ok) return accessToken;
  const token = ctx.world.github.tokens.find(
    (t) => t.token === accessToken.value && t.kind === "oauth" && t.clientId === app.value.clientId && !t.revoked,
  );
  if (!token) return { ok: false, response: notFound() };
  return { ok: true, value: { app: app.value, token } };
}
