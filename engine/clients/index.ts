/**
 * `createClients`: the clients of one world (build service, GitHub, Bitbucket, Docker Hub), from `ClientSettings`. Construction does no I/O:
 * nothing is sent and no file is read until a client method is called.
 */
import { createBitbucketClient, createBitbucketReplacementClient } from "./bitbucket/index.js";
import { createBuildServiceClient } from "./build-service/index.js";
import { createDockerHubClient, DOCKER_HUB_API_URL } from "./docker-hub/index.js";
import { createGitHubClients } from "./github/index.js";
import { LazyFileEtagCache } from "./lazy-etag-cache.js";
import { SecretSet, type Secret } from "../model/secret.js";
import type { ClientSettings } from "../model/client-settings.js";
import type { Clients, OwnerClient, ReplacementClient, ReplacementRunReader, SourceProviderClient } from "./types.js";
import type { ProviderKind } from "../model/spec.js";

/**
 * Builds the clients of one world.
 *
 * @example
 * const clients = createClients(resolveClientSettings(config, process.env));
 * const hooks = await clients.providers.github?.listWebhooks("acme/api");
 */
export function createClients(settings: ClientSettings): Clients {
  const concurrency = settings.options?.concurrency;
  const tuning = concurrency === undefined ? {} : { concurrency };
  const timeoutMs = settings.options?.requestTimeoutMs;
  const waitScale = settings.options?.retryWaitScale;
  const sleep =
    waitScale === undefined ? undefined : (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms * waitScale));
  const transport =
    timeoutMs === undefined && sleep === undefined
      ? {}
      : { transport: { ...(timeoutMs === undefined ? {} : { timeoutMs }), ...(sleep === undefined ? {} : { sleep }) } };
  const etagFile = settings.options?.etagCacheFile;
  const etagCache = etagFile === undefined ? undefined : new LazyFileEtagCache(etagFile);

  // Each client also scrubs the others' credentials: a server may echo any token it was ever sent.
  const credentials = {
    build: settings.buildService.token,
    github: settings.github?.token ?? null,
    bitbucket: settings.bitbucket?.token ?? null,
    dockerHub: settings.dockerHub?.token ?? null,
  };
  const othersThan = (own: keyof typeof credentials): Secret[] =>
    (Object.keys(credentials) as (keyof typeof credentials)[])
      .filter((k) => k !== own)
      .map((k) => credentials[k])
      .filter((s): s is Secret => s !== null);

  // The run's redaction set: credentials derived at run time (a GitHub App's JWTs and tokens, OAuth
  // credentials) join it the moment they exist, and the clients that read it scrub them too.
  const secretSet = new SecretSet(Object.values(credentials));

  const providers: Partial<Record<ProviderKind, SourceProviderClient>> = {};
  const runs: Partial<Record<ProviderKind, ReplacementRunReader>> = {};
  const owners: Partial<Record<ProviderKind, OwnerClient>> = {};
  const replacements: Partial<Record<ProviderKind, ReplacementClient>> = {};
  const pacing = settings.options?.githubPacing;
  const github = settings.github
    ? createGitHubClients({
        apiUrl: settings.github.apiUrl,
        token: settings.github.token,
        ...(settings.github.app ? { app: settings.github.app } : {}),
        otherSecrets: othersThan("github"),
        secretSet,
        ...tuning,
        ...(etagCache ? { etagCache } : {}),
        ...(pacing ? { pacing } : {}),
        ...(timeoutMs === undefined ? {} : { requestTimeoutMs: timeoutMs }),
        ...(waitScale === undefined ? {} : { retryAfterBaseMs: 1000 * waitScale }),
      })
    : null;
  if (github) {
    providers.github = github.provider;
    owners.github = github.owner;
    runs.github = github.runs;
    replacements.github = github.replacement;
  }
  if (settings.bitbucket) {
    const { apiUrl, username, token } = settings.bitbucket;
    const options = {
      apiUrl,
      username,
      token,
      otherSecrets: othersThan("bitbucket"),
      secretSet,
      ...tuning,
      ...transport,
      ...(settings.options?.bitbucketPacing ? { pacing: settings.options.bitbucketPacing } : {}),
    };
    const bitbucket = createBitbucketClient(options);
    providers.bitbucket = bitbucket;
    owners.bitbucket = bitbucket;
    runs.bitbucket = bitbucket;
    replacements.bitbucket = createBitbucketReplacementClient(options);
  }

  const { buildService } = settings;
  return {
    // docker-hub has no public API for linked accounts (docs/build-services.md).
    buildService:
      buildService.kind === "reference"
        ? createBuildServiceClient({
            apiUrl: buildService.apiUrl,
            token: buildService.token,
            otherSecrets: othersThan("build"),
            secretSet,
            ...tuning,
            ...transport,
          })
        : null,
    providers,
    owners,
    replacements,
    githubGrants: github?.grants ?? null,
    githubOrgAccess: github?.orgAccess ?? null,
    verification: {
      runs,
      registry: createDockerHubClient({
        apiUrl: settings.dockerHub?.apiUrl ?? DOCKER_HUB_API_URL,
        username: settings.dockerHub?.username ?? "",
        token: settings.dockerHub?.token ?? null,
        secretSet,
        ...tuning,
        ...transport,
      }),
    },
    githubAuditLog: github?.auditLog ?? null,
    flush: async () => {
      if (etagCache === undefined) return [];
      await etagCache.save();
      return etagCache.warning === null ? [] : [etagCache.warning];
    },
  };
}
