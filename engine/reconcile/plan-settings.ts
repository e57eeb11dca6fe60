/**
 * What the pure planners need besides the spec and the observation: plain data resolved from the
 * config and the environment, never a client. The provider plans a diff from these alone; an
 * `OperationContext` carries the same fields, so the run that executes a plan planned it from them.
 */
import { resolveClientSettings, resolveGitHubClientSecret } from "../config/runtime.js";
import type { ClientSettings } from "../model/client-settings.js";
import { compileTitlePatterns, compileUrlPatterns, type PatternMatcher } from "../model/patterns.js";
import type { ApiUrls } from "../model/requests.js";
import type { BuildServiceSpec, SourcelinksConfig } from "../model/spec.js";

/** The planners' settings: the build service's spec, where requests go, and what the run can do by API. */
export interface PlanSettings {
  /** The build service's settings from the config: kind, OAuth apps (names and client ids), patterns. */
  buildService: BuildServiceSpec;
  /** The base URLs the steps' requests are built on; null where the run has no API client. */
  apis: ApiUrls;
  /** Whether GitHub grants can be revoked (and checked) by API: GitHub configured, the app's client id, and its owner's client secret set. */
  githubGrantsByApi: boolean;
  /** The build service's webhooks, by URL: the only ones a plan may delete. */
  webhooks: PatternMatcher;
  /** The build service's deploy keys, by title. */
  deployKeys: PatternMatcher;
}

/** The settings of a run whose clients are built from `settings`; `githubClientSecretSet`: the app owner's client secret is available. */
export function planSettingsOf(buildService: BuildServiceSpec, settings: ClientSettings, githubClientSecretSet: boolean): PlanSettings {
  const apis: ApiUrls = {
    // docker-hub has no public API for linked accounts (docs/build-services.md): createClients builds no client for it.
    buildService: settings.buildService.kind === "reference" ? settings.buildService.apiUrl : null,
    github: settings.github?.apiUrl ?? null,
    bitbucket: settings.bitbucket?.apiUrl ?? null,
  };
  return {
    buildService,
    apis,
    githubGrantsByApi: githubClientSecretSet && apis.github !== null && Boolean(buildService.oauthApps.github?.clientId),
    webhooks: compileUrlPatterns(settings.buildService.webhookUrlPatterns),
    deployKeys: compileTitlePatterns(settings.buildService.deployKeyTitlePatterns),
  };
}

/**
 * The settings `createOperationContext(config, env)` would plan with, without building clients: for
 * previews that only plan (the provider's diff). Throws `SettingError` as that does for a malformed variable.
 */
export function resolvePlanSettings(config: SourcelinksConfig, env: NodeJS.ProcessEnv): PlanSettings {
  return planSettingsOf(config.buildService, resolveClientSettings(config, env), resolveGitHubClientSecret(config, env) !== null);
}
