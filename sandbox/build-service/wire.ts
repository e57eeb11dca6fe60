/**
 * Wire helpers of the sandbox's `reference` build service: the Django REST framework style error
 * body `{"detail": "..."}`, the Docker Cloud list envelope, and a link record as served.
 */
import type { BuildServiceLinkWire, BuildServiceListWire } from "./wire-types.js";
import type { RouteContext, RouteResponse } from "../router.js";
import { json } from "../router.js";
import type { BuildServiceLinkState } from "../world.js";

/** Default page size of list endpoints (Docker Cloud's API pages by `limit`/`offset`). */
export const DEFAULT_LIMIT = 25;
/** Largest `limit` served; larger requests are capped. */
export const MAX_LIMIT = 100;

/** An error in Django REST framework's shape. */
export function detail(status: number, message: string): RouteResponse {
  return json(status, { detail: message });
}

/** DRF's exact 404 text. */
export function notFound(): RouteResponse {
  return detail(404, "Not found.");
}

/** The path of a link relative to the host, as `resource_uri` (Docker Cloud style). */
export function linkUri(ctx: RouteContext, link: BuildServiceLinkState): string {
  const base = new URL(ctx.mountUrl).pathname.replace(/\/$/, "");
  return `${base}/${encodeURIComponent(link.namespace)}/links/${encodeURIComponent(link.id)}/`;
}

/** A link record as the API serves it: the grant token never leaves through this view. */
export function linkWire(ctx: RouteContext, link: BuildServiceLinkState): BuildServiceLinkWire {
  return {
    id: link.id,
    resource_uri: linkUri(ctx, link),
    namespace: link.namespace,
    provider: link.provider,
    account: link.account,
    team: link.team,
    service_account: link.service_account,
    state: link.state,
    created_at: link.created_at,
    updated_at: link.updated_at,
  };
}

/** Parses `limit`/`offset` (`limit` capped at MAX_LIMIT); a malformed value is a 400 rather than a silent default, so client bugs show. */
export function pageParams(ctx: RouteContext): { limit: number; offset: number } | RouteResponse {
  const limit = intParam(ctx.url.searchParams.get("limit"), DEFAULT_LIMIT);
  const offset = intParam(ctx.url.searchParams.get("offset"), 0);
  if (limit === null || limit < 1) return detail(400, "limit must be a positive integer.");
  if (offset === null || offset < 0) return detail(400, "offset must be a non-negative integer.");
  return { limit: Math.min(limit, MAX_LIMIT), offset };
}

/** One page of `items` in the `{meta, objects}` envelope with absolute `next`/`previous` URLs. */
export function listEnvelope<T>(ctx: RouteContext, items: readonly T[], page: { limit: number; offset: number }): BuildServiceListWire<T> {
  const { limit, offset } = page;
  const at = (o: number): string => {
    const url = new URL(ctx.url);
    url.searchParams.set("limit", String(limit));
    url.searchParams.set("offset", String(o));
    return url.toString();
  };
  return {
    meta: {
      limit,
      offset,
      next: offset + limit < items.length ? at(offset + limit) : null,
      previous: offset > 0 ? at(Math.max(0, offset - limit)) : null,
      total_count: items.length,
    },
    objects: items.slice(offset, offset + limit),
  };
}

function intParam(raw: string | null, fallback: number): number | null {
  if (raw === null || raw === "") return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : null;
}
