/**
 * The happy-path stack every rule test starts from (AWSGuard style): it passes every rule, and each
 * test changes one field and asserts the exact violation.
 */
import { evaluateAll } from "../../policies/rules/index.js";
import type { LinkFacts, OrgFacts, RuleId, StackFacts, Violation } from "../../policies/rules/index.js";
import type { ObservedRepository, ObservedWebhook } from "../../engine/model/observed.js";
import { teamSpec } from "../support/link-spec.js";

/** The build service's webhook URL on a repository (the sandbox's pattern). */
export const BUILD_HOOK_URL = "https://cloud.docker.com/api/build/v1/vcs/0d5e2a1c-8f7b-4e3a-9c61-2b4d7e9f1a30/trigger/call/";

/** A sound build-service webhook. */
export function hook(id: string, overrides: Partial<ObservedWebhook> = {}): ObservedWebhook {
  return { id, url: BUILD_HOOK_URL, active: true, events: ["push"], hasSecret: true, insecureSsl: false, lastResponse: null, ...overrides };
}

/** A repository with one sound webhook and one deploy key. */
function repoWithLeftovers(repository: string, hookId: string, keyId: string): ObservedRepository {
  return {
    repository,
    exists: true,
    webhooks: [hook(hookId)],
    deployKeys: [{ id: keyId, title: `Docker Hub Builder ${repository}`, readOnly: true }],
    foreignWebhookCount: 0,
  };
}

/** An emptied repository. */
function cleanRepo(repository: string): ObservedRepository {
  return { repository, exists: true, webhooks: [], deployKeys: [], foreignWebhookCount: 1 };
}

const acmeBuilds: LinkFacts = {
  name: "acme-builds",
  pointer: "/links/0",
  desired: teamSpec(),
  observed: {
    name: "acme-builds",
    provider: "github",
    namespace: "acme",
    linkId: "lnk-1",
    state: "linked",
    account: "acme-builder",
    team: "ci",
    serviceAccount: true,
    repositories: [repoWithLeftovers("acme/api", "101", "201"), repoWithLeftovers("acme/web", "102", "202")],
    providerGrant: "active",
    pendingManualSteps: [],
  },
};

const legacyBuilds: LinkFacts = {
  name: "legacy-builds",
  pointer: "/links/1",
  desired: {
    name: "legacy-builds",
    namespace: "acme",
    provider: "github",
    account: "legacy-builder",
    serviceAccount: true,
    state: "revoked",
    repositories: ["acme/legacy-api", "acme/legacy-web"],
    onRevoke: { webhooks: "delete", deployKeys: "delete" },
  },
  observed: {
    name: "legacy-builds",
    provider: "github",
    namespace: "acme",
    linkId: "lnk-2",
    state: "revoked",
    account: "legacy-builder",
    team: null,
    serviceAccount: true,
    repositories: [cleanRepo("acme/legacy-api"), cleanRepo("acme/legacy-web")],
    providerGrant: "revoked",
    pendingManualSteps: [],
  },
};

const mobileBuilds: LinkFacts = {
  name: "mobile-builds",
  pointer: "/links/2",
  desired: {
    name: "mobile-builds",
    namespace: "acme",
    provider: "bitbucket",
    account: "acme-bb-builder",
    serviceAccount: true,
    state: "disabled",
    repositories: ["acme-team/mobile"],
    onRevoke: { webhooks: "delete", deployKeys: "delete" },
  },
  observed: {
    name: "mobile-builds",
    provider: "bitbucket",
    namespace: "acme",
    linkId: "lnk-3",
    state: "disabled",
    account: "acme-bb-builder",
    team: null,
    serviceAccount: true,
    repositories: [
      { repository: "acme-team/mobile", exists: true, webhooks: [hook("301", { active: false })], deployKeys: [], foreignWebhookCount: 0 },
    ],
    providerGrant: "active",
    pendingManualSteps: [],
  },
};

const acmeOrg: OrgFacts = {
  name: "acme",
  pointer: "/orgAccess/0",
  desired: { org: "acme", provider: "github", app: "github", access: "granted" },
  observed: { org: "acme", provider: "github", app: "github", access: "granted", observedVia: "build-service", pendingManualSteps: [] },
};

const contractorOrg: OrgFacts = {
  name: "contractor-co",
  pointer: "/orgAccess/1",
  desired: { org: "contractor-co", provider: "github", app: "github", access: "denied" },
  observed: { org: "contractor-co", provider: "github", app: "github", access: "denied", observedVia: "probe", pendingManualSteps: [] },
};

/** A fresh copy of the happy-path stack. */
export function happyStack(): StackFacts {
  return structuredClone({
    links: [acmeBuilds, legacyBuilds, mobileBuilds],
    orgs: [acmeOrg, contractorOrg],
    githubWebhooks: [
      // A foreign webhook on a revoked link's repository: never a violation.
      {
        resourceName: "legacy-api-ci",
        type: "github:index/repositoryWebhook:RepositoryWebhook",
        repository: "acme/legacy-api",
        url: "https://ci.acme.example/hooks/github",
        hasSecret: true,
        insecureSsl: false,
      },
      // A build-service webhook managed next to a linked link, sound and declared.
      {
        resourceName: "api-builds",
        type: "github:index/repositoryWebhook:RepositoryWebhook",
        repository: "acme/api",
        url: BUILD_HOOK_URL,
        hasSecret: true,
        insecureSsl: false,
      },
    ],
    webhookUrlPatterns: ["https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/"],
    allowedRepositories: [],
  } satisfies StackFacts);
}

/** The link of `stack` named `name` (throws when absent, so a typo fails the test loudly). */
export function link(stack: StackFacts, name: string): LinkFacts {
  const found = stack.links.find((l) => l.name === name);
  if (!found) throw new Error(`no link ${name} in the fixture`);
  return found;
}

/** The observed state of a link, known to be present in the fixture. */
export function observedOf(stack: StackFacts, name: string) {
  const o = link(stack, name).observed;
  if (o === undefined || o === "unknown") throw new Error(`link ${name} has no observed state in the fixture`);
  return o;
}

/** The org entry of `stack` named `name`. */
export function org(stack: StackFacts, name: string): OrgFacts {
  const found = stack.orgs.find((o) => o.name === name);
  if (!found) throw new Error(`no org ${name} in the fixture`);
  return found;
}

/** The violations of one rule, through the registry (so a rule dropped from the registry fails its tests). */
export function violationsOf(stack: StackFacts, ruleId: RuleId): Violation[] {
  return evaluateAll(stack).filter((v) => v.ruleId === ruleId);
}

/** Messages and levels only, for compact exact assertions. */
export function messagesOf(stack: StackFacts, ruleId: RuleId): [string, string][] {
  return violationsOf(stack, ruleId).map((v) => [v.enforcement, v.message]);
}
