/**
 * From a loaded config and an environment to what the clients need: API URLs (env overrides
 * win, docs/configuration.md), credentials read from the env vars the config names, and the HTTP timeout.
 * Pure: the environment is passed in, nothing is read from `process`.
 */
import type { ClientSettings, GitHubAppSettings } from "../model/client-settings.js";
import { Secret } from "../model/secret.js";
import type { GitHubAppAuthSpec, SourcelinksConfig } from "../model/spec.js";
import { SourcelinksError } from "../model/errors.js";

/** Env vars that override the configured API URLs (for the sandbox, proxies, GHES). */
export const API_URL_OVERRIDES = {
  buildService: "SOURCELINKS_BUILD_API_URL",
  github: "SOURCELINKS_GITHUB_API_URL",
  bitbucket: "SOURCELINKS_BITBUCKET_API_URL",
  dockerHub: "SOURCELINKS_DOCKER_HUB_API_URL",
} as const;

/** The env var that sets the per-attempt HTTP timeout, in seconds (for slow proxies, or fast failure in CI). */
export const HTTP_TIMEOUT_ENV = "SOURCELINKS_HTTP_TIMEOUT";

/**
 * The env var that scales every client's retry wait (`retry-after`, backoff) by a factor from 0 to 1.
 * For tests against the sandbox only: its injected rate limits ask for whole seconds that it does not
 * enforce, and waiting them out in real time made the fault tests take minutes. Never set it against
 * a real API, which would answer a retry sent too early with another rate limit.
 */
export const RETRY_WAIT_SCALE_ENV = "SOURCELINKS_RETRY_WAIT_SCALE";

/** An environment variable sourcelinks reads has a value it cannot use; the message names it. */
export class SettingError extends SourcelinksError {
  override readonly name = "SettingError";
  readonly kind = "input";
}

/**
 * Client settings for a config in an environment. A missing credential gives a `null` token
 * rather than an error, so commands that need no credential still run; the clients report 401s.
 * Throws `SettingError` for a malformed `SOURCELINKS_HTTP_TIMEOUT`, `SOURCELINKS_RETRY_WAIT_SCALE` or `SOURCELINKS_*_API_URL`.
 */
export function resolveClientSettings(
  config: SourcelinksConfig,
  env: NodeJS.ProcessEnv,
  tuning?: ClientSettings["options"],
): ClientSettings {
  const { buildService, providers } = config;
  const { github, bitbucket, dockerHub } = providers;
  const requestTimeoutMs = requestTimeoutFrom(env);
  const retryWaitScale = retryWaitScaleFrom(env);
  const options =
    requestTimeoutMs === undefined && retryWaitScale === undefined
      ? tuning
      : {
          ...tuning,
          ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }),
          ...(retryWaitScale === undefined ? {} : { retryWaitScale }),
        };
  return {
    buildService: {
      kind: buildService.kind,
      apiUrl: apiUrl(env, API_URL_OVERRIDES.buildService, buildService.apiUrl),
      token: secretFrom(env, buildService.tokenEnv),
      webhookUrlPatterns: [...buildService.webhookUrlPatterns],
      deployKeyTitlePatterns: [...buildService.deployKeyTitlePatterns],
    },
    github:
      github === undefined
        ? null
        : {
            apiUrl: apiUrl(env, API_URL_OVERRIDES.github, github.apiUrl),
            token: secretFrom(env, github.tokenEnv),
            ...(github.auth === undefined ? {} : { app: appSettings(github.auth, env) }),
          },
    bitbucket:
      bitbucket === undefined
        ? null
        : {
            apiUrl: apiUrl(env, API_URL_OVERRIDES.bitbucket, bitbucket.apiUrl),
            // An email is not a secret; empty when unset, which sends the token as a Bearer access token.
            username: nonEmpty(env[bitbucket.usernameEnv]) ?? "",
            token: secretFrom(env, bitbucket.tokenEnv),
          },
    ...(dockerHub === undefined
      ? {}
      : {
          dockerHub: {
            apiUrl: apiUrl(env, API_URL_OVERRIDES.dockerHub, dockerHub.apiUrl),
            username: nonEmpty(env[dockerHub.usernameEnv]) ?? "",
            token: secretFrom(env, dockerHub.tokenEnv),
          },
        }),
    ...(options === undefined ? {} : { options }),
  };
}

/** A GitHub App's settings: the key from its env var now, or its file's path to read on first use. */
function appSettings(auth: GitHubAppAuthSpec, env: NodeJS.ProcessEnv): GitHubAppSettings {
  const file = auth.privateKeyFile ?? null;
  return {
    appId: auth.appId,
    privateKey: auth.privateKeyEnv === undefined ? null : secretFrom(env, auth.privateKeyEnv),
    privateKeyFile: file,
    keySource: file === null ? `the env var ${auth.privateKeyEnv ?? "(none)"}` : `the file ${file}`,
    installations: { ...auth.installations },
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

/** Bounds of `SOURCELINKS_HTTP_TIMEOUT`, in seconds: below 0.1 s no API answers; above an hour a hang is a hang. */
const TIMEOUT_RANGE = { min: 0.1, max: 3600 } as const;

/**
 * The HTTP timeout `env` asks for, in milliseconds, or undefined when unset. Only plain decimal
 * seconds (`30`, `2.5`): `Number()` would also take `0x10`, `1e-9` and ` 30 `, which nobody means.
 */
function requestTimeoutFrom(env: NodeJS.ProcessEnv): number | undefined {
  const raw = nonEmpty(env[HTTP_TIMEOUT_ENV]);
  if (raw === undefined) return undefined;
  const seconds = /^\d{1,4}(?:\.\d{1,3})?$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(seconds >= TIMEOUT_RANGE.min && seconds <= TIMEOUT_RANGE.max)) {
    throw new SettingError(
      `${HTTP_TIMEOUT_ENV} must be plain decimal seconds from ${TIMEOUT_RANGE.min} to ${TIMEOUT_RANGE.max} (e.g. 30 or 2.5), got ${JSON.stringify(raw.slice(0, 20))}.`,
    );
  }
  return Math.round(seconds * 1000);
}

/** The retry wait scale `env` asks for (`RETRY_WAIT_SCALE_ENV`), or undefined when unset. */
function retryWaitScaleFrom(env: NodeJS.ProcessEnv): number | undefined {
  const raw = nonEmpty(env[RETRY_WAIT_SCALE_ENV]);
  if (raw === undefined) return undefined;
  const scale = /^[01](?:\.\d{1,6})?$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(scale >= 0 && scale <= 1))
    throw new SettingError(
      `${RETRY_WAIT_SCALE_ENV} must be a plain decimal from 0 to 1 (e.g. 0.01), got ${JSON.stringify(raw.slice(0, 20))}.`,
    );
  return scale;
}

function secretFrom(env: NodeJS.ProcessEnv, name: string): Secret | null {
  const value = nonEmpty(env[name]);
  return value === undefined ? null : new Secret(value);
}

/**
 * The override when set, else the configured URL; a trailing slash is dropped so paths join cleanly.
 * The config's URLs are checked by the schema; an override is checked here to the same rules, so a
 * typo is invalid input naming the variable rather than an "Invalid URL" from deep in a client.
 */
function apiUrl(env: NodeJS.ProcessEnv, override: string, configured: string): string {
  const value = nonEmpty(env[override]);
  if (value !== undefined) {
    const problem = urlProblem(value);
    if (problem !== undefined)
      throw new SettingError(`${override} ${problem}: set it to the API's base URL, e.g. https://api.github.com, or unset it.`);
  }
  return (value ?? configured).replace(/\/+$/, "");
}

/** Why `value` is not a usable API base URL (the value itself is not repeated: it may hold a credential), or undefined. */
function urlProblem(value: string): string | undefined {
  if (value.length > 2048) return "is longer than 2048 characters";
  if (/[\s\p{C}]/u.test(value)) return "contains whitespace or a control character";
  if (!URL.canParse(value)) return "is not a valid absolute URL";
  const url = new URL(value);
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must start with https:// (or http://)";
  if (url.username !== "" || url.password !== "")
    return "must not contain credentials (user:password@): credentials come from their own variables";
  if (url.search !== "" || url.hash !== "" || /[?#]/.test(value)) return "must not contain a query (?) or a fragment (#)";
  return undefined;
}

/** An empty variable counts as unset (`FOO= cmd` is how shells unset for one command). */
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
