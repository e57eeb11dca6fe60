/** Defaults that depend on `buildService.kind` (the rest live in the JSON schema as `default`). */
import type { BuildServiceKind, BuildServiceSpec, OAuthAppSpec } from "../model/spec.js";
import type { RawBuildService } from "./raw.js";

/** Docker Hub's webhook URLs: the autobuild trigger (json; push and pull_request) and the classic hooks. */
export const DOCKER_HUB_WEBHOOK_URL_PATTERNS: readonly string[] = [
  "https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/",
  "https://registry.hub.docker.com/hooks/github",
  "https://registry.hub.docker.com/hooks/bitbucket",
];

/** Titles of the deploy keys Docker Hub adds to autobuild repositories. */
export const DOCKER_HUB_DEPLOY_KEY_TITLE_PATTERNS: readonly string[] = ["Docker Hub Builder*"];

/**
 * Docker Cloud's build API, which the `reference` contract is modeled on. `docker-hub` has no public
 * link API (docs/build-services.md), so for that kind the URL only documents where links live.
 */
export const DOCKER_HUB_API_URL = "https://cloud.docker.com/api/build/v1";

/** Per-kind defaults for what the schema leaves optional; `reference` must name its webhooks itself. */
const KIND_DEFAULTS = {
  "docker-hub": {
    apiUrl: DOCKER_HUB_API_URL,
    webhookUrlPatterns: DOCKER_HUB_WEBHOOK_URL_PATTERNS,
    deployKeyTitlePatterns: DOCKER_HUB_DEPLOY_KEY_TITLE_PATTERNS,
  },
  // The schema requires apiUrl and webhookUrlPatterns for `reference`; deploy keys are matched
  // only when the config names their titles, so nothing unrecognised is ever deleted.
  reference: { apiUrl: undefined, webhookUrlPatterns: [], deployKeyTitlePatterns: [] },
} satisfies Record<
  BuildServiceKind,
  { apiUrl: string | undefined; webhookUrlPatterns: readonly string[]; deployKeyTitlePatterns: readonly string[] }
>;

/** The typed build service of a validated file: kind defaults applied, Bitbucket `key` as `clientId`. */
export function toBuildServiceSpec(raw: RawBuildService): BuildServiceSpec {
  const defaults = KIND_DEFAULTS[raw.kind];
  const oauthApps: BuildServiceSpec["oauthApps"] = {};
  if (raw.oauthApps.github !== undefined) oauthApps.github = { ...raw.oauthApps.github };
  if (raw.oauthApps.bitbucket !== undefined) {
    const app: OAuthAppSpec = { clientId: raw.oauthApps.bitbucket.key, name: raw.oauthApps.bitbucket.name };
    oauthApps.bitbucket = app;
  }
  return {
    kind: raw.kind,
    apiUrl: raw.apiUrl ?? defaults.apiUrl ?? "",
    tokenEnv: raw.tokenEnv,
    webhookUrlPatterns: [...(raw.webhookUrlPatterns ?? defaults.webhookUrlPatterns)],
    deployKeyTitlePatterns: [...(raw.deployKeyTitlePatterns ?? defaults.deployKeyTitlePatterns)],
    oauthApps,
  };
}
