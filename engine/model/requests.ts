/**
 * The request builders: the one place the method and URL of each write is worked out. The planner
 * puts their answer in each step, the clients send exactly that request, and the executor compares the
 * step's request with the builder's before sending, so no step sends what the plan did not show.
 * Pure: base URLs and identifiers in, a `PlannedRequest` out.
 */
import type { PlannedRequest } from "./plan.js";
import type { ProviderKind } from "./spec.js";

/** The API base URLs requests are built on, as resolved (env overrides applied); null where the run has no API client. */
export interface ApiUrls {
  /** Up to and including `/api/build/v1`; null for `docker-hub`, which has no public API for links. */
  buildService: string | null;
  github: string | null;
  bitbucket: string | null;
}

/** `POST /{namespace}/links/`: create a link. */
export function createLinkRequest(buildApi: string, namespace: string): PlannedRequest {
  return { method: "POST", url: linksUrl(buildApi, namespace) };
}

/** `PATCH /{namespace}/links/{id}/`: enable or disable a link. */
export function setLinkStateRequest(buildApi: string, namespace: string, linkId: string): PlannedRequest {
  return { method: "PATCH", url: linkUrl(buildApi, namespace, need("setLinkState", linkId, "a link id")) };
}

/** `DELETE /{namespace}/links/{id}/`: unlink. */
export function unlinkRequest(buildApi: string, namespace: string, linkId: string): PlannedRequest {
  return { method: "DELETE", url: linkUrl(buildApi, namespace, need("unlink", linkId, "a link id")) };
}

/** `PUT /{namespace}/links/{id}/orgs/{org}/access/`: set an org's third-party access through a link. */
export function setOrgAccessRequest(buildApi: string, namespace: string, linkId: string, org: string): PlannedRequest {
  return {
    method: "PUT",
    url: orgAccessUrl(buildApi, namespace, need("setOrgAccess", linkId, "a link id"), need("setOrgAccess", org, "an org")),
  };
}

/**
 * `PUT /{namespace}/links/{id}/repositories/{owner}/{name}/`: make a repository an autobuild source of a
 * link. Idempotent (the repository is listed once however often it is sent); it removes nothing.
 */
export function addLinkRepositoryRequest(buildApi: string, namespace: string, linkId: string, repository: string): PlannedRequest {
  const parts = repository.split("/");
  if (parts.length !== 2 || parts.some((p) => p === ""))
    throw new TypeError(`build-service: repository must be "owner/name", got "${repository}"`);
  const [owner, name] = parts as [string, string];
  return {
    method: "PUT",
    url: `${linkUrl(buildApi, namespace, need("addLinkRepository", linkId, "a link id"))}repositories/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/`,
  };
}

/** GitHub `DELETE /applications/{client_id}/grant`: revoke every token a user gave the OAuth app. */
export function revokeGrantRequest(githubApi: string, clientId: string): PlannedRequest {
  return { method: "DELETE", url: `${trimmed(githubApi)}/applications/${encodeURIComponent(clientId)}/grant` };
}

/**
 * Delete a repository webhook: GitHub `DELETE /repos/{owner}/{repo}/hooks/{hook_id}`; Bitbucket
 * `DELETE /repositories/{workspace}/{repo_slug}/hooks/{uid}`, uid being the brace-wrapped uuid (braces optional in `hookId`).
 */
export function deleteWebhookRequest(provider: ProviderKind, api: string, repository: string, hookId: string): PlannedRequest {
  if (provider === "github") return { method: "DELETE", url: `${githubRepoUrl(api, repository)}/hooks/${encodeURIComponent(hookId)}` };
  const uuid = hookId.startsWith("{") ? hookId : `{${hookId}}`;
  return { method: "DELETE", url: `${bitbucketRepoUrl(api, repository)}/hooks/${encodeURIComponent(uuid)}` };
}

/** Delete a deploy key: GitHub `DELETE /repos/{owner}/{repo}/keys/{key_id}`; Bitbucket `DELETE /repositories/{workspace}/{repo_slug}/deploy-keys/{key_id}`. */
export function deleteDeployKeyRequest(provider: ProviderKind, api: string, repository: string, keyId: string): PlannedRequest {
  const path = provider === "github" ? `${githubRepoUrl(api, repository)}/keys` : `${bitbucketRepoUrl(api, repository)}/deploy-keys`;
  return { method: "DELETE", url: `${path}/${encodeURIComponent(keyId)}` };
}

/** Delete an org's own webhook (GitHub only): `DELETE /orgs/{org}/hooks/{hook_id}`. */
export function deleteOrgWebhookRequest(githubApi: string, org: string, hookId: string): PlannedRequest {
  return { method: "DELETE", url: `${trimmed(githubApi)}/orgs/${encodeURIComponent(org)}/hooks/${encodeURIComponent(hookId)}` };
}

/** `/{namespace}/links/` of the build service: its link collection (the client reads it too). */
export function linksUrl(buildApi: string, namespace: string): string {
  return `${trimmed(buildApi)}/${encodeURIComponent(namespace)}/links/`;
}

/** One link of the build service. */
export function linkUrl(buildApi: string, namespace: string, linkId: string): string {
  return `${linksUrl(buildApi, namespace)}${encodeURIComponent(linkId)}/`;
}

/** An org's access through one link of the build service. */
export function orgAccessUrl(buildApi: string, namespace: string, linkId: string, org: string): string {
  return `${linkUrl(buildApi, namespace, linkId)}orgs/${encodeURIComponent(org)}/access/`;
}

/** Splits GitHub's `owner/name`, rejecting anything else before a request is built. */
export function splitGitHubRepository(repository: string): { owner: string; repo: string } {
  const parts = repository.split("/");
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new TypeError(`github: repository must be "owner/name", got "${repository}"`);
  return { owner: parts[0], repo: parts[1] };
}

/** `…/repos/{owner}/{repo}` on GitHub. */
export function githubRepoUrl(githubApi: string, repository: string): string {
  const { owner, repo } = splitGitHubRepository(repository);
  return `${trimmed(githubApi)}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
}

/** `…/repositories/{workspace}/{repo_slug}` on Bitbucket. */
export function bitbucketRepoUrl(bitbucketApi: string, repository: string): string {
  const parts = repository.split("/");
  if (parts.length !== 2 || parts.some((p) => p === "")) {
    throw new TypeError(`bitbucket: repository must be "workspace/repo_slug", got "${repository}"`);
  }
  return `${trimmed(bitbucketApi)}/repositories/${encodeURIComponent(parts[0]!)}/${encodeURIComponent(parts[1]!)}`;
}

/** A base URL without its trailing slashes, so paths join cleanly. */
function trimmed(base: string): string {
  return base.replace(/\/+$/, "");
}

/** `value`, or a TypeError naming the operation and what it lacks (an empty id would address the collection). */
function need(op: string, value: string, what: string): string {
  if (value === "") throw new TypeError(`build-service: ${op} needs ${what}`);
  return value;
}
