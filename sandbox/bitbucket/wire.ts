/**
 * Wire helpers of the sandbox's Bitbucket Cloud 2.0 subset: its error body
 * `{"type": "error", "error": {"message": "..."}}`, its pages `{pagelen, size, page, next, previous, values}`,
 * and hooks and deploy keys as the API serves them (developer.atlassian.com/cloud/bitbucket/rest).
 */
import type { RouteContext, RouteResponse } from "../router.js";
import { json } from "../router.js";
import type { BitbucketDeployKeyState, BitbucketHookState, BitbucketRepoState } from "../world.js";

/** Bitbucket's default `pagelen` for these collections. */
export const DEFAULT_PAGELEN = 10;
/** Largest `pagelen` served; larger requests are capped. */
export const MAX_PAGELEN = 100;

/** An error in Bitbucket's shape. */
export function bbError(status: number, message: string, headers: Record<string, string> = {}): RouteResponse {
  return json(status, { type: "error", error: { message } }, headers);
}

/** A Bitbucket paged response. */
export interface BitbucketPage<T> {
  pagelen: number;
  size: number;
  page: number;
  next?: string;
  previous?: string;
  values: T[];
}

/** One page of `items` per the `page`/`pagelen` query parameters, with absolute `next`/`previous` URLs. */
export function paged<T>(ctx: RouteContext, items: readonly T[]): RouteResponse {
  const pagelen = positiveInt(ctx.url.searchParams.get("pagelen"), DEFAULT_PAGELEN);
  const page = positiveInt(ctx.url.searchParams.get("page"), 1);
  if (pagelen === null) return bbError(400, "Invalid pagelen");
  if (page === null) return bbError(400, "Invalid page");
  const len = Math.min(pagelen, MAX_PAGELEN);
  const at = (n: number): string => {
    const url = new URL(ctx.url);
    url.searchParams.set("pagelen", String(len));
    url.searchParams.set("page", String(n));
    return url.toString();
  };
  const body: BitbucketPage<T> = { pagelen: len, size: items.length, page, values: items.slice((page - 1) * len, page * len) };
  if (page * len < items.length) body.next = at(page + 1);
  if (page > 1) body.previous = at(page - 1);
  return json(200, body);
}

function positiveInt(raw: string | null, fallback: number): number | null {
  if (raw === null || raw === "") return fallback;
  return /^\d+$/.test(raw) && Number(raw) >= 1 ? Number(raw) : null;
}

/** The API URL of a repository. */
export function repoHref(ctx: RouteContext, repo: BitbucketRepoState): string {
  return `${ctx.mountUrl}/repositories/${encodeURIComponent(repo.workspace)}/${encodeURIComponent(repo.slug)}`;
}

/** A short repository object as embedded in hooks and keys. */
export function repoRef(ctx: RouteContext, repo: BitbucketRepoState): Record<string, unknown> {
  return {
    type: "repository",
    full_name: `${repo.workspace}/${repo.slug}`,
    name: repo.slug,
    uuid: repo.uuid,
    links: { self: { href: repoHref(ctx, repo) } },
  };
}

/** A repository webhook subscription (`webhook_subscription`); the secret itself is never served, only `secret_set`. */
export function hookWire(ctx: RouteContext, repo: BitbucketRepoState, hook: BitbucketHookState): Record<string, unknown> {
  return {
    type: "webhook_subscription",
    uuid: hook.uuid,
    url: hook.url,
    description: hook.description,
    subject_type: "repository",
    subject: repoRef(ctx, repo),
    active: hook.active,
    events: hook.events,
    skip_cert_verification: hook.skip_cert_verification,
    secret_set: hook.secret_set,
    created_at: hook.created_at,
    links: { self: { href: `${repoHref(ctx, repo)}/hooks/${encodeURIComponent(hook.uuid)}` } },
  };
}

/** A repository deploy key (`deploy_key`); `comment` is the key's trailing comment field, as Bitbucket parses it. */
export function deployKeyWire(ctx: RouteContext, repo: BitbucketRepoState, key: BitbucketDeployKeyState): Record<string, unknown> {
  const comment = key.key.trim().split(/\s+/).slice(2).join(" ");
  return {
    type: "deploy_key",
    id: key.id,
    key: key.key.trim().split(/\s+/).slice(0, 2).join(" "),
    label: key.label,
    created_on: key.created_on,
    last_used: null,
    comment: comment === "" ? null : comment,
    repository: repoRef(ctx, repo),
    links: { self: { href: `${repoHref(ctx, repo)}/deploy-keys/${key.id}` } },
  };
}
