/**
 * Bearer-token authentication of the sandbox's build service: a token from
 * `world.buildService.tokens` may act on the namespaces it lists.
 */
import type { RouteContext, RouteResponse } from "../router.js";
import { detail } from "./wire.js";

/**
 * Null when the request may act on `namespace`, else the error to answer: 401 without or with an
 * unknown token (DRF's `NotAuthenticated` / `AuthenticationFailed` texts), 403 for another namespace.
 */
export function authorize(ctx: RouteContext, namespace: string): RouteResponse | null {
  const caller = authenticate(ctx);
  if ("status" in caller) return caller;
  if (!caller.namespaces.includes(namespace)) return detail(403, "You do not have permission to perform this action.");
  return null;
}

/** The namespaces the request's token may act on, or the 401 to answer. */
export function authenticate(ctx: RouteContext): { namespaces: readonly string[] } | RouteResponse {
  const header = ctx.headers.authorization;
  if (header === undefined) return withChallenge(detail(401, "Authentication credentials were not provided."));
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return withChallenge(detail(401, "Invalid token header."));
  const token = ctx.world.buildService.tokens.find((t) => t.token === match[1]);
  if (!token) return withChallenge(detail(401, "Invalid token."));
  return { namespaces: token.namespaces };
}

/** RFC 7235: a 401 names the scheme the client should use. */
function withChallenge(res: RouteResponse): RouteResponse {
  return { ...res, headers: { ...res.headers, "www-authenticate": 'Bearer realm="api"' } };
}
