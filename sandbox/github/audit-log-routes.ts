/**
 * GitHub Enterprise Cloud org audit log (`GET /orgs/{org}/audit-log`), enough to observe
 * `org.oauth_app_access_approved|denied|requested`: https://docs.github.com/en/enterprise-cloud@latest/rest/orgs/orgs#get-the-audit-log-for-an-organization.
 */
import type { Router } from "../router.js";
import { authed, findOrg, isOrgOwner, oauthRestriction } from "./auth.js";
import { conditional, notFound, paginate } from "./respond.js";
import { stableId } from "./wire.js";

/** Registers the audit log route; orgs whose `auditLog` is null (not on Enterprise Cloud) answer 404. */
export function registerAuditLogRoutes(router: Router): void {
  router.add(
    "GET",
    "/orgs/:org/audit-log",
    authed((ctx, caller) => {
      const org = findOrg(ctx.world, ctx.params.org ?? "");
      if (!org || org.auditLog === null) return notFound();
      const restricted = oauthRestriction(ctx.world, caller, org.login);
      if (restricted) return restricted;
      // "Only owners can access an organization's audit log"; others see 404 like any hidden resource.
      if (!isOrgOwner(org, caller.login)) return notFound();
      const matches = phraseMatcher(ctx.url.searchParams.get("phrase"));
      const ascending = ctx.url.searchParams.get("order") === "asc";
      const events = org.auditLog
        .filter((e) => matches(e.action))
        .map((e) => {
          const at = Date.parse(e.created_at);
          return {
            "@timestamp": at,
            _document_id: String(stableId(`${org.login}:${e.action}:${e.created_at}:${e.oauth_application_client_id}`)),
            action: e.action,
            actor: e.actor,
            created_at: at,
            org: org.login,
            operation_type: "modify",
            oauth_application_client_id: e.oauth_application_client_id,
          };
        })
        .sort((a, b) => (ascending ? a.created_at - b.created_at : b.created_at - a.created_at));
      return conditional(ctx, paginate(ctx, events));
    }),
  );
}

/**
 * The `action:` qualifiers of a search phrase; several are alternatives (GitHub ORs repeated
 * qualifiers), a trailing `*` matches a prefix. Other qualifiers are ignored by the sandbox.
 */
function phraseMatcher(phrase: string | null): (action: string) => boolean {
  const wanted = (phrase ?? "")
    .split(/\s+/)
    .filter((t) => t.startsWith("action:"))
    .map((t) => t.slice("action:".length));
  if (wanted.length === 0) return () => true;
  return (action) => wanted.some((w) => (w.endsWith("*") ? action.startsWith(w.slice(0, -1)) : action === w));
}
