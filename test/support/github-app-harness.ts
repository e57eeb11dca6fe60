/**
 * A GitHub world with a GitHub App installed on three orgs, served by the real sandbox, and GitHub
 * clients authenticated as the app. The app's key pair is generated per run (never committed); the
 * sandbox and the clients share one injectable clock (`advance`), so an hour passes without waiting.
 */
import { generateKeyPairSync } from "node:crypto";
import { createGitHubClients, type GitHubClients, type GitHubClientSettings } from "../../engine/clients/github/index.js";
import type { GitHubAppSettings } from "../../engine/model/client-settings.js";
import { Secret } from "../../engine/model/secret.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import type { SeedDocument } from "../../sandbox/seed.js";
import type { LimitsConfig } from "../../sandbox/limits.js";

/** The app's id in the test world. */
export const APP_ID = 424242;
/** Installation ids: acme and globex have every permission the clients use; initech only metadata. */
export const INSTALLATIONS = { acme: 7001, globex: 7002, initech: 7003 } as const;

/** A fresh RSA key pair in PEM (PKCS#8 private, SPKI public), as GitHub hands out for an app. */
export function appKeyPair(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
}

/** One key pair per test file (generating one takes a while); each world is otherwise fresh. */
let keys: { privateKey: string; publicKey: string } | null = null;

/** The seed: three orgs with two repositories each (one build-service webhook on each), the app on each org. */
export function appSeed(publicKey: string): SeedDocument {
  const full = { metadata: "read", repository_hooks: "write", administration: "write", organization_hooks: "write" } as const;
  return {
    github: {
      users: [{ login: "octo-admin" }],
      orgs: (["acme", "globex", "initech"] as const).map((login) => ({ login, owners: ["octo-admin"] })),
      repos: (["acme", "globex", "initech"] as const).flatMap((org) =>
        ["api", "web"].map((name) => ({
          name: `${org}/${name}`,
          hooks: [{ url: `https://cloud.docker.com/api/build/v1/vcs/${org}-${name}/trigger/call/` }],
          deployKeys: [{ title: "Docker Hub Builder" }],
        })),
      ),
      apps: [
        {
          id: APP_ID,
          publicKey,
          installations: [
            { id: INSTALLATIONS.acme, owner: "acme", permissions: full },
            { id: INSTALLATIONS.globex, owner: "globex", permissions: full },
            { id: INSTALLATIONS.initech, owner: "initech", permissions: { metadata: "read" } },
          ],
        },
      ],
    },
  };
}

/** A running app world: the sandbox, the key, and a clock both sides read. */
export interface AppWorld {
  sandbox: SandboxHandle;
  privateKey: string;
  apiUrl: string;
  /** Epoch ms as both sides see it. */
  now(): number;
  /** Moves both clocks forward. */
  advance(ms: number): void;
  /** App settings for the clients (`installations` as given: none means every owner is looked up). */
  app(installations?: Record<string, number>): GitHubAppSettings;
  /** GitHub clients authenticated as the app. */
  clients(overrides?: Partial<GitHubClientSettings>, installations?: Record<string, number>): GitHubClients;
  close(): Promise<void>;
}

/** Starts the sandbox of the app world. */
export async function startAppWorld(options: { limits?: Partial<LimitsConfig> } = {}): Promise<AppWorld> {
  keys ??= appKeyPair();
  const { privateKey, publicKey } = keys;
  let offset = 0;
  const now = (): number => Date.now() + offset;
  const sandbox = await startSandbox({ seed: appSeed(publicKey), now, ...(options.limits ? { limits: options.limits } : {}) });
  const apiUrl = `${sandbox.baseUrl}/github`;
  const app = (installations: Record<string, number> = {}): GitHubAppSettings => ({
    appId: APP_ID,
    privateKey: new Secret(privateKey),
    privateKeyFile: null,
    keySource: "the env var SOURCELINKS_GITHUB_APP_KEY",
    installations,
  });
  return {
    sandbox,
    privateKey,
    apiUrl,
    now,
    advance: (ms) => {
      offset += ms;
    },
    app,
    clients: (overrides = {}, installations = {}) =>
      createGitHubClients({ apiUrl, token: null, app: app(installations), appClock: now, retryAfterBaseMs: 1, ...overrides }),
    close: () => sandbox.close(),
  };
}

/** How many times the sandbox answered an endpoint (`POST /github/app/installations/:installation_id/access_tokens`, …). */
export function served(sandbox: SandboxHandle, endpoint: string): number {
  return sandbox.counters().byEndpoint[endpoint] ?? 0;
}
