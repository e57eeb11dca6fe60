/**
 * `GET|PUT /{namespace}/links/{id}/orgs/{org}/access/`: the service owns the OAuth app, so it can
 * grant or deny it third-party access to a GitHub org (Docker's "Grant access" button).
 *
 * GET reports the effective access, which is what the app's tokens meet on GitHub:
 * - the org's stored decision for the app's client id, when there is one (`granted|denied|requested`);
 * - `granted` when the org has no decision for the app and OAuth App access restrictions are off;
 * - `denied` when it has none and restrictions are on (GitHub answers the app's token with 403).
 * PUT `denied` turns restrictions on (GitHub can only deny apps in a restricted org).
 */
import type { OrgAccessWire } from "./wire-types.js";
import { json } from "../router.js";
import type { BuildServiceLinkState, GitHubOrgState, World } from "../world.js";
import type { RouteContext, RouteResponse } from "../router.js";
import { oauthAppFor } from "./grants.js";
import { withLink } from "./links.js";
import { detail, notFound } from "./wire.js";

/** `GET …/orgs/{org}/access/`. */
export const getOrgAccess = withLink((ctx, link) => {
  const target = resolve(ctx, link);
  if ("status" in target) return target;
  return json(200, { org: target.org.login, access: effectiveAccess(target.org, target.clientId) } satisfies OrgAccessWire);
});

/** `PUT …/orgs/{org}/access/` with `{access: granted|denied}`; records an audit-log event when the decision changes. */
export const putOrgAccess = withLink((ctx, link) => {
  const target = resolve(ctx, link);
  if ("status" in target) return target;
  const body = ctx.body;
  const access = typeof body === "object" && body !== null ? (body as Record<string, unknown>)["access"] : undefined;
  if (access !== "granted" && access !== "denied") return detail(400, 'access must be "granted" or "denied".');
  const { org, clientId } = target;
  if (access === "denied") org.oauthRestrictionsEnabled = true;
  if (org.oauthAppAccess[clientId] !== access) {
    org.oauthAppAccess[clientId] = access;
    org.auditLog?.push({
      action: access === "granted" ? "org.oauth_app_access_approved" : "org.oauth_app_access_denied",
      created_at: new Date().toISOString(),
      actor: link.account,
      oauth_application_client_id: clientId,
    });
  }
  return json(200, { org: org.login, access: effectiveAccess(org, clientId) } satisfies OrgAccessWire);
});

/** The effective access of an app in an org (see the module comment). */
export function effectiveAccess(org: GitHubOrgState, clientId: string): OrgAccessWire["access"] {
  const stored = org.oauthAppAccess[clientId];
  if (stored !== undefined) return stored;
  return org.oauthRestrictionsEnabled ? "denied" : "granted";
}

function resolve(ctx: RouteContext, link: BuildServiceLinkState): { org: GitHubOrgState; clientId: string } | RouteResponse {
  if (link.provider !== "github") return detail(400, "Organization access applies to GitHub links only.");
  const app = oauthAppFor(ctx.world, "github");
  const org = findOrg(ctx.world, ctx.params["org"]!);
  if (!app || !org) return notFound();
  return { org, clientId: app.clientId };
}

function findOrg(world: World, login: string): GitHubOrgState | undefined {
  return world.github.orgs.find((o) => o.login.toLowerCase() === login.toLowerCase());
}
