/**
 * GitHub's error bodies, pagination and conditional requests, as api.github.com sends them.
 * Docs: https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api and
 * https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api.
 */
import { createHash } from "node:crypto";
import type { RouteContext, RouteResponse } from "../router.js";
import { bearerToken } from "./auth.js";
import { lastModifiedSeconds } from "./last-modified.js";

/** The `documentation_url` GitHub puts on generic errors. */
export const DOCS_URL = "https://docs.github.com/rest";

/** A GitHub error body (`basic-error`): `message`, `documentation_url`, and the status as a string. */
export function githubError(status: number, message: string, documentationUrl = DOCS_URL): RouteResponse {
  return { status, body: { message, documentation_url: documentationUrl, status: String(status) } };
}

/** 404 `Not Found`: GitHub answers it for resources that do not exist and for those the token cannot see. */
export function notFound(): RouteResponse {
  return githubError(404, "Not Found");
}

/**
 * GitHub's answer to a repository's old name: 301 to a read, 307 to anything else (so the method and
 * body are sent again), `Location` naming the repository by id with the rest of the path and the query.
 */
export function redirect(ctx: RouteContext, repo: { id: number }): RouteResponse {
  const mount = new URL(ctx.mountUrl);
  // `/github/repos/{owner}/{repo}/rest…` → `/rest…`
  const rest = ctx.url.pathname.slice(mount.pathname.length).split("/").slice(4).join("/");
  const url = `${ctx.mountUrl}/repositories/${repo.id}${rest === "" ? "" : `/${rest}`}`;
  const status = ctx.method === "GET" ? 301 : 307;
  return {
    status,
    headers: { location: `${url}${ctx.url.search}` },
    body: {
      message: status === 301 ? "Moved Permanently" : "Temporary Redirect",
      url,
      documentation_url: "https://docs.github.com/v3/#http-redirects",
    },
  };
}

/** 401 for an unknown or revoked token. */
export function badCredentials(): RouteResponse {
  return githubError(401, "Bad credentials");
}

/** 401 when no credentials were sent to an endpoint that needs them. */
export function requiresAuthentication(): RouteResponse {
  return githubError(401, "Requires authentication");
}

/** One entry of a 422 body's `errors` array. */
export interface ValidationIssue {
  resource: string;
  code: "missing" | "missing_field" | "invalid" | "already_exists" | "unprocessable" | "custom";
  field?: string;
  message?: string;
}

/** 422 `Validation Failed` with GitHub's `errors` array (`validation-error` in the OpenAPI description). */
export function validationFailed(errors: ValidationIssue[], documentationUrl = DOCS_URL): RouteResponse {
  return { status: 422, body: { message: "Validation Failed", errors, documentation_url: documentationUrl, status: "422" } };
}

/** GitHub's default and maximum `per_page`. */
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

/** One page of a list plus its `Link` header, computed from `per_page` and `page` like GitHub does. */
export function paginate<T>(ctx: RouteContext, items: readonly T[]): RouteResponse {
  const perPage = clamp(parsePositive(ctx.url.searchParams.get("per_page")) ?? DEFAULT_PER_PAGE, 1, MAX_PER_PAGE);
  const page = parsePositive(ctx.url.searchParams.get("page")) ?? 1;
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const body = items.slice((page - 1) * perPage, page * perPage);
  const links: string[] = [];
  const link = (n: number, rel: string): void => {
    links.push(`<${pageUrl(ctx, perPage, n)}>; rel="${rel}"`);
  };
  if (page > 1) link(Math.min(page - 1, lastPage), "prev");
  if (page < lastPage) link(page + 1, "next");
  if (page < lastPage) link(lastPage, "last");
  if (page > 1) link(1, "first");
  const headers: Record<string, string> = links.length > 0 ? { link: links.join(", ") } : {};
  return { status: 200, body, headers };
}

function pageUrl(ctx: RouteContext, perPage: number, page: number): string {
  const url = new URL(ctx.url.toString());
  url.searchParams.set("per_page", String(perPage));
  url.searchParams.set("page", String(page));
  // Links are absolute URLs under the mount, as GitHub's are under https://api.github.com.
  const mount = new URL(ctx.mountUrl);
  return `${mount.origin}${url.pathname}${url.search}`;
}

function parsePositive(raw: string | null): number | undefined {
  if (raw === null || !/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 ? n : undefined;
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}

/**
 * A strong ETag: the SHA-256 of the credential and the JSON body. GitHub's ETags are specific to the
 * token that made the request (GitHub Support: "It's currently expected for ETags to be auth token
 * specific", eclipse-csi/otterdog#201), so a validator obtained with one token never matches under
 * another, not even an installation's next token.
 */
export function etagOf(body: unknown, credential: string | null = null): string {
  const text = typeof body === "string" ? body : JSON.stringify(body ?? null);
  return `"${createHash("sha256")
    .update(`${credential ?? "anonymous"}\n`)
    .update(text)
    .digest("hex")}"`;
}

/** How `conditional` validates an answer besides its ETag. */
export interface ConditionalOptions {
  /** Send `Last-Modified` and honour `If-Modified-Since` (GitHub dates single resources, not listings). */
  lastModified?: boolean;
}

/**
 * Adds `ETag` (and `Last-Modified` when asked) to a successful GET and answers `304 Not Modified`
 * with an empty body when the request's validators say the client holds the current representation
 * (RFC 9110 §13.2.2: `If-None-Match` when sent, else `If-Modified-Since`). GitHub documents a 304 as
 * free of primary rate-limit cost:
 * https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api.
 */
export function conditional(ctx: RouteContext, response: RouteResponse, options: ConditionalOptions = {}): RouteResponse {
  if (ctx.method !== "GET" || response.status !== 200) return response;
  const etag = etagOf(response.body, bearerToken(ctx.headers.authorization));
  const modified = options.lastModified ? lastModifiedSeconds(ctx.world, ctx.url.pathname, response.body, ctx.clock.now()) : null;
  const headers: Record<string, string> = {
    ...response.headers,
    etag,
    ...(modified === null ? {} : { "last-modified": new Date(modified * 1000).toUTCString() }),
    "cache-control": "private, max-age=60, s-maxage=60",
    vary: "Accept, Authorization, Cookie, X-GitHub-OTP",
  };
  const ifNoneMatch = ctx.headers["if-none-match"];
  const notModified =
    ifNoneMatch !== undefined
      ? ifNoneMatchMatches(ifNoneMatch, etag)
      : modified !== null && notModifiedSince(ctx.headers["if-modified-since"], modified);
  if (notModified) return { status: 304, headers };
  return { ...response, headers };
}

function ifNoneMatchMatches(header: string | string[], etag: string): boolean {
  const raw = Array.isArray(header) ? header.join(",") : header;
  // If-None-Match uses the weak comparison (RFC 9110 §13.1.2): a `W/` prefix does not matter.
  return raw.split(",").some((candidate) => {
    const c = candidate.trim();
    return c === "*" || c.replace(/^W\//, "") === etag;
  });
}

/** Whether an `If-Modified-Since` date is at or after the modification date (an unreadable one is ignored, RFC 9110 §13.1.3). */
function notModifiedSince(header: string | undefined, modifiedSeconds: number): boolean {
  if (header === undefined) return false;
  const since = Date.parse(header);
  return Number.isFinite(since) && modifiedSeconds * 1000 <= since;
}
