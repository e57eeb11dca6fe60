/**
 * Actions secrets of repositories and orgs (https://docs.github.com/en/rest/actions/secrets): the
 * public key to seal to, and `PUT` of a sealed value, which the sandbox opens with the private key
 * (sealed-box.ts), so a value not sealed to the served key is refused (422) and the stored value
 * proves the client's encryption. Org secrets carry their visibility and selected repositories.
 */
import type { RouteContext, RouteResponse, Router } from "../router.js";
import type { ActionsSecretState, GitHubOrgState, GitHubRepoState, OrgActionsSecretState, SealingKeyState } from "../world.js";
import { newSealingKey, openSealedBox } from "../sealed-box.js";
import { authed, findOrg, isOrgOwner, oauthRestriction, repoFor, type Caller, type Lookup } from "./auth.js";
import { clockStamp } from "./git-routes.js";
import { notFound, paginate, validationFailed } from "./respond.js";
import { minimalRepository } from "./wire.js";

const VISIBILITIES = ["all", "private", "selected"] as const;

/** GitHub's rule for secret names: letters, digits and `_`, not starting with a digit or `GITHUB_`. */
const SECRET_NAME = /^(?!GITHUB_)[A-Za-z_][A-Za-z0-9_]*$/i;

function bodyOf(ctx: RouteContext): Record<string, unknown> {
  return typeof ctx.body === "object" && ctx.body !== null && !Array.isArray(ctx.body) ? (ctx.body as Record<string, unknown>) : {};
}

async function keyOf(holder: { secretsKey?: SealingKeyState }): Promise<SealingKeyState> {
  holder.secretsKey ??= await newSealingKey();
  return holder.secretsKey;
}

/** The sealed value of a `PUT` body, opened; or the 422 GitHub answers. */
async function openedValue(ctx: RouteContext, holder: { secretsKey?: SealingKeyState }): Promise<Lookup<string>> {
  const { encrypted_value: encrypted, key_id: keyId } = bodyOf(ctx);
  if (typeof encrypted !== "string")
    return { ok: false, response: validationFailed([{ resource: "Secret", code: "missing_field", field: "encrypted_value" }]) };
  const key = await keyOf(holder);
  if (keyId !== key.keyId) return { ok: false, response: validationFailed([{ resource: "Secret", code: "invalid", field: "key_id" }]) };
  const value = await openSealedBox(key, encrypted);
  if (value === null)
    return {
      ok: false,
      response: validationFailed([
        { resource: "Secret", code: "invalid", field: "encrypted_value", message: "encrypted_value is not a sealed box for this key" },
      ]),
    };
  return { ok: true, value };
}

function secretName(ctx: RouteContext): string | null {
  const name = ctx.params.secret_name ?? "";
  return SECRET_NAME.test(name) ? name.toUpperCase() : null;
}

function secretWire(s: ActionsSecretState): Record<string, unknown> {
  return { name: s.name, created_at: s.created_at, updated_at: s.updated_at };
}

function orgSecretWire(ctx: RouteContext, org: GitHubOrgState, s: OrgActionsSecretState): Record<string, unknown> {
  return {
    ...secretWire(s),
    visibility: s.visibility,
    ...(s.visibility === "selected"
      ? { selected_repositories_url: `${ctx.mountUrl}/orgs/${org.login}/actions/secrets/${s.name}/repositories` }
      : {}),
  };
}

/** Stores a value under `name`: 201 when new, 204 when replaced. */
function store<T extends ActionsSecretState>(
  list: T[],
  name: string,
  now: string,
  make: (base: ActionsSecretState) => T,
  value: string,
): { status: number; secret: T } {
  const existing = list.find((s) => s.name === name);
  if (existing) {
    Object.assign(existing, { value, updated_at: now });
    return { status: 204, secret: existing };
  }
  const secret = make({ name, value, created_at: now, updated_at: now });
  list.push(secret);
  return { status: 201, secret };
}

/** Registers the repository and org Actions secret routes. */
export function registerSecretRoutes(router: Router): void {
  const repo = (handler: (ctx: RouteContext, repo: GitHubRepoState) => RouteResponse | Promise<RouteResponse>) =>
    authed((ctx, caller) => {
      const found = repoFor(ctx, caller, "admin");
      return found.ok ? handler(ctx, found.value) : found.response;
    });

  router.add(
    "GET",
    "/repos/:owner/:repo/actions/secrets/public-key",
    repo(async (_ctx, r) => {
      const key = await keyOf(r);
      return { status: 200, body: { key_id: key.keyId, key: key.publicKey } };
    }),
  );
  router.add(
    "GET",
    "/repos/:owner/:repo/actions/secrets",
    repo((ctx, r) => {
      // Paged like GitHub's (30 by default, 100 at most), the page wrapped with the whole count.
      const all = (r.secrets ?? []).map(secretWire);
      const page = paginate(ctx, all);
      return { ...page, body: { total_count: all.length, secrets: page.body } };
    }),
  );
  router.add(
    "GET",
    "/repos/:owner/:repo/actions/secrets/:secret_name",
    repo((ctx, r) => {
      const secret = (r.secrets ?? []).find((s) => s.name === secretName(ctx));
      return secret ? { status: 200, body: secretWire(secret) } : notFound();
    }),
  );
  router.add(
    "PUT",
    "/repos/:owner/:repo/actions/secrets/:secret_name",
    repo(async (ctx, r) => {
      const name = secretName(ctx);
      if (name === null) return validationFailed([{ resource: "Secret", code: "invalid", field: "secret_name" }]);
      const opened = await openedValue(ctx, r);
      if (!opened.ok) return opened.response;
      const { status } = store((r.secrets ??= []), name, clockStamp(ctx), (base) => base, opened.value);
      return status === 201 ? { status, body: {} } : { status };
    }),
  );

  const org = (handler: (ctx: RouteContext, org: GitHubOrgState) => RouteResponse | Promise<RouteResponse>) =>
    authed((ctx, caller) => {
      const found = orgFor(ctx, caller);
      return found.ok ? handler(ctx, found.value) : found.response;
    });

  router.add(
    "GET",
    "/orgs/:org/actions/secrets/public-key",
    org(async (_ctx, o) => {
      const key = await keyOf(o);
      return { status: 200, body: { key_id: key.keyId, key: key.publicKey } };
    }),
  );
  router.add(
    "GET",
    "/orgs/:org/actions/secrets/:secret_name",
    org((ctx, o) => {
      const secret = (o.secrets ?? []).find((s) => s.name === secretName(ctx));
      return secret ? { status: 200, body: orgSecretWire(ctx, o, secret) } : notFound();
    }),
  );
  router.add(
    "PUT",
    "/orgs/:org/actions/secrets/:secret_name",
    org(async (ctx, o) => {
      const name = secretName(ctx);
      if (name === null) return validationFailed([{ resource: "Secret", code: "invalid", field: "secret_name" }]);
      const { visibility: rawVisibility, selected_repository_ids: ids } = bodyOf(ctx);
      const visibility = VISIBILITIES.find((v) => v === rawVisibility);
      if (visibility === undefined) return validationFailed([{ resource: "Secret", code: "invalid", field: "visibility" }]);
      if (ids !== undefined && (!Array.isArray(ids) || !ids.every((id) => Number.isInteger(id))))
        return validationFailed([{ resource: "Secret", code: "invalid", field: "selected_repository_ids" }]);
      const opened = await openedValue(ctx, o);
      if (!opened.ok) return opened.response;
      const { status, secret } = store(
        (o.secrets ??= []),
        name,
        clockStamp(ctx),
        (base) => ({ ...base, visibility, selectedRepositoryIds: [] }),
        opened.value,
      );
      secret.visibility = visibility;
      // Without `selected_repository_ids`, an update keeps the selection it had.
      if (Array.isArray(ids)) secret.selectedRepositoryIds = [...new Set(ids as number[])];
      return status === 201 ? { status, body: {} } : { status };
    }),
  );
  router.add(
    "GET",
    "/orgs/:org/actions/secrets/:secret_name/repositories",
    org((ctx, o) => {
      const secret = (o.secrets ?? []).find((s) => s.name === secretName(ctx));
      if (!secret) return notFound();
      const repos = ctx.world.github.repos.filter((r) => secret.selectedRepositoryIds.includes(r.id));
      const page = paginate(ctx, repos);
      return {
        ...page,
        body: {
          total_count: repos.length,
          repositories: (page.body as GitHubRepoState[]).map((r) => minimalRepository(ctx.mountUrl, ctx.world, r)),
        },
      };
    }),
  );
  router.add(
    "PUT",
    "/orgs/:org/actions/secrets/:secret_name/repositories/:repository_id",
    org((ctx, o) => {
      const secret = (o.secrets ?? []).find((s) => s.name === secretName(ctx));
      const raw = ctx.params.repository_id ?? "";
      const repository = /^\d+$/.test(raw) ? ctx.world.github.repos.find((r) => r.id === Number(raw)) : undefined;
      if (!secret || !repository) return notFound();
      // GitHub: 409 when the secret's visibility is not `selected`.
      if (secret.visibility !== "selected") return { status: 409 };
      if (!secret.selectedRepositoryIds.includes(repository.id)) secret.selectedRepositoryIds.push(repository.id);
      return { status: 204 };
    }),
  );
}

/** The org of `:org` when the caller owns it (Actions org secrets need an owner and `admin:org`); 404 otherwise. */
function orgFor(ctx: RouteContext, caller: Caller): Lookup<GitHubOrgState> {
  const org = findOrg(ctx.world, ctx.params.org ?? "");
  if (!org) return { ok: false, response: notFound() };
  const restricted = oauthRestriction(ctx.world, caller, org.login);
  if (restricted) return { ok: false, response: restricted };
  if (!isOrgOwner(org, caller.login)) return { ok: false, response: notFound() };
  return { ok: true, value: org };
}
