/**
 * From a loaded config and an environment to what the clients need: API URLs (env overrides
 * win, design.md §2) and credentials read from the env vars the config names. Pure: the
 * environment is passed in, nothing is read from `process`.
 */
import type { ClientSettings } from "../clients/types.js";
import { Secret } from "../clients/secret.js";
import type { SourcelinksConfig } from "./types.js";

/** Env vars that override the configured API URLs (for the sandbox, proxies, GHES). */
export const API_URL_OVERRIDES = {
  buildService: "SOURCELINKS_BUILD_API_URL",
  github: "SOURCELINKS_GITHUB_API_URL",
  bitbucket: "SOURCELINKS_BITBUCKET_API_URL",
} as const;

/**
 * Client settings for a config in an environment. A missing credential gives a `null` token
 * rather than an error, so commands that need no credential still run; the clients report 401s.
 */
export function resolveClientSettings(
  config: SourcelinksConfig,
  env: NodeJS.ProcessEnv,
  options?: ClientSettings["options"],
): ClientSettings {
  const { buildService, providers } = config;
  const { github, bitbucket } = providers;
  return {
    buildService: {
      kind: buildService.kind,
      apiUrl: apiUrl(env, API_URL_OVERRIDES.buildService, buildService.apiUrl),
      token: secretFrom(env, buildService.tokenEnv),
      webhookUrlPatterns: [...buildService.webhookUrlPatterns],
      deployKeyTitlePatterns: [...buildService.deployKeyTitlePatterns],
    },
    github: github === undefined ? null : { apiUrl: apiUrl(env, API_URL_OVERRIDES.github, github.apiUrl), token: secretFrom(env, github.tokenEnv) },
    bitbucket:
      bitbucket === undefined
        ? null
        : {
            apiUrl: apiUrl(env, API_URL_OVERRIDES.bitbucket, bitbucket.apiUrl),
            // A username is not a secret; empty when unset, like a missing token it fails at the API.
            username: nonEmpty(env[bitbucket.usernameEnv]) ?? "",
            token: secretFrom(env, bitbucket.tokenEnv),
          },
    ...(options === undefined ? {} : { options }),
  };
}

/**
 * The GitHub OAuth app owner's client secret (from `oauthApps.github.clientSecretEnv`), which lets
 * revocation call `DELETE /applications/{client_id}/grant`; null when not configured or not set.
 */
export function resolveGitHubClientSecret(config: SourcelinksConfig, env: NodeJS.ProcessEnv): Secret | null {
  const name = config.buildService.oauthApps.github?.clientSecretEnv;
  return name === undefined ? null : secretFrom(env, name);
}

function secretFrom(env: NodeJS.ProcessEnv, name: string): Secret | null {
  const value = nonEmpty(env[name]);
  return value === undefined ? null : new Secret(value);
}

/** The override when set, else the configured URL; a trailing slash is dropped so paths join cleanly. */
function apiUrl(env: NodeJS.ProcessEnv, override: string, configured: string): string {
  return (nonEmpty(env[override]) ?? configured).replace(/\/+$/, "");
}

/** An empty variable counts as unset (`FOO= cmd` is how shells unset for one command). */
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
