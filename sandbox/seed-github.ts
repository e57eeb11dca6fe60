/** Builds the GitHub part of a seeded world (seed.ts describes the fields): accounts, orgs, repositories, tokens. */
import { seedApps } from "./github/app-seed.js";
import { fakePublicKey, fakeSecret } from "./fake-secrets.js";
import type { SeedDocument, SeedGitHubHook } from "./seed-document.js";
import type { WorldBuild } from "./world-build.js";
import { initialGit } from "./git/model.js";
import type { GitContentState, GitHubHookState, World } from "./world.js";

type SeedGitHub = NonNullable<SeedDocument["github"]>;

/** What later parts of the seed may name: the declared GitHub users and repositories (`owner/name`). */
export interface SeededGitHub {
  users: ReadonlySet<string>;
  repos: ReadonlySet<string>;
}

/** Adds the seed's GitHub users (with their PATs), orgs, repositories and extra tokens to the world. */
export function seedGitHub(build: WorldBuild, gh: SeedGitHub): SeededGitHub {
  const users = seedUsers(build, gh.users ?? []);
  const accounts = seedOrgs(build, gh.orgs ?? [], users);
  const repos = seedRepos(build, gh.repos ?? [], accounts);
  if (gh.apps !== undefined) build.world.github.apps = seedApps(gh.apps, accounts, build.nextId, build.problem);
  seedTokens(build, gh.tokens ?? [], users);
  return { users, repos };
}

/** Whether the world declares the OAuth app `clientId` of `provider`. */
export function hasOAuthApp(world: World, provider: "github" | "bitbucket", clientId: string): boolean {
  return world.oauthApps.some((a) => a.provider === provider && a.clientId === clientId);
}

function seedUsers(build: WorldBuild, seedUsers: NonNullable<SeedGitHub["users"]>): Set<string> {
  const { world } = build;
  const users = new Set<string>();
  for (const [i, user] of seedUsers.entries()) {
    if (users.has(user.login)) build.problem(["github", "users", i, "login"], `duplicate GitHub user "${user.login}"`);
    users.add(user.login);
    world.github.accounts.push({ id: build.nextId(), login: user.login, type: "User", name: user.name ?? null });
    const pat = user.pat ?? true;
    if (pat !== false) {
      world.github.tokens.push({
        token: pat === true ? fakeSecret("sbx-gh") : pat,
        login: user.login,
        kind: "pat",
        clientId: null,
        revoked: false,
      });
    }
  }
  return users;
}

/** Adds the orgs; answers every declared account (users and orgs), which repositories may be owned by. */
function seedOrgs(build: WorldBuild, orgs: NonNullable<SeedGitHub["orgs"]>, users: ReadonlySet<string>): Set<string> {
  const { world, now } = build;
  const accounts = new Set(users);
  for (const [i, org] of orgs.entries()) {
    if (accounts.has(org.login)) build.problem(["github", "orgs", i, "login"], `duplicate GitHub account "${org.login}"`);
    accounts.add(org.login);
    world.github.accounts.push({ id: build.nextId(), login: org.login, type: "Organization", name: org.name ?? null });
    for (const role of ["owners", "members"] as const) {
      for (const [j, login] of (org[role] ?? []).entries()) {
        if (!users.has(login)) build.problem(["github", "orgs", i, role, j], `"${login}" is not a declared GitHub user`);
      }
    }
    const appAccess = org.appAccess ?? {};
    for (const clientId of Object.keys(appAccess)) {
      if (!hasOAuthApp(world, "github", clientId))
        build.problem(["github", "orgs", i, "appAccess", clientId], `"${clientId}" is not a declared GitHub OAuth app`);
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
      ...(org.hooks ? { hooks: org.hooks.map((h) => githubHook(h, build.nextId(), now)) } : {}),
    });
  }
  return accounts;
}

function seedRepos(build: WorldBuild, repos: NonNullable<SeedGitHub["repos"]>, accounts: ReadonlySet<string>): Set<string> {
  const { world, now } = build;
  const names = new Set<string>();
  for (const [i, repo] of repos.entries()) {
    const [owner, name] = repo.name.split("/") as [string, string];
    if (!accounts.has(owner)) build.problem(["github", "repos", i, "name"], `owner "${owner}" is not a declared GitHub user or org`);
    if (names.has(repo.name)) build.problem(["github", "repos", i, "name"], `duplicate repository "${repo.name}"`);
    names.add(repo.name);
    world.github.repos.push({
      id: build.nextId(),
      owner,
      name,
      private: repo.private ?? true,
      hooks: (repo.hooks ?? []).map((h) => githubHook(h, build.nextId(), now)),
      keys: (repo.deployKeys ?? []).map((k) => ({
        id: build.nextId(),
        key: k.key ?? fakePublicKey(),
        title: k.title,
        read_only: k.readOnly ?? true,
        verified: true,
        created_at: now,
        added_by: null,
      })),
      ...(repo.archived === true ? { archived: true } : {}),
      ...seedGit(repo, name),
    });
  }
  return names;
}

function seedTokens(build: WorldBuild, tokens: NonNullable<SeedGitHub["tokens"]>, users: ReadonlySet<string>): void {
  const { world } = build;
  for (const [i, t] of tokens.entries()) {
    if (!users.has(t.login)) build.problem(["github", "tokens", i, "login"], `"${t.login}" is not a declared GitHub user`);
    if (t.kind === "oauth" && (t.app === undefined || !hasOAuthApp(world, "github", t.app))) {
      build.problem(["github", "tokens", i], "an oauth token needs `app`: a declared GitHub OAuth app client id");
    }
    if (t.kind === "pat" && t.app !== undefined) build.problem(["github", "tokens", i, "app"], "a pat has no app");
    world.github.tokens.push({
      token: t.value ?? fakeSecret(t.kind === "pat" ? "sbx-gh" : "sbx-gh-oauth"),
      login: t.login,
      kind: t.kind,
      clientId: t.kind === "oauth" ? (t.app ?? null) : null,
      revoked: t.revoked ?? false,
      ...(t.scopes === undefined ? {} : { scopes: [...t.scopes] }),
    });
  }
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

/** A seeded repository's git content when the seed gives a default branch or files (else it is made on first use). */
export function seedGit(repo: { defaultBranch?: string; files?: Record<string, string> }, name: string): { git?: GitContentState } {
  if (repo.defaultBranch === undefined && repo.files === undefined) return {};
  const files = repo.files ?? { "README.md": `# ${name}\n` };
  const encoded = Object.fromEntries(
    Object.entries(files).map(([path, text]) => [path.replace(/^\/+/, ""), Buffer.from(text).toString("base64")]),
  );
  return { git: initialGit(repo.defaultBranch ?? "main", encoded) };
}
