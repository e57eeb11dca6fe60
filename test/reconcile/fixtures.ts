/**
 * Fixtures for the pure planner tests: a context whose clients describe requests deterministically
 * and throw on any I/O, so a test fails if planning ever touches the network.
 */
import type { BuildServiceSpec, LinkSpec, OrgAccessSpec } from "../../engine/model/spec.js";
import type { BuildServiceClient, Clients, OAuthGrantClient, SourceProviderClient } from "../../engine/clients/types.js";
import { Secret } from "../../engine/model/secret.js";
import type { OperationContext } from "../../engine/reconcile/context.js";
import type { ObservedLink, ObservedOrgAccess, ObservedRepository } from "../../engine/model/observed.js";
import { SeenInRun } from "../../engine/reconcile/seen-in-run.js";

export const BUILD = "https://builds.test/api/build/v1";
export const GH = "https://github.test/api";
export const BB = "https://bitbucket.test/2.0";
export const CLIENT_ID = "Iv1.testclient";
export const HOOK_URL = "https://cloud.docker.com/api/build/v1/vcs/0f4a/trigger/call/";
export const FOREIGN_URL = "https://ci.acme.example/hooks/github";

const noIo = (): never => {
  throw new Error("planning must not perform I/O");
};

function fakeBuildService(): BuildServiceClient {
  return {
    listLinks: noIo,
    createLink: noIo,
    setLinkState: noIo,
    unlink: noIo,
    getCredentials: noIo,
    listAutobuildRepositories: noIo,
    listNamespaces: noIo,
    getOrgAccess: noIo,
    setOrgAccess: noIo,
    describe(op, namespace, linkId, org) {
      const links = `${BUILD}/${namespace}/links/`;
      if (op === "createLink") return { method: "POST", url: links };
      if (op === "setLinkState") return { method: "PATCH", url: `${links}${encodeURIComponent(linkId!)}/` };
      if (op === "unlink") return { method: "DELETE", url: `${links}${linkId}/` };
      return { method: "PUT", url: `${links}${linkId}/orgs/${org}/access/` };
    },
  };
}

function fakeProvider(kind: "github" | "bitbucket"): SourceProviderClient {
  const base = kind === "github" ? `${GH}/repos` : `${BB}/repositories`;
  return {
    kind,
    listWebhooks: noIo,
    deleteWebhook: noIo,
    listDeployKeys: noIo,
    deleteDeployKey: noIo,
    describeDeleteWebhook: (repo, id) => ({ method: "DELETE", url: `${base}/${repo}/hooks/${id}` }),
    describeDeleteDeployKey: (repo, id) => ({ method: "DELETE", url: `${base}/${repo}/keys/${id}` }),
  };
}

const grants: OAuthGrantClient = {
  checkGrant: noIo,
  revokeGrant: noIo,
  describeRevokeGrant: (clientId) => ({ method: "DELETE", url: `${GH}/applications/${clientId}/grant` }),
};

export const buildServiceSpec: BuildServiceSpec = {
  kind: "reference",
  apiUrl: BUILD,
  tokenEnv: "SOURCELINKS_BUILD_TOKEN",
  webhookUrlPatterns: ["https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/"],
  deployKeyTitlePatterns: ["Docker Hub Builder*"],
  oauthApps: { github: { clientId: CLIENT_ID, name: "Docker Hub Builder", clientSecretEnv: "SECRET" }, bitbucket: { clientId: "BbKey", name: "Docker Hub Builder" } },
};

/** A planning context; `clientSecret: false` drops the app owner's secret, `dockerHub: true` the build-service API. */
export function planningContext(options: { clientSecret?: boolean; dockerHub?: boolean } = {}): OperationContext {
  const clients: Clients = {
    buildService: options.dockerHub ? null : fakeBuildService(),
    providers: { github: fakeProvider("github"), bitbucket: fakeProvider("bitbucket") },
    githubGrants: grants,
    githubOrgAccess: null,
    isBuildServiceWebhook: (url) => url.startsWith("https://cloud.docker.com/api/build/v1/vcs/") || url.startsWith("https://registry.hub.docker.com/hooks/"),
    isBuildServiceDeployKey: (title) => title.startsWith("Docker Hub Builder"),
  };
  return {
    clients,
    buildService: options.dockerHub ? { ...buildServiceSpec, kind: "docker-hub" } : buildServiceSpec,
    githubClientSecret: options.clientSecret === false ? null : new Secret(["fake", "client", "secret"].join("-")),
    seen: new SeenInRun(),
  };
}

/** The happy-path declared link: a team link on a service account, linked. */
export function teamSpec(overrides: Partial<LinkSpec> = {}): LinkSpec {
  return {
    name: "acme-builds",
    namespace: "acme",
    team: "ci",
    provider: "github",
    account: "acme-builder",
    serviceAccount: true,
    state: "linked",
    repositories: ["acme/api", "acme/web"],
    onRevoke: { webhooks: "delete", deployKeys: "delete" },
    ...overrides,
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

/** The happy-path observation of `teamSpec()`: live, same account, nothing to do. */
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
  return { org: "acme", provider: "github", app: "github", access: "granted", observedVia: "build-service", pendingManualSteps: [], via: { link: "acme-builds", namespace: "acme", linkId: "link-1" }, ...overrides };
}
