/**
 * Sandbox seeds: a friendly YAML description of a world, turned into a `World` by `loadSeed`.
 * Validated by `schema/sandbox-seed.schema.json` (unknown keys are errors), then checked for
 * references (every login, repository and app a field names must be declared). Errors name the
 * line and column. Every secret you leave out is generated at load time as an obviously fake random
 * value (`sbx-gh-<hex>`, `sbx-bb-<hex>`, `sbx-bs-<hex>`, `sbx-cs-<hex>`, `sbx-hook-<hex>`), never shaped
 * like a real GitHub token. Ids come from `world.nextId`; timestamps are the load time.
 *
 * ```yaml
 * operator:                        # whose credentials the sandbox prints in its env (all optional)
 *   github: jdoe                   #   GITHUB_TOKEN = this user's PAT (default: the first PAT)
 *   bitbucket: acme-bb-builder     #   BITBUCKET_EMAIL / BITBUCKET_API_TOKEN (default: first user)
 *   namespace: acme                #   SOURCELINKS_BUILD_TOKEN (default: namespace acme, else the first token)
 * oauthApps:                       # the build service's OAuth apps (SOURCELINKS_GITHUB_CLIENT_SECRET = the GitHub one's)
 *   - { provider: github, clientId: Iv1.5a9d0c3e7b214f68, name: Docker Hub Builder }   # clientSecret: optional
 *   - { provider: bitbucket, clientId: SbxKey7Q2w, name: Docker Hub Builder }          # clientId = consumer key
 * github:
 *   users:
 *     - login: jdoe
 *       name: Jane Doe             # optional
 *       pat: true                  # true (default): generate a PAT; false: none; a string: that value
 *   orgs:
 *     - login: acme
 *       owners: [jdoe]             # declared users
 *       members: [acme-builder]
 *       restrictions: true         # OAuth App access restrictions on (default true, GitHub's default)
 *       appAccess: { Iv1.5a9d0c3e7b214f68: granted }   # granted | denied | requested, per app client id
 *       auditLog: true             # GitHub Enterprise Cloud audit log (default false); seeded with one
 *                                  # org.oauth_app_access_approved|denied|requested entry per appAccess entry
 *       hooks: []                  # organization webhooks, same shape as repository hooks
 *   repos:
 *     - name: acme/api             # owner must be a declared user or org
 *       private: true              # default true
 *       archived: false            # default false; GitHub refuses writes (403) to an archived repository
 *       hooks:
 *         - url: https://cloud.docker.com/api/build/v1/vcs/0b6c.../trigger/call/
 *           active: true           # default true
 *           events: [push, pull_request]   # default [push]
 *           contentType: json      # json (default) | form
 *           secret: true           # true: generated; false (default): none; a string: that value
 *           insecureSsl: false     # default false
 *           lastResponse: { code: 200, status: active, message: OK }   # default {code: null, status: unused}
 *       deployKeys:
 *         - { title: Docker Hub Builder, readOnly: true }   # key: optional (a fake ssh-ed25519 key)
 *   tokens:                        # extra tokens besides the users' PATs and the links' grants
 *     - { login: jdoe, kind: oauth, app: Iv1.5a9d0c3e7b214f68, value: optional, revoked: false }
 * bitbucket:
 *   users:
 *     - username: acme-bb-builder
 *       email: optional            # the Atlassian account's email (default USERNAME@bitbucket.sandbox.test)
 *       apiToken: optional         # API token, sent as Basic email:token (generated when absent)
 *       appPassword: optional      # a legacy app password: refused with 401, as Bitbucket does since 2026-07-28
 *       workspaces: [acme-team]
 *       grants: [{ app: SbxKey7Q2w, revoked: false }]   # extra OAuth consumer grants (accessToken optional)
 *   repos:
 *     - name: acme-team/mobile     # workspace/slug
 *       hooks: [{ url: https://registry.hub.docker.com/hooks/bitbucket, description: Docker Hub, active: true,
 *                 events: [repo:push], secret: false, skipCertVerification: false }]
 *       deployKeys: [{ label: Docker Hub Builder }]
 *   accessTokens:                  # workspace or repository access tokens, sent as Bearer
 *     - { workspace: acme-team, repository: optional slug, value: optional }
 * buildService:
 *   webhookUrlBase: https://cloud.docker.com/api/build/v1/vcs/   # default
 *   namespaces:
 *     - name: acme
 *       tokens: [{}]               # API tokens acting on this namespace (default one, generated);
 *                                  # the same value under several namespaces is one multi-namespace token
 *       links:
 *         - id: optional           # default: a fresh id from nextId
 *           team: ci               # default null
 *           provider: github       # github | bitbucket
 *           account: jdoe          # a declared GitHub user / Bitbucket user
 *           serviceAccount: false  # default false
 *           state: enabled         # enabled (default) | disabled | unlinked
 *           repositories: [acme/api, acme/web]   # declared repos of that provider
 *           grant: active          # active (default): an OAuth token for (account, the provider's app) is issued
 *                                  # and held as the link's grantToken; revoked: issued then revoked; none: no grant
 * ```
 */
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject } from "ajv";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import seedSchema from "../../schema/sandbox-seed.schema.json" with { type: "json" };
import { emptyWorld, type GitHubHookState, type World } from "./world.js";

/** A seed document (the parsed YAML); see the module comment for every field. */
export interface SeedDocument {
  operator?: { github?: string; bitbucket?: string; namespace?: string };
  oauthApps?: { provider: "github" | "bitbucket"; clientId: string; name: string; clientSecret?: string }[];
  github?: {
    users?: { login: string; name?: string | null; pat?: boolean | string }[];
    orgs?: {
      login: string;
      name?: string | null;
      owners?: string[];
      members?: string[];
      restrictions?: boolean;
      appAccess?: Record<string, "granted" | "denied" | "requested">;
      auditLog?: boolean;
      hooks?: SeedGitHubHook[];
    }[];
    repos?: {
      name: string;
      private?: boolean;
      archived?: boolean;
      hooks?: SeedGitHubHook[];
      deployKeys?: { title: string; key?: string; readOnly?: boolean }[];
    }[];
    tokens?: { login: string; kind: "pat" | "oauth"; app?: string; value?: string; revoked?: boolean }[];
  };
  bitbucket?: {
    users?: {
      username: string;
      email?: string;
      apiToken?: string;
      appPassword?: string;
      workspaces?: string[];
      grants?: { app: string; revoked?: boolean; accessToken?: string }[];
    }[];
    repos?: {
      name: string;
      hooks?: { url: string; description?: string; active?: boolean; events?: string[]; secret?: boolean; skipCertVerification?: boolean }[];
      deployKeys?: { label: string; key?: string }[];
    }[];
    accessTokens?: { workspace: string; repository?: string; value?: string }[];
  };
  buildService?: {
    webhookUrlBase?: string;
    namespaces?: {
      name: string;
      tokens?: { value?: string }[];
      links?: SeedLink[];
    }[];
  };
}

/** A GitHub webhook in a seed. */
export interface SeedGitHubHook {
  url: string;
  active?: boolean;
  events?: string[];
  contentType?: "json" | "form";
  secret?: boolean | string;
  insecureSsl?: boolean;
  lastResponse?: { code?: number | null; status: string; message?: string | null };
}

/** A build-service link in a seed. */
export interface SeedLink {
  id?: string;
  team?: string | null;
  provider: "github" | "bitbucket";
  account: string;
  serviceAccount?: boolean;
  state?: "enabled" | "disabled" | "unlinked";
  repositories?: string[];
  grant?: "active" | "revoked" | "none";
}

/** A seed that cannot be loaded; `problems` lists each one as `SOURCE:LINE:COL: message` when the position is known. */
export class SeedError extends Error {
  override readonly name = "SeedError";
  constructor(readonly problems: string[]) {
    super(`invalid sandbox seed:\n  ${problems.join("\n  ")}`);
  }
}

/** An obviously fake secret: `<prefix>-<32 hex>`. */
export function fakeSecret(prefix: string): string {
  return `${prefix}-${randomBytes(16).toString("hex")}`;
}

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validateSeed = ajv.compile<SeedDocument>(seedSchema);

type Locate = (path: (string | number)[]) => string;

/**
 * Converts a seed (YAML text or an already parsed document) into a world.
 * @param source names the text in error messages (a file path, usually).
 * @throws SeedError listing every problem found.
 */
export function loadSeed(input: string | SeedDocument, source = "seed"): World {
  let doc: unknown = input;
  let locate: Locate = (path) => `${source}: /${path.join("/")}`;
  if (typeof input === "string") {
    const lines = new LineCounter();
    const parsed = parseDocument(input, { lineCounter: lines, prettyErrors: false });
    if (parsed.errors.length > 0) {
      throw new SeedError(parsed.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return `${source}:${pos.line}:${pos.col}: ${e.message.split("\n")[0]}`;
      }));
    }
    doc = parsed.toJS() ?? {};
    locate = yamlLocator(parsed, lines, source);
  }
  if (!validateSeed(doc)) {
    throw new SeedError((validateSeed.errors ?? []).map((e) => `${locate(errorPath(e))}: ${describe(e)}`));
  }
  return buildWorld(doc, locate);
}

/** Reads and loads a seed file. */
export function loadSeedFile(path: string): World {
  return loadSeed(readFileSync(path, "utf8"), path);
}

function errorPath(e: ErrorObject): (string | number)[] {
  const path: (string | number)[] = e.instancePath.split("/").slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  if (e.keyword === "additionalProperties") path.push(String((e.params as { additionalProperty: string }).additionalProperty));
  return path;
}

function describe(e: ErrorObject): string {
  const at = e.instancePath || "/";
  if (e.keyword === "additionalProperties") return `unknown key "${(e.params as { additionalProperty: string }).additionalProperty}" in ${at}`;
  if (e.keyword === "enum") return `${at} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`;
  return `${at} ${e.message ?? "is invalid"}`;
}

function yamlLocator(doc: Document, lines: LineCounter, source: string): Locate {
  const at = (offset: number): string => {
    const pos = lines.linePos(offset);
    return `${source}:${pos.line}:${pos.col}`;
  };
  return (path) => {
    // Point at the deepest part of the path that exists; for a map entry, at its key.
    for (let n = path.length; n > 0; n--) {
      const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
      const last = path[n - 1];
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(last));
        const range = isScalar(pair?.key) ? pair.key.range : undefined;
        if (range) return at(range[0]);
      } else if (isSeq(parent) && typeof last === "number") {
        const range = (parent.items[last] as { range?: [number, number, number] } | undefined)?.range;
        if (range) return at(range[0]);
      }
    }
    const root = (doc.contents as { range?: [number, number, number] } | null)?.range;
    return root ? at(root[0]) : source;
  };
}

function buildWorld(seed: SeedDocument, locate: Locate): World {
  const world = emptyWorld();
  const problems: string[] = [];
  const now = new Date().toISOString();
  const nextId = (): number => world.nextId++;
  const problem = (path: (string | number)[], message: string): void => {
    problems.push(`${locate(path)}: ${message}`);
  };

  // OAuth apps.
  for (const [i, app] of (seed.oauthApps ?? []).entries()) {
    if (world.oauthApps.some((a) => a.clientId === app.clientId)) problem(["oauthApps", i, "clientId"], `duplicate OAuth app "${app.clientId}"`);
    world.oauthApps.push({ provider: app.provider, clientId: app.clientId, name: app.name, clientSecret: app.clientSecret ?? fakeSecret("sbx-cs") });
  }
  const appOf = (provider: "github" | "bitbucket", clientId: string): boolean =>
    world.oauthApps.some((a) => a.provider === provider && a.clientId === clientId);

  // GitHub accounts and PATs.
  const gh = seed.github ?? {};
  const users = new Set<string>();
  for (const [i, user] of (gh.users ?? []).entries()) {
    if (users.has(user.login)) problem(["github", "users", i, "login"], `duplicate GitHub user "${user.login}"`);
    users.add(user.login);
    world.github.accounts.push({ id: nextId(), login: user.login, type: "User", name: user.name ?? null });
    const pat = user.pat ?? true;
    if (pat !== false) {
      world.github.tokens.push({ token: pat === true ? fakeSecret("sbx-gh") : pat, login: user.login, kind: "pat", clientId: null, revoked: false });
    }
  }
  const accounts = new Set(users);
  for (const [i, org] of (gh.orgs ?? []).entries()) {
    if (accounts.has(org.login)) problem(["github", "orgs", i, "login"], `duplicate GitHub account "${org.login}"`);
    accounts.add(org.login);
    world.github.accounts.push({ id: nextId(), login: org.login, type: "Organization", name: org.name ?? null });
    for (const role of ["owners", "members"] as const) {
      for (const [j, login] of (org[role] ?? []).entries()) {
        if (!users.has(login)) problem(["github", "orgs", i, role, j], `"${login}" is not a declared GitHub user`);
      }
    }
    const appAccess = org.appAccess ?? {};
    for (const clientId of Object.keys(appAccess)) {
      if (!appOf("github", clientId)) problem(["github", "orgs", i, "appAccess", clientId], `"${clientId}" is not a declared GitHub OAuth app`);
    }
    const actor = org.owners?.[0] ?? "ghost";
    world.github.orgs.push({
      login: org.login,
      owners: [...(org.owners ?? [])],
      members: [...(org.members ?? [])],
      oauthAppAccess: { ...appAccess },
      oauthRestrictionsEnabled: org.restrictions ?? true,
      auditLog: org.auditLog
        ? Object.entries(appAccess).map(([clientId, access]) => ({
            action: `org.oauth_app_access_${access === "granted" ? "approved" : access}`,
            created_at: now,
            actor,
            oauth_application_client_id: clientId,
          }))
        : null,
      ...(org.hooks ? { hooks: org.hooks.map((h) => githubHook(h, nextId(), now)) } : {}),
    });
  }

  const ghRepos = new Set<string>();
  for (const [i, repo] of (gh.repos ?? []).entries()) {
    const [owner, name] = repo.name.split("/") as [string, string];
    if (!accounts.has(owner)) problem(["github", "repos", i, "name"], `owner "${owner}" is not a declared GitHub user or org`);
    if (ghRepos.has(repo.name)) problem(["github", "repos", i, "name"], `duplicate repository "${repo.name}"`);
    ghRepos.add(repo.name);
    world.github.repos.push({
      id: nextId(),
      owner,
      name,
      private: repo.private ?? true,
      ...(repo.archived === true ? { archived: true } : {}),
      hooks: (repo.hooks ?? []).map((h) => githubHook(h, nextId(), now)),
      keys: (repo.deployKeys ?? []).map((k) => ({
        id: nextId(),
        key: k.key ?? fakePublicKey(),
        title: k.title,
        read_only: k.readOnly ?? true,
        verified: true,
        created_at: now,
        added_by: null,
      })),
    });
  }

  for (const [i, t] of (gh.tokens ?? []).entries()) {
    if (!users.has(t.login)) problem(["github", "tokens", i, "login"], `"${t.login}" is not a declared GitHub user`);
    if (t.kind === "oauth" && (t.app === undefined || !appOf("github", t.app))) problem(["github", "tokens", i], "an oauth token needs `app`: a declared GitHub OAuth app client id");
    if (t.kind === "pat" && t.app !== undefined) problem(["github", "tokens", i, "app"], "a pat has no app");
    world.github.tokens.push({
      token: t.value ?? fakeSecret(t.kind === "pat" ? "sbx-gh" : "sbx-gh-oauth"),
      login: t.login,
      kind: t.kind,
      clientId: t.kind === "oauth" ? t.app ?? null : null,
      revoked: t.revoked ?? false,
    });
  }

  // Bitbucket.
  const bb = seed.bitbucket ?? {};
  for (const [i, user] of (bb.users ?? []).entries()) {
    if (world.bitbucket.users.some((u) => u.username === user.username)) problem(["bitbucket", "users", i, "username"], `duplicate Bitbucket user "${user.username}"`);
    for (const [j, g] of (user.grants ?? []).entries()) {
      if (!appOf("bitbucket", g.app)) problem(["bitbucket", "users", i, "grants", j, "app"], `"${g.app}" is not a declared Bitbucket OAuth consumer`);
    }
    world.bitbucket.users.push({
      username: user.username,
      email: user.email ?? `${user.username}@bitbucket.sandbox.test`,
      apiToken: user.apiToken ?? fakeSecret("sbx-bb-api"),
      appPassword: user.appPassword ?? fakeSecret("sbx-bb-app"),
      workspaces: [...(user.workspaces ?? [])],
      grants: (user.grants ?? []).map((g) => ({ consumerKey: g.app, revoked: g.revoked ?? false, accessToken: g.accessToken ?? fakeSecret("sbx-bb-oauth") })),
    });
  }
  const bbRepos = new Set<string>();
  for (const [i, repo] of (bb.repos ?? []).entries()) {
    const [workspace, slug] = repo.name.split("/") as [string, string];
    if (bbRepos.has(repo.name)) problem(["bitbucket", "repos", i, "name"], `duplicate repository "${repo.name}"`);
    bbRepos.add(repo.name);
    world.bitbucket.repos.push({
      uuid: `{${randomUUID()}}`,
      workspace,
      slug,
      hooks: (repo.hooks ?? []).map((h) => ({
        uuid: `{${randomUUID()}}`,
        url: h.url,
        description: h.description ?? "",
        active: h.active ?? true,
        events: [...(h.events ?? ["repo:push"])],
        skip_cert_verification: h.skipCertVerification ?? false,
        secret_set: h.secret ?? false,
        created_at: now,
      })),
      keys: (repo.deployKeys ?? []).map((k) => ({ id: nextId(), key: k.key ?? fakePublicKey(), label: k.label, created_on: now })),
    });
  }
  world.bitbucket.accessTokens = (bb.accessTokens ?? []).map((t) => ({ token: t.value ?? fakeSecret("sbx-bb-access"), workspace: t.workspace, repository: t.repository ?? null }));

  // Build service.
  const bs = seed.buildService ?? {};
  if (bs.webhookUrlBase !== undefined) world.buildService.webhookUrlBase = bs.webhookUrlBase;
  const linkIds = new Set<string>();
  for (const [i, ns] of (bs.namespaces ?? []).entries()) {
    for (const t of ns.tokens ?? [{}]) {
      const value = t.value ?? fakeSecret("sbx-bs");
      const existing = world.buildService.tokens.find((x) => x.token === value);
      if (existing) existing.namespaces.push(ns.name);
      else world.buildService.tokens.push({ token: value, namespaces: [ns.name] });
    }
    for (const [j, link] of (ns.links ?? []).entries()) {
      const at = ["buildService", "namespaces", i, "links", j];
      const id = link.id ?? String(nextId());
      if (linkIds.has(id)) problem([...at, "id"], `duplicate link id "${id}"`);
      linkIds.add(id);
      const known = link.provider === "github" ? users : new Set(world.bitbucket.users.map((u) => u.username));
      if (!known.has(link.account)) problem([...at, "account"], `"${link.account}" is not a declared ${link.provider} user`);
      const repos = link.provider === "github" ? ghRepos : bbRepos;
      for (const [k, r] of (link.repositories ?? []).entries()) {
        if (!repos.has(r)) problem([...at, "repositories", k], `"${r}" is not a declared ${link.provider} repository`);
      }
      const grant = link.grant ?? "active";
      let grantToken: string | null = null;
      if (grant !== "none") {
        const app = world.oauthApps.find((a) => a.provider === link.provider);
        if (!app) {
          problem([...at, "grant"], `a grant needs a ${link.provider} OAuth app in oauthApps (or set grant: none)`);
        } else if (link.provider === "github") {
          grantToken = fakeSecret("sbx-gh-oauth");
          world.github.tokens.push({ token: grantToken, login: link.account, kind: "oauth", clientId: app.clientId, revoked: grant === "revoked" });
        } else {
          grantToken = fakeSecret("sbx-bb-oauth");
          world.bitbucket.users.find((u) => u.username === link.account)
            ?.grants.push({ consumerKey: app.clientId, revoked: grant === "revoked", accessToken: grantToken });
        }
      }
      world.buildService.links.push({
        id,
        namespace: ns.name,
        provider: link.provider,
        account: link.account,
        team: link.team ?? null,
        service_account: link.serviceAccount ?? false,
        state: link.state ?? "enabled",
        created_at: now,
        updated_at: now,
        grantToken,
        repositories: [...(link.repositories ?? [])],
      });
    }
  }

  // Operator.
  if (seed.operator) {
    const op = seed.operator;
    if (op.github !== undefined && !world.github.tokens.some((t) => t.login === op.github && t.kind === "pat")) {
      problem(["operator", "github"], `"${op.github}" is not a declared GitHub user with a PAT`);
    }
    if (op.bitbucket !== undefined && !world.bitbucket.users.some((u) => u.username === op.bitbucket)) {
      problem(["operator", "bitbucket"], `"${op.bitbucket}" is not a declared Bitbucket user`);
    }
    if (op.namespace !== undefined && !world.buildService.tokens.some((t) => t.namespaces.includes(op.namespace!))) {
      problem(["operator", "namespace"], `"${op.namespace}" is not a declared build-service namespace`);
    }
    world.operator = { github: op.github ?? null, bitbucket: op.bitbucket ?? null, namespace: op.namespace ?? null };
  }

  if (problems.length > 0) throw new SeedError(problems);
  return world;
}

function githubHook(h: SeedGitHubHook, id: number, now: string): GitHubHookState {
  return {
    id,
    active: h.active ?? true,
    events: [...(h.events ?? ["push"])],
    config: {
      url: h.url,
      content_type: h.contentType ?? "json",
      secret: h.secret === true ? fakeSecret("sbx-hook") : typeof h.secret === "string" ? h.secret : null,
      insecure_ssl: h.insecureSsl ? "1" : "0",
    },
    created_at: now,
    updated_at: now,
    // GitHub's answer for a hook that never delivered.
    last_response: h.lastResponse
      ? { code: h.lastResponse.code ?? null, status: h.lastResponse.status, message: h.lastResponse.message ?? null }
      : { code: null, status: "unused", message: null },
  };
}

/** A random, well-formed looking but meaningless ed25519 public key. */
function fakePublicKey(): string {
  return `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${randomBytes(32).toString("base64").replace(/=+$/, "")} sandbox`;
}
