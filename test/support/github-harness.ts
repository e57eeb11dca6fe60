/**
 * A small GitHub world for the GitHub sandbox and client tests, served by the real sandbox server
 * (`startSandbox`, port 0). Tokens are random per run and obviously fake.
 */
import { randomBytes } from "node:crypto";
import { startSandbox, type SandboxHandle, type SandboxOptions } from "../../sandbox/server.js";
import { emptyWorld, type GitHubHookState, type World } from "../../sandbox/world.js";

/** A fake credential, random per run. */
export function fakeToken(label: string): string {
  return `test-${label}-${randomBytes(10).toString("hex")}`;
}

/** The credentials of the test world. */
export interface GitHubFixtureTokens {
  /** PAT of `octo-admin`, owner of both orgs. */
  admin: string;
  /** PAT of `outsider`, member of nothing. */
  outsider: string;
  /** OAuth token of `jdoe` issued to the test app. */
  jdoeOauth: string;
  /** A second OAuth token of `jdoe` for the same app (same grant). */
  jdoeOauth2: string;
  /** A revoked token. */
  revoked: string;
  clientId: string;
  clientSecret: string;
}

/** An ISO time `days` before now: audit log events older than its 180 days of retention are not served. */
function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString();
}

/** A build-service-like webhook. */
export function hook(id: number, url: string, overrides: Partial<GitHubHookState> = {}): GitHubHookState {
  return {
    id,
    active: true,
    events: ["push", "pull_request"],
    config: { url, content_type: "json", secret: "hook-secret", insecure_ssl: "0" },
    created_at: "2024-03-01T10:00:00Z",
    updated_at: "2024-03-01T10:00:00Z",
    last_response: { code: 200, status: "active", message: "OK" },
    ...overrides,
  };
}

/** Builds the test world: orgs `acme` (app granted) and `contractor-co` (app denied), repos with hooks and keys. */
export function githubFixtureWorld(manyHooks = 250): { world: World; tokens: GitHubFixtureTokens } {
  const tokens: GitHubFixtureTokens = {
    admin: fakeToken("admin"),
    outsider: fakeToken("outsider"),
    jdoeOauth: fakeToken("oauth"),
    jdoeOauth2: fakeToken("oauth2"),
    revoked: fakeToken("revoked"),
    clientId: "Iv1.testclient0001",
    clientSecret: fakeToken("client-secret"),
  };
  const w = emptyWorld();
  w.github.accounts.push(
    { id: 1, login: "octo-admin", type: "User", name: "Octo Admin" },
    { id: 2, login: "jdoe", type: "User", name: "Jane Doe" },
    { id: 3, login: "outsider", type: "User", name: null },
    { id: 10, login: "acme", type: "Organization", name: "Acme" },
    { id: 11, login: "contractor-co", type: "Organization", name: null },
  );
  w.github.orgs.push(
    {
      login: "acme",
      owners: ["octo-admin"],
      members: ["jdoe"],
      oauthAppAccess: { [tokens.clientId]: "granted" },
      oauthRestrictionsEnabled: true,
      auditLog: [
        {
          action: "org.oauth_app_access_requested",
          created_at: daysAgo(3),
          actor: "jdoe",
          oauth_application_client_id: tokens.clientId,
        },
        {
          action: "org.oauth_app_access_approved",
          created_at: daysAgo(2),
          actor: "octo-admin",
          oauth_application_client_id: tokens.clientId,
        },
        {
          action: "org.oauth_app_access_denied",
          created_at: daysAgo(1),
          actor: "octo-admin",
          oauth_application_client_id: "Iv1.someotherapp",
        },
      ],
      hooks: [hook(900, "https://ci.acme.example/hooks/org")],
    },
    {
      login: "contractor-co",
      owners: ["octo-admin"],
      members: ["jdoe"],
      oauthAppAccess: { [tokens.clientId]: "denied" },
      oauthRestrictionsEnabled: true,
      auditLog: null,
    },
  );
  const many: GitHubHookState[] = [];
  for (let i = 0; i < manyHooks; i++) many.push(hook(5000 + i, `https://cloud.docker.com/api/build/v1/vcs/${i}/trigger/call/`));
  w.github.repos.push(
    {
      id: 100,
      owner: "acme",
      name: "api",
      private: true,
      hooks: [
        hook(101, "https://cloud.docker.com/api/build/v1/vcs/1111/trigger/call/"),
        hook(102, "https://ci.acme.example/hooks/github", {
          config: { url: "https://ci.acme.example/hooks/github", content_type: "form", secret: null, insecure_ssl: "1" },
          active: false,
        }),
      ],
      keys: [
        {
          id: 103,
          key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyMaterialForTests builder",
          title: "Docker Hub Builder acme/api",
          read_only: true,
          verified: true,
          created_at: "2024-03-01T10:00:00Z",
          added_by: "jdoe",
        },
      ],
    },
    { id: 110, owner: "acme", name: "many", private: false, hooks: many, keys: [] },
    {
      id: 120,
      owner: "contractor-co",
      name: "app",
      private: true,
      hooks: [hook(121, "https://registry.hub.docker.com/hooks/github")],
      keys: [],
    },
    { id: 130, owner: "jdoe", name: "dotfiles", private: false, hooks: [], keys: [] },
  );
  w.github.tokens.push(
    { token: tokens.admin, login: "octo-admin", kind: "pat", clientId: null, revoked: false },
    { token: tokens.outsider, login: "outsider", kind: "pat", clientId: null, revoked: false },
    { token: tokens.jdoeOauth, login: "jdoe", kind: "oauth", clientId: tokens.clientId, revoked: false },
    { token: tokens.jdoeOauth2, login: "jdoe", kind: "oauth", clientId: tokens.clientId, revoked: false },
    { token: tokens.revoked, login: "jdoe", kind: "pat", clientId: null, revoked: true },
  );
  w.oauthApps.push({ provider: "github", clientId: tokens.clientId, clientSecret: tokens.clientSecret, name: "Docker Hub Builder" });
  return { world: w, tokens };
}

/** A running sandbox with the fixture world. */
export interface GitHubSandbox {
  sandbox: SandboxHandle;
  /** The GitHub API root (`${baseUrl}/github`). */
  apiUrl: string;
  tokens: GitHubFixtureTokens;
  /** `fetch` against the GitHub mount with a token (`token X`), returning status, headers and parsed body. */
  get(path: string, token: string | null, headers?: Record<string, string>): Promise<RawResponse>;
  send(
    method: string,
    path: string,
    init: { token?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<RawResponse>;
  close(): Promise<void>;
}

/** A raw answer. */
export interface RawResponse {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/** Starts the sandbox with the fixture world. */
export async function startGitHubSandbox(options: Omit<SandboxOptions, "seed"> & { manyHooks?: number } = {}): Promise<GitHubSandbox> {
  const { world, tokens } = githubFixtureWorld(options.manyHooks);
  const { manyHooks: _ignored, ...sandboxOptions } = options;
  const sandbox = await startSandbox({ ...sandboxOptions, seed: world });
  const apiUrl = `${sandbox.baseUrl}/github`;
  const send = async (
    method: string,
    path: string,
    init: { token?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<RawResponse> => {
    const headers: Record<string, string> = { accept: "application/vnd.github+json", ...init.headers };
    if (init.token) headers.authorization = `token ${init.token}`;
    if (init.body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(path.startsWith("http") ? path : `${apiUrl}${path}`, {
      method,
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    const text = await res.text();
    let body: unknown;
    if (text.length > 0) body = JSON.parse(text);
    return { status: res.status, headers: res.headers, body, text };
  };
  return {
    sandbox,
    apiUrl,
    tokens,
    get: (path, token, headers = {}) => send("GET", path, { token, headers }),
    send,
    close: () => sandbox.close(),
  };
}

/** `Authorization: Basic` for client credentials. */
export function basicAuth(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
}

/** Adds `acme/bulk-0…bulk-(count-1)` to `world`, each with one read-only deploy key titled `title(i)`. */
export function addBulkRepositories(world: World, count: number, title: (i: number) => string): void {
  for (let i = 0; i < count; i++) {
    world.github.repos.push({
      id: 20_000 + i,
      owner: "acme",
      name: `bulk-${i}`,
      private: true,
      hooks: [],
      keys: [
        {
          id: 30_000 + i,
          key: `ssh-ed25519 AAAAbulk${i} k`,
          title: title(i),
          read_only: true,
          verified: true,
          created_at: "2024-03-01T10:00:00Z",
          added_by: null,
        },
      ],
    });
  }
}
