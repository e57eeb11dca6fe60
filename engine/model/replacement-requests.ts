/**
 * The requests of a replacement build's steps (model/replacement-steps.ts), built in one place: the
 * planner puts them in each step and the step kinds send exactly them. Pure: base URL and names in.
 */
import type { PlannedRequest } from "./plan.js";
import { bitbucketRepoUrl, githubRepoUrl } from "./requests.js";

/** The segments of a path (a file path, a branch name), each URI-encoded, slashes kept. */
export function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** GitHub `POST …/git/refs` (create) or `PATCH …/git/refs/heads/{branch}` (reset). */
export function proposalBranchRequest(githubApi: string, repository: string, branch: string, reset: boolean): PlannedRequest {
  const repo = githubRepoUrl(githubApi, repository);
  return reset ? { method: "PATCH", url: `${repo}/git/refs/heads/${encodePath(branch)}` } : { method: "POST", url: `${repo}/git/refs` };
}

/** GitHub `PUT …/contents/{path}`; Bitbucket `POST …/src`. */
export function proposalFileRequest(provider: "github" | "bitbucket", api: string, repository: string, path: string): PlannedRequest {
  return provider === "github"
    ? { method: "PUT", url: `${githubRepoUrl(api, repository)}/contents/${encodePath(path)}` }
    : { method: "POST", url: `${bitbucketRepoUrl(api, repository)}/src` };
}

/** Open (`POST …/pulls`, `POST …/pullrequests`) or update (`PATCH …/pulls/{n}`, `PUT …/pullrequests/{id}`) a pull request. */
export function proposalPullRequestRequest(
  provider: "github" | "bitbucket",
  api: string,
  repository: string,
  number: number | null,
): PlannedRequest {
  if (provider === "github") {
    const pulls = `${githubRepoUrl(api, repository)}/pulls`;
    return number === null ? { method: "POST", url: pulls } : { method: "PATCH", url: `${pulls}/${number}` };
  }
  const pulls = `${bitbucketRepoUrl(api, repository)}/pullrequests`;
  return number === null ? { method: "POST", url: pulls } : { method: "PUT", url: `${pulls}/${number}` };
}

/** GitHub `PUT …/actions/secrets/{name}` (repository) or `PUT /orgs/{org}/actions/secrets/{name}`; Bitbucket `POST …/pipelines_config/variables`. */
export function ciSecretRequest(
  provider: "github" | "bitbucket",
  api: string,
  repository: string,
  name: string,
  scope: "repository" | "organization",
): PlannedRequest {
  if (provider === "bitbucket") return { method: "POST", url: `${bitbucketRepoUrl(api, repository)}/pipelines_config/variables` };
  if (scope === "organization") return { method: "PUT", url: `${orgSecretsUrl(api, repository)}/${encodeURIComponent(name)}` };
  return { method: "PUT", url: `${githubRepoUrl(api, repository)}/actions/secrets/${encodeURIComponent(name)}` };
}

/** Where a secret's sealing key is read: the repository's or the org's `…/actions/secrets/public-key`. */
export function secretKeyUrl(githubApi: string, repository: string, scope: "repository" | "organization"): string {
  return scope === "organization"
    ? `${orgSecretsUrl(githubApi, repository)}/public-key`
    : `${githubRepoUrl(githubApi, repository)}/actions/secrets/public-key`;
}

/** GitHub `PUT /orgs/{org}/actions/secrets/{name}/repositories/{repository_id}`. */
export function orgSecretRepositoryRequest(githubApi: string, repository: string, name: string, repositoryId: number): PlannedRequest {
  return { method: "PUT", url: `${orgSecretsUrl(githubApi, repository)}/${encodeURIComponent(name)}/repositories/${repositoryId}` };
}

/** Bitbucket `PUT …/pipelines_config`. */
export function enablePipelinesRequest(bitbucketApi: string, repository: string): PlannedRequest {
  return { method: "PUT", url: `${bitbucketRepoUrl(bitbucketApi, repository)}/pipelines_config` };
}

/** `/orgs/{org}/actions/secrets` of the repository's owner. */
function orgSecretsUrl(githubApi: string, repository: string): string {
  const org = repository.split("/")[0] ?? "";
  return `${githubApi.replace(/\/+$/, "")}/orgs/${encodeURIComponent(org)}/actions/secrets`;
}
