/**
 * The API URLs requests are built on, and the URLs of the things they address: each write's request is
 * built by its step kind (engine/reconcile/steps/) from these, and the clients read from them. Pure.
 */

/** The API base URLs requests are built on, as resolved (env overrides applied); null where the run has no API client. */
export interface ApiUrls {
  /** Up to and including `/api/build/v1`; null for `docker-hub`, which has no public API for links. */
  buildService: string | null;
  github: string | null;
  bitbucket: string | null;
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
export function trimmed(base: string): string {
  return base.replace(/\/+$/, "");
}
