/**
 * OAuth app token endpoints, authenticated with the app's client credentials (Basic
 * `client_id:client_secret`): https://docs.github.com/en/rest/apps/oauth-applications.
 */
import type { RouteContext, Router } from "../router.js";
import type { OAuthAppState } from "../world.js";
import type { Lookup } from "./auth.js";
import { badCredentials, notFound, requiresAuthentication, validationFailed } from "./respond.js";
import { authorizationWire } from "./wire.js";

/** Registers `POST /applications/{client_id}/token` and `DELETE /applications/{client_id}/grant`. */
export function registerOAuthAppRoutes(router: Router): void {
  router.add("POST", "/applications/:client_id/token", (ctx) => {
    const app = clientApp(ctx);
    if (!app.ok) return app.response;
    const accessToken = accessTokenOf(ctx);
    if (!accessToken.ok) return accessToken.response;
    const token = liveToken(ctx, app.value, accessToken.value);
    // "Invalid tokens will return 404 NOT FOUND" (Check a token, REST docs).
    if (!token) return notFound();
    return { status: 200, body: authorizationWire(ctx.mountUrl, ctx.world, app.value, token) };
  });

  router.add("DELETE", "/applications/:client_id/grant", (ctx) => {
    const app = clientApp(ctx);
    if (!app.ok) return app.response;
    const accessToken = accessTokenOf(ctx);
    if (!accessToken.ok) return accessToken.response;
    const token = liveToken(ctx, app.value, accessToken.value);
    if (!token) return notFound();
    // A grant is per app and user: deleting it revokes every OAuth token of that user for that app.
    for (const t of ctx.world.github.tokens) {
      if (t.kind === "oauth" && t.clientId === app.value.clientId && t.login === token.login) t.revoked = true;
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
    return { ok: false, response: validationFailed([{ resource: "OauthAccess", code: "missing_field", field: "access_token" }], "https://docs.github.com/rest/apps/oauth-applications") };
  }
  return { ok: true, value };
}

function liveToken(ctx: RouteContext, app: OAuthAppState, accessToken: string) {
  return ctx.world.github.tokens.find((t) => t.token === accessToken && t.kind === "oauth" && t.clientId === app.clientId && !t.revoked);
}
