/**
 * The environment a sandbox hands to the CLI and tests (docs/sandbox.md): every variable the demo
 * config names, pointing at the sandbox and holding the seeded world's credentials.
 */
import type { World } from "./world.js";

/** Mount points of the three services under the sandbox's base URL. */
export const MOUNTS = {
  github: "/github",
  bitbucket: "/bitbucket/2.0",
  buildService: "/build/api/build/v1",
  dockerHub: "/dockerhub",
  admin: "/_sandbox",
} as const;

/** The variables, in the order `sourcelinks sandbox` prints them. */
export const SANDBOX_ENV_KEYS = [
  "SOURCELINKS_BUILD_API_URL",
  "SOURCELINKS_BUILD_TOKEN",
  "SOURCELINKS_GITHUB_API_URL",
  "GITHUB_TOKEN",
  "SOURCELINKS_BITBUCKET_API_URL",
  "BITBUCKET_EMAIL",
  "BITBUCKET_API_TOKEN",
  "SOURCELINKS_GITHUB_CLIENT_SECRET",
  "SOURCELINKS_DOCKER_HUB_API_URL",
  "DOCKER_HUB_USERNAME",
  "DOCKER_HUB_READ_TOKEN",
] as const;

/** One of the sandbox's environment variables. */
export type SandboxEnvKey = (typeof SANDBOX_ENV_KEYS)[number];

/** The sandbox's environment; a credential the world lacks is the empty string. */
export type SandboxEnv = Record<SandboxEnvKey, string>;

/**
 * Builds the environment for a world served at `baseUrl`. Credentials: the build token of the
 * operator's namespace (else `acme`, else the first token), the operator's GitHub PAT (else the
 * first live PAT), the operator's Bitbucket user's email and API token (else the first user's), the first GitHub OAuth app's secret,
 * and the operator's Docker Hub user with a read-only access token (else the first user holding one).
 */
export function sandboxEnv(baseUrl: string, world: World): SandboxEnv {
  const op = world.operator;
  const ns = op?.namespace ?? "acme";
  const buildToken = world.buildService.tokens.find((t) => t.namespaces.includes(ns)) ?? world.buildService.tokens[0];
  const pats = world.github.tokens.filter((t) => t.kind === "pat" && !t.revoked);
  const pat = (op?.github ? pats.find((t) => t.login === op.github) : undefined) ?? pats[0];
  const bbUser = (op?.bitbucket ? world.bitbucket.users.find((u) => u.username === op.bitbucket) : undefined) ?? world.bitbucket.users[0];
  const app = world.oauthApps.find((a) => a.provider === "github");
  const hubUsers = (world.dockerHub?.users ?? []).filter((u) => u.accessTokens.some((t) => t.scope === "read"));
  const hubUser = (op?.dockerHub ? hubUsers.find((u) => u.username === op.dockerHub) : undefined) ?? hubUsers[0];
  return {
    SOURCELINKS_BUILD_API_URL: `${baseUrl}${MOUNTS.buildService}`,
    SOURCELINKS_BUILD_TOKEN: buildToken?.token ?? "",
    SOURCELINKS_GITHUB_API_URL: `${baseUrl}${MOUNTS.github}`,
    GITHUB_TOKEN: pat?.token ?? "",
    SOURCELINKS_BITBUCKET_API_URL: `${baseUrl}${MOUNTS.bitbucket}`,
    BITBUCKET_EMAIL: bbUser?.email ?? "",
    BITBUCKET_API_TOKEN: bbUser?.apiToken ?? "",
    SOURCELINKS_GITHUB_CLIENT_SECRET: app?.clientSecret ?? "",
    SOURCELINKS_DOCKER_HUB_API_URL: `${baseUrl}${MOUNTS.dockerHub}`,
    DOCKER_HUB_USERNAME: hubUser?.username ?? "",
    DOCKER_HUB_READ_TOKEN: hubUser?.accessTokens.find((t) => t.scope === "read")?.token ?? "",
  };
}
