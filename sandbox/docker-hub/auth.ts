/**
 * Docker Hub's authentication in the sandbox: `POST /v2/auth/token` exchanges a username and a
 * personal access token for a bearer JWT (an hour of sandbox time), and a request's caller is the
 * user its bearer names. A read-only token's bearer may read; nothing here writes.
 */
import { randomBytes } from "node:crypto";
import type { RouteContext, RouteResponse } from "../router.js";
import { json } from "../router.js";
import type { DockerHubBearerState } from "../world.js";
import { dockerHubOf } from "./registry.js";

/** How long an issued bearer is accepted, in Docker Hub seconds. */
const BEARER_SECONDS = 3600;

/** Docker Hub's error body. */
export function hubError(status: number, message: string, headers: Record<string, string> = {}): RouteResponse {
  return json(status, { message, errinfo: {} }, headers);
}

/** `POST /v2/auth/token` with `{identifier, secret}`: `{access_token}`, or 401. */
export function issueToken(ctx: RouteContext): RouteResponse {
  const body = ctx.body as { identifier?: unknown; secret?: unknown } | undefined;
  if (typeof body?.identifier !== "string" || typeof body.secret !== "string") return hubError(400, "identifier and secret are required");
  const hub = dockerHubOf(ctx.world);
  const user = hub.users.find((u) => u.username === body.identifier);
  const token = user?.accessTokens.find((t) => t.token === body.secret);
  if (user === undefined || token === undefined) return hubError(401, "Incorrect authentication credentials.");
  const now = ctx.clock.now();
  const expiresAt = now + ctx.clock.realMs(BEARER_SECONDS);
  const bearer = jwt({ sub: user.username, scope: token.scope, iat: Math.floor(now / 1000), exp: Math.floor(expiresAt / 1000) });
  // Expired bearers are dropped as new ones are issued, so the world does not grow without bound.
  hub.bearers = hub.bearers.filter((b) => b.expiresAt > now);
  hub.bearers.push({ token: bearer, username: user.username, scope: token.scope, expiresAt });
  return json(200, { access_token: bearer });
}

/** The bearer a request carries, if the sandbox issued it and it has not expired; `invalid` for any other credential. */
export function bearerOf(ctx: RouteContext): DockerHubBearerState | "anonymous" | "invalid" {
  const header = ctx.headers.authorization;
  if (header === undefined || header === "") return "anonymous";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const found = match ? dockerHubOf(ctx.world).bearers.find((b) => b.token === match[1]) : undefined;
  return found !== undefined && found.expiresAt > ctx.clock.now() ? found : "invalid";
}

function jwt(payload: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part({ ...payload, iss: "sandbox-docker-hub" })}.${randomBytes(32).toString("base64url")}`;
}
