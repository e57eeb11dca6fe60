/** Repository webhooks of the sandbox's Bitbucket: `/repositories/{workspace}/{repo_slug}/hooks[/{uid}]`. */
import { randomUUID } from "node:crypto";
import type { RouteContext, RouteResponse } from "../router.js";
import { json } from "../router.js";
import type { BitbucketHookState, BitbucketRepoState } from "../world.js";
import { withRepository } from "./auth.js";
import { bbError, hookWire, paged } from "./wire.js";

/** `GET …/hooks`: the repository's webhook subscriptions, paged. */
export const listHooks = withRepository((ctx, repo) =>
  paged(
    ctx,
    repo.hooks.map((h) => hookWire(ctx, repo, h)),
  ),
);

/** `POST …/hooks`: creates a subscription (201); `url` and a non-empty `events` list are required. */
export const createHook = withRepository((ctx, repo) => {
  const body = record(ctx.body);
  if (typeof body["url"] !== "string" || !isHttpUrl(body["url"])) return bbError(400, "url: Enter a valid URL.");
  if (!isStringList(body["events"]) || body["events"].length === 0) return bbError(400, "events: This field is required.");
  const hook: BitbucketHookState = {
    uuid: `{${randomUUID()}}`,
    url: body["url"],
    description: typeof body["description"] === "string" ? body["description"] : "",
    active: typeof body["active"] === "boolean" ? body["active"] : true,
    events: body["events"],
    skip_cert_verification: body["skip_cert_verification"] === true,
    secret_set: typeof body["secret"] === "string" && body["secret"] !== "",
    created_at: new Date().toISOString(),
  };
  repo.hooks.push(hook);
  return json(201, hookWire(ctx, repo, hook));
});

/** `GET …/hooks/{uid}`. */
export const getHook = withHook((ctx, repo, hook) => json(200, hookWire(ctx, repo, hook)));

/** `PUT …/hooks/{uid}`: updates the fields given; `secret: null` clears the secret, an absent one keeps it. */
export const updateHook = withHook((ctx, repo, hook) => {
  const body = record(ctx.body);
  if (body["url"] !== undefined) {
    if (typeof body["url"] !== "string" || !isHttpUrl(body["url"])) return bbError(400, "url: Enter a valid URL.");
    hook.url = body["url"];
  }
  if (body["events"] !== undefined) {
    if (!isStringList(body["events"]) || body["events"].length === 0) return bbError(400, "events: This field is required.");
    hook.events = body["events"];
  }
  if (typeof body["description"] === "string") hook.description = body["description"];
  if (typeof body["active"] === "boolean") hook.active = body["active"];
  if (typeof body["skip_cert_verification"] === "boolean") hook.skip_cert_verification = body["skip_cert_verification"];
  if (body["secret"] === null) hook.secret_set = false;
  else if (typeof body["secret"] === "string") hook.secret_set = body["secret"] !== "";
  return json(200, hookWire(ctx, repo, hook));
});

/** `DELETE …/hooks/{uid}`: 204, or 404 when already gone. */
export const deleteHook = withHook((_ctx, repo, hook) => {
  repo.hooks = repo.hooks.filter((h) => h !== hook);
  return { status: 204 };
});

/** Resolves `{uid}`, which is the hook's uuid with or without its braces. */
function withHook(handler: (ctx: RouteContext, repo: BitbucketRepoState, hook: BitbucketHookState) => RouteResponse) {
  return withRepository((ctx, repo) => {
    const uid = ctx.params["uid"]!;
    const uuid = uid.startsWith("{") ? uid : `{${uid}}`;
    const hook = repo.hooks.find((h) => h.uuid.toLowerCase() === uuid.toLowerCase());
    return hook ? handler(ctx, repo, hook) : bbError(404, `Webhook ${uuid} not found`);
  });
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function isHttpUrl(value: string): boolean {
  return /^https?:\/\/[^\s]+$/.test(value);
}
