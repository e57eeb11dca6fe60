/**
 * GitHub Enterprise Cloud org audit log (`GET /orgs/{org}/audit-log`):
 * https://docs.github.com/en/enterprise-cloud@latest/rest/orgs/orgs#get-the-audit-log-for-an-organization.
 * Phrase search (audit-log-query.ts), `order`, `per_page` (at most 100) and the `after` cursor GitHub
 * puts in the `Link` header, 180 days of retention, the log's delay and the hourly query budget
 * (`/_sandbox/audit-log` sets both).
 */
import { retryAfterSeconds } from "../clock.js";
import type { RouteContext, RouteResponse, Router } from "../router.js";
import type { GitHubAuditEventState, World } from "../world.js";
import { auditLogSettings } from "./audit-log.js";
import { AuditPhraseError, RETENTION_DAYS, after, cursorOf, parsePhrase, visibleEvents, type PlacedEvent } from "./audit-log-query.js";
import { authed, findOrg, isOrgOwner, oauthRestriction } from "./auth.js";
import { conditional, githubError, notFound } from "./respond.js";
import { stableId } from "./wire.js";

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

/** Each caller's hourly window of queries, per world (a new seed starts afresh). */
const windows = new WeakMap<World, Map<string, { startsAt: number; used: number }>>();

/** Starts every caller's hourly query window afresh (a changed budget applies at once). */
export function resetAuditLogWindows(world: World): void {
  windows.delete(world);
}

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
      const limited = spendQuery(ctx, caller.login);
      if (limited) return limited;
      let phrase: ReturnType<typeof parsePhrase>;
      try {
        phrase = parsePhrase(ctx.url.searchParams.get("phrase"));
      } catch (e) {
        if (e instanceof AuditPhraseError) return githubError(422, e.message);
        throw e;
      }
      const ascending = ctx.url.searchParams.get("order") === "asc";
      const settings = auditLogSettings(ctx.world);
      const ordered = visibleEvents(org.auditLog, phrase, {
        nowMs: ctx.clock.now(),
        delayMs: ctx.clock.realMs(settings.delaySeconds),
        retentionMs: ctx.clock.realMs(RETENTION_DAYS * 86_400),
        ascending,
      });
      const rest = after(ordered, ctx.url.searchParams.get("after"), ascending);
      if (rest === null) return githubError(422, "after: not a cursor of this audit log");
      const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Number(ctx.url.searchParams.get("per_page")) || DEFAULT_PER_PAGE));
      const page = rest.slice(0, perPage);
      const headers: Record<string, string> = {};
      const last = page.at(-1);
      if (last && rest.length > perPage) headers.link = `<${nextUrl(ctx, cursorOf(last))}>; rel="next"`;
      return conditional(ctx, { status: 200, headers, body: page.map((e) => eventWire(org.login, e)) });
    }),
  );
}

/** Counts a query against the caller's hourly budget; the 429 to send once it is spent. */
function spendQuery(ctx: RouteContext, login: string): RouteResponse | null {
  const now = ctx.clock.now();
  const hour = ctx.clock.realMs(3600);
  let perWorld = windows.get(ctx.world);
  if (!perWorld) windows.set(ctx.world, (perWorld = new Map()));
  let window = perWorld.get(login.toLowerCase());
  if (!window || now >= window.startsAt + hour) perWorld.set(login.toLowerCase(), (window = { startsAt: now, used: 0 }));
  const limit = auditLogSettings(ctx.world).queriesPerHour;
  if (window.used >= limit) {
    const refused = githubError(429, `Audit log query limit exceeded: ${limit} queries per hour.`);
    return { ...refused, headers: { "retry-after": String(retryAfterSeconds(now, window.startsAt + hour)) } };
  }
  window.used++;
  return null;
}

function nextUrl(ctx: RouteContext, cursor: string): string {
  const url = new URL(ctx.url.toString());
  url.searchParams.delete("page");
  url.searchParams.set("after", cursor);
  const mount = new URL(ctx.mountUrl);
  return `${mount.origin}${url.pathname}${url.search}`;
}

/** An event as GitHub serves it: epoch-ms times, `_document_id`, and the fields its category carries. */
function eventWire(org: string, placed: PlacedEvent): Record<string, unknown> {
  const { created_at: _created, ...fields } = placed.event satisfies GitHubAuditEventState;
  return {
    "@timestamp": placed.at,
    _document_id: String(stableId(`${org}:audit:${placed.index}`)),
    ...fields,
    created_at: placed.at,
    org,
    operation_type: operationType(placed.event.action),
  };
}

function operationType(action: string): "create" | "remove" | "modify" {
  if (/\.(create|approved)$/.test(action)) return "create";
  if (/\.(destroy|delete)$/.test(action)) return "remove";
  return "modify";
}
