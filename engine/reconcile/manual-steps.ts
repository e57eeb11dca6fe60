/**
 * Pure builders of the steps no API covers: what to click and where. The UI paths follow the vendors'
 * own docs: GitHub "Reviewing your authorized OAuth apps" and "Approving/Denying OAuth apps for your
 * organization", Bitbucket "App authorizations", Docker Hub "Configure automated builds from GitHub
 * and Bitbucket" (Repository settings → Linked accounts).
 */
import type { LinkSpec, OrgAccessState, ProviderKind } from "../model/spec.js";
import type { ManualStep } from "../model/manual-step.js";

const PROVIDER_LABEL: Record<ProviderKind, string> = { github: "GitHub", bitbucket: "Bitbucket" };

/** Where each provider lists the OAuth apps a user authorized (the page to revoke a grant on). */
const AUTHORIZED_APPS: Record<ProviderKind, { path: string; url: string }> = {
  github: { path: "GitHub → Settings → Applications → Authorized OAuth Apps", url: "https://github.com/settings/applications" },
  bitbucket: {
    path: "Bitbucket → Personal settings → App authorizations",
    url: "https://bitbucket.org/account/settings/app-authorizations/",
  },
};

/** Docker Hub's linked-accounts tab of its repository settings. */
const DOCKER_HUB_LINKED_ACCOUNTS = "https://hub.docker.com/repository-settings/linked-accounts";

/** The provider user revokes the build service's OAuth app (the provider side of a two-sided revocation). */
export function revokeGrantStep(provider: ProviderKind, account: string, appName: string): ManualStep {
  const where = AUTHORIZED_APPS[provider];
  return {
    id: `revoke-grant:${provider}:${account}`,
    summary: `Signed in to ${PROVIDER_LABEL[provider]} as ${account}, revoke the authorization of the OAuth app "${appName}" (or confirm it is no longer listed).`,
    uiPath: `${where.path} → ${appName} → Revoke`,
    url: where.url,
  };
}

/** A GitHub org owner grants or denies the build service's OAuth app access to the org. */
export function orgAccessStep(org: string, appName: string, access: OrgAccessState): ManualStep {
  const action = access === "granted" ? "Review → Grant access" : "Edit → Deny access";
  return {
    id: `org-access:github:${org}`,
    summary: `As an owner of the GitHub organization ${org}, ${access === "granted" ? "grant" : "deny"} the OAuth app "${appName}" access to the organization.`,
    uiPath: `GitHub → Organization settings → Third-party Access → OAuth app policy → ${appName} → ${action}`,
    url: `https://github.com/organizations/${encodeURIComponent(org)}/settings/oauth_application_policy`,
  };
}

/** Docker Hub has no public API for linked accounts: connect the provider account in its UI. */
export function dockerHubLinkStep(namespace: string, provider: ProviderKind, account: string): ManualStep {
  return {
    id: `docker-hub-link:${namespace}:${provider}:${account}`,
    summary: `Signed in to Docker Hub for ${namespace}, link the ${PROVIDER_LABEL[provider]} account ${account} (sign out of other ${PROVIDER_LABEL[provider]} accounts first).`,
    uiPath: `Docker Hub → Settings → Repository settings → Linked accounts → ${PROVIDER_LABEL[provider]} → Link provider`,
    url: DOCKER_HUB_LINKED_ACCOUNTS,
  };
}

/** Docker Hub has no public API for linked accounts: disconnect the provider account in its UI. */
export function dockerHubUnlinkStep(namespace: string, provider: ProviderKind, account: string): ManualStep {
  return {
    id: `docker-hub-unlink:${namespace}:${provider}:${account}`,
    summary: `Signed in to Docker Hub for ${namespace}, unlink the ${PROVIDER_LABEL[provider]} account ${account}.`,
    uiPath: `Docker Hub → Settings → Repository settings → Linked accounts → ${PROVIDER_LABEL[provider]} → Unlink provider`,
    url: DOCKER_HUB_LINKED_ACCOUNTS,
  };
}

/**
 * Docker Hub cannot pause a link: a disabled link there means autobuild turned off on each source
 * repository's image repository, which the user does in the Builds tab.
 */
export function dockerHubDisableStep(namespace: string, provider: ProviderKind, account: string): ManualStep {
  return {
    id: `docker-hub-disable:${namespace}:${provider}:${account}`,
    summary: `Docker Hub cannot disable a linked account: in ${namespace}, turn autobuild off on every image repository that builds from ${PROVIDER_LABEL[provider]} account ${account}'s repositories.`,
    uiPath: `Docker Hub → Repositories → ${namespace}/<repository> → Builds → Configure automated builds → Autobuild → off`,
    url: `https://hub.docker.com/repositories/${encodeURIComponent(namespace)}`,
  };
}

/** Where each provider shows a repository (its settings page is where a person confirms it is gone). */
const REPOSITORY_URL: Record<ProviderKind, (owner: string, name: string) => string> = {
  github: (owner, name) => `https://github.com/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`,
  bitbucket: (owner, name) => `https://bitbucket.org/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`,
};

/**
 * A declared repository answers 404 (or the token cannot read it): either the YAML has a typo (fix the
 * name) or it is really gone, which only a person can confirm, since a 404 also hides what the token
 * may not see (a build service's webhook may still sit on the repository the name meant).
 */
export function repositoryGoneStep(provider: ProviderKind, repository: string): ManualStep {
  const [owner = repository, name = ""] = repository.split("/");
  return {
    id: `repository-gone:${provider}:${owner}:${name}`,
    summary: `${PROVIDER_LABEL[provider]} answers 404 for ${repository}: fix the name in the YAML if it is a typo, or confirm that the repository is deleted (not renamed, not transferred, not hidden from the token) and record this step; removing it from the link does too.`,
    uiPath: `${PROVIDER_LABEL[provider]} → ${repository} (signed in as an owner of ${owner})`,
    url: REPOSITORY_URL[provider](owner, name),
  };
}

/** GitHub answers 403 to any write on an archived repository: a person unarchives it, then apply deletes. */
export function unarchiveStep(provider: ProviderKind, repository: string, count: number): ManualStep {
  const [owner = repository, name = ""] = repository.split("/");
  return {
    id: `unarchive:${provider}:${owner}:${name}`,
    summary: `Unarchive ${repository} (it holds ${count} build-service artifact${count === 1 ? "" : "s"} that GitHub refuses to delete while it is archived), run apply again, then archive it again.`,
    uiPath: `GitHub → ${repository} → Settings → Danger Zone → Unarchive this repository`,
    url: `https://github.com/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/settings`,
  };
}

/**
 * Docker Hub has no API for a link's autobuild sources either: each declared repository is set up as an
 * automated build in its UI (a relinked team's new link starts with none).
 */
export function dockerHubAutobuildStep(
  namespace: string,
  provider: ProviderKind,
  account: string,
  repositories: readonly string[],
): ManualStep {
  return {
    id: `docker-hub-autobuild:${namespace}:${provider}:${account}`,
    summary: `Signed in to Docker Hub for ${namespace}, configure automated builds from ${PROVIDER_LABEL[provider]} account ${account} for ${repositories.join(", ")} (a relinked account starts with none).`,
    uiPath: `Docker Hub → Repositories → ${namespace}/<repository> → Builds → Configure automated builds → Source repository`,
    url: `https://hub.docker.com/repositories/${encodeURIComponent(namespace)}`,
  };
}

/** A `linked` link on Docker Hub: link the account, then set up its declared repositories' automated builds. */
export function dockerHubLinkSteps(spec: Pick<LinkSpec, "namespace" | "provider" | "account" | "repositories">): ManualStep[] {
  const link = dockerHubLinkStep(spec.namespace, spec.provider, spec.account);
  if (spec.repositories.length === 0) return [link];
  return [link, dockerHubAutobuildStep(spec.namespace, spec.provider, spec.account, spec.repositories)];
}
