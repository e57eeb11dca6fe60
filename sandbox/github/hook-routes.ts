/**
 * Repository and organization webhooks:
 * https://docs.github.com/en/rest/repos/webhooks and https://docs.github.com/en/rest/orgs/webhooks.
 */
import type { RouteContext, Router } from "../router.js";
import type { GitHubHookState, World } from "../world.js";
import { creatorApp, hookChangeActions, recordAuditEvent } from "./audit-log.js";
import { authed, findOrg, isOrgOwner, oauthRestriction, repoFor, type Caller, type Lookup } from "./auth.js";
import { conditional, notFound, paginate, validationFailed, type ValidationIssue } from "./respond.js";
import { hookWire, type HookScope } from "./wire.js";

/** Where the hooks of a request live, once the caller is allowed to manage them. */
interface HookOwner {
  scope: HookScope;
  /** The account whose audit log records the hook's changes, and the repository (`owner/name`) for a repository's hooks. */
  audit: { owner: string; repo?: string };
  hooks(): GitHubHookState[];
  /** The list to mutate (created on first write for orgs that had none). */
  mutable(): GitHubHookState[];
}

type OwnerResolver = (ctx: RouteContext, caller: Caller) => Lookup<HookOwner>;

const repoHooks: OwnerResolver = (ctx, caller) => {
  const found = repoFor(ctx, caller, "admin");
  if (!found.ok) return found;
  const repo = found.value;
  return {
    ok: true,
    value: {
      scope: { type: "Repository", path: `/repos/${repo.owner}/${repo.name}` },
      audit: { owner: repo.owner, repo: `${repo.owner}/${repo.name}` },
      hooks: () => repo.hooks,
      mutable: () => repo.hooks,
    },
  };
};

const orgHooks: OwnerResolver = (ctx, caller) => {
  const org = findOrg(ctx.world, ctx.params.org ?? "");
  if (!org) return { ok: false, response: notFound() };
  const restricted = oauthRestriction(ctx.world, caller, org.login);
  if (restricted) return { ok: false, response: restricted };
  // Org webhooks need the admin:org_hook scope and an org owner; others get 404 like any hidden resource.
  if (!isOrgOwner(org, caller.login)) return { ok: false, response: notFound() };
  return {
    ok: true,
    value: {
      scope: { type: "Organization", path: `/orgs/${org.login}` },
      audit: { owner: org.login },
      hooks: () => org.hooks ?? [],
      mutable: () => (org.hooks ??= []),
    },
  };
};

/** Registers `/repos/{owner}/{repo}/hooks[/{hook_id}]` and `/orgs/{org}/hooks[/{hook_id}]`. */
export function registerHookRoutes(router: Router): void {
  for (const [base, resolve] of [
    ["/repos/:owner/:repo/hooks", repoHooks],
    ["/orgs/:org/hooks", orgHooks],
  ] as const) {
    router.add(
      "GET",
      base,
      authed((ctx, caller) => {
        const owner = resolve(ctx, caller);
        if (!owner.ok) return owner.response;
        const { scope } = owner.value;
        return conditional(
          ctx,
          paginate(
            ctx,
            owner.value.hooks().map((h) => hookWire(ctx.mountUrl, scope, h)),
          ),
        );
      }),
    );

    router.add(
      "POST",
      base,
      authed((ctx, caller) => {
        const owner = resolve(ctx, caller);
        if (!owner.ok) return owner.response;
        const parsed = parseHookInput(ctx.body, null);
        if (!parsed.ok) return parsed.response;
        const hooks = owner.value.mutable();
        if (hooks.some((h) => h.config.url === parsed.value.config.url)) {
          return validationFailed([
            {
              resource: "Hook",
              code: "custom",
              message: `Hook already exists on this ${owner.value.scope.type === "Repository" ? "repository" : "organization"}`,
            },
          ]);
        }
        const now = timestamp();
        const hook: GitHubHookState = {
          id: nextId(ctx.world),
          ...parsed.value,
          created_at: now,
          updated_at: now,
          last_response: { code: null, status: "unused", message: null },
        };
        hooks.push(hook);
        audit(ctx, caller, owner.value, "hook.create", hook.id);
        return {
          status: 201,
          body: hookWire(ctx.mountUrl, owner.value.scope, hook),
          headers: { location: `${ctx.mountUrl}${owner.value.scope.path}/hooks/${hook.id}` },
        };
      }),
    );

    router.add(
      "GET",
      `${base}/:hook_id`,
      authed((ctx, caller) => {
        const found = resolveHook(resolve, ctx, caller);
        if (!found.ok) return found.response;
        const { owner, hook } = found.value;
        return conditional(ctx, { status: 200, body: hookWire(ctx.mountUrl, owner.scope, hook) });
      }),
    );

    router.add(
      "PATCH",
      `${base}/:hook_id`,
      authed((ctx, caller) => {
        const found = resolveHook(resolve, ctx, caller);
        if (!found.ok) return found.response;
        const { owner, hook } = found.value;
        const parsed = parseHookInput(ctx.body, hook);
        if (!parsed.ok) return parsed.response;
        const before = { active: hook.active, events: [...hook.events], config: { ...hook.config } };
        Object.assign(hook, parsed.value, { updated_at: timestamp() });
        for (const action of hookChangeActions(before, hook)) audit(ctx, caller, owner, action, hook.id);
        return { status: 200, body: hookWire(ctx.mountUrl, owner.scope, hook) };
      }),
    );

    router.add(
      "DELETE",
      `${base}/:hook_id`,
      authed((ctx, caller) => {
        const found = resolveHook(resolve, ctx, caller);
        if (!found.ok) return found.response;
        const hooks = found.value.owner.hooks();
        hooks.splice(hooks.indexOf(found.value.hook), 1);
        audit(ctx, caller, found.value.owner, "hook.destroy", found.value.hook.id);
        return { status: 204 };
      }),
    );
  }
}

/** Records a hook event in the owner's audit log (Enterprise Cloud orgs only), with the app whose token made it. */
function audit(ctx: RouteContext, caller: Caller, owner: HookOwner, action: string, hookId: number): void {
  const fields = { action, ...(owner.audit.repo ? { repo: owner.audit.repo } : {}), hook_id: hookId, ...creatorApp(caller.token) };
  recordAuditEvent(ctx.world, owner.audit.owner, caller.login, fields, ctx.clock.now());
}

/** The owner and the hook `:hook_id` names, or the response that refuses the request (404 for an unknown id). */
function resolveHook(resolve: OwnerResolver, ctx: RouteContext, caller: Caller): Lookup<{ owner: HookOwner; hook: GitHubHookState }> {
  const owner = resolve(ctx, caller);
  if (!owner.ok) return owner;
  const hook = findHook(owner.value.hooks(), ctx.params.hook_id);
  if (!hook) return { ok: false, response: notFound() };
  return { ok: true, value: { owner: owner.value, hook } };
}

function findHook(hooks: GitHubHookState[], rawId: string | undefined): GitHubHookState | undefined {
  if (rawId === undefined || !/^\d+$/.test(rawId)) return undefined;
  const id = Number(rawId);
  return hooks.find((h) => h.id === id);
}

/** The mutable fields of a hook, validated. */
type HookFields = Pick<GitHubHookState, "active" | "events" | "config">;

/**
 * Validates a create (`current` null) or update body the way GitHub does: `config.url` is required
 * on create, `content_type` is `json|form`, `insecure_ssl` is `"0"|"1"` (numbers accepted),
 * `events` a non-empty list; an update may also send `add_events` / `remove_events`.
 */
function parseHookInput(body: unknown, current: GitHubHookState | null): Lookup<HookFields> {
  const issues: ValidationIssue[] = [];
  const b = isObject(body) ? body : {};
  if (b.name !== undefined && b.name !== "web") issues.push({ resource: "Hook", code: "invalid", field: "name" });
  const rawConfig = b.config === undefined ? undefined : isObject(b.config) ? b.config : null;
  if (rawConfig === null) issues.push({ resource: "Hook", code: "invalid", field: "config" });

  const base = current?.config ?? { url: "", content_type: "form" as const, secret: null, insecure_ssl: "0" as const };
  // On update, a config object replaces the old one except for the secret, which GitHub keeps unless resent.
  const cfg = rawConfig ?? (current ? null : {});
  let config = { ...base };
  if (cfg) {
    const url = cfg.url ?? (current ? base.url : undefined);
    if (typeof url !== "string" || url.length === 0)
      issues.push({ resource: "Hook", code: "custom", message: "Config must contain URL for webhooks" });
    else if (!/^https?:\/\/\S+$/.test(url)) issues.push({ resource: "Hook", code: "custom", message: "Config url is not a valid URL" });
    const contentType = cfg.content_type ?? (current ? base.content_type : "form");
    if (contentType !== "json" && contentType !== "form") issues.push({ resource: "Hook", code: "invalid", field: "content_type" });
    const insecure = cfg.insecure_ssl ?? (current ? base.insecure_ssl : "0");
    const insecureSsl = insecure === 1 || insecure === "1" ? "1" : insecure === 0 || insecure === "0" ? "0" : null;
    if (insecureSsl === null) issues.push({ resource: "Hook", code: "invalid", field: "insecure_ssl" });
    const secret = cfg.secret === undefined ? base.secret : cfg.secret === null || cfg.secret === "" ? null : cfg.secret;
    if (secret !== null && typeof secret !== "string") issues.push({ resource: "Hook", code: "invalid", field: "secret" });
    config = {
      url: typeof url === "string" ? url : "",
      content_type: contentType === "json" ? "json" : "form",
      insecure_ssl: insecureSsl ?? "0",
      secret: typeof secret === "string" ? secret : null,
    };
  }

  let events = current ? [...current.events] : ["push"];
  if (b.events !== undefined) {
    if (!isStringArray(b.events) || b.events.length === 0) issues.push({ resource: "Hook", code: "invalid", field: "events" });
    else events = [...b.events];
  }
  if (current && b.add_events !== undefined) {
    if (!isStringArray(b.add_events)) issues.push({ resource: "Hook", code: "invalid", field: "add_events" });
    else events = [...new Set([...events, ...b.add_events])];
  }
  if (current && b.remove_events !== undefined) {
    if (!isStringArray(b.remove_events)) issues.push({ resource: "Hook", code: "invalid", field: "remove_events" });
    else events = events.filter((e) => !(b.remove_events as string[]).includes(e));
  }

  let active = current?.active ?? true;
  if (b.active !== undefined) {
    if (typeof b.active !== "boolean") issues.push({ resource: "Hook", code: "invalid", field: "active" });
    else active = b.active;
  }

  if (issues.length > 0) return { ok: false, response: validationFailed(issues, "https://docs.github.com/rest/repos/webhooks") };
  return { ok: true, value: { active, events, config } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

/** The world's next id (one counter for every numeric id the sandbox hands out). */
export function nextId(world: World): number {
  return world.nextId++;
}

/** Now, in GitHub's timestamp format (ISO 8601, seconds, `Z`). */
export function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}
