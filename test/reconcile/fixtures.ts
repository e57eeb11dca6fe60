/**
 * Fixtures for the pure planner tests: plain planning settings (no client exists to call, so planning
 * cannot touch the network) and the happy-path spec and observation each test changes one field of.
 */
import type { BuildServiceSpec, OrgAccessSpec } from "../../engine/model/spec.js";
import { compileTitlePatterns, compileUrlPatterns } from "../../engine/model/patterns.js";
import type { PlanSettings } from "../../engine/reconcile/plan-settings.js";
import type { ObservedLink, ObservedOrgAccess, ObservedRepository } from "../../engine/model/observed.js";

export const BUILD = "https://builds.test/api/build/v1";
export const GH = "https://github.test/api";
export const BB = "https://bitbucket.test/2.0";
export const CLIENT_ID = "Iv1.testclient";
export const HOOK_URL = "https://cloud.docker.com/api/build/v1/vcs/0f4a/trigger/call/";
export const FOREIGN_URL = "https://ci.acme.example/hooks/github";

export const buildServiceSpec: BuildServiceSpec = {
  kind: "reference",
  apiUrl: BUILD,
  tokenEnv: "SOURCELINKS_BUILD_TOKEN",
  webhookUrlPatterns: ["https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/"],
  deployKeyTitlePatterns: ["Docker Hub Builder*"],
  oauthApps: {
    github: { clientId: CLIENT_ID, name: "Docker Hub Builder", clientSecretEnv: "SECRET" },
    bitbucket: { clientId: "BbKey", name: "Docker Hub Builder" },
  },
};

/** Planning settings; `clientSecret: false` drops the app owner's secret (no grant revocation by API), `dockerHub: true` the build-service API. */
export function planningContext(options: { clientSecret?: boolean; dockerHub?: boolean } = {}): PlanSettings {
  const buildService: BuildServiceSpec = options.dockerHub ? { ...buildServiceSpec, kind: "docker-hub" } : buildServiceSpec;
  return {
    buildService,
    apis: { buildService: options.dockerHub ? null : BUILD, github: GH, bitbucket: BB },
    githubGrantsByApi: options.clientSecret !== false,
    webhooks: compileUrlPatterns(buildService.webhookUrlPatterns),
    deployKeys: compileTitlePatterns(buildService.deployKeyTitlePatterns),
  };
}

/** A repository with one build-service webhook and deploy key (ids derived from the name), plus `foreign` foreign hooks counted. */
export function repo(repository: string, id: number, foreign = 0): ObservedRepository {
  return {
    repository,
    exists: true,
    webhooks: [{ id: String(id), url: HOOK_URL, active: true, events: ["push"], hasSecret: true, insecureSsl: false, lastResponse: null }],
    deployKeys: [{ id: String(id + 1), title: "Docker Hub Builder acme", readOnly: true }],
    foreignWebhookCount: foreign,
  };
}

/** The happy-path observation of `teamSpec()` (test/support/link-spec.ts): live, same account, nothing to do. */
export function observedLinked(overrides: Partial<ObservedLink> = {}): ObservedLink {
  return {
    name: "acme-builds",
    provider: "github",
    namespace: "acme",
    linkId: "link-1",
    state: "linked",
    account: "acme-builder",
    team: "ci",
    serviceAccount: true,
    repositories: [repo("acme/api", 10), repo("acme/web", 20)],
    providerGrant: "active",
    pendingManualSteps: [],
    supersededLinks: [],
    grantHeld: true,
    grantSharedWith: [],
    ...overrides,
  };
}

/** The declared org access of the demo: acme granted. */
export function orgSpec(overrides: Partial<OrgAccessSpec> = {}): OrgAccessSpec {
  return { org: "acme", provider: "github", app: "github", access: "granted", ...overrides };
}

/** An org access observation. */
export function observedOrg(overrides: Partial<ObservedOrgAccess> = {}): ObservedOrgAccess {
  return {
    org: "acme",
    provider: "github",
    app: "github",
    access: "granted",
    observedVia: "build-service",
    pendingManualSteps: [],
    via: { link: "acme-builds", namespace: "acme", linkId: "link-1" },
    ...overrides,
  };
}
