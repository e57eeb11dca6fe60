/**
 * Repository webhooks and deploy keys on GitHub: the `SourceProviderClient` of kind `github`. A delete
 * sends the request its plan step carries, as the plan shows it.
 */
import type { ObservedDeployKey, ObservedWebhook } from "../../model/observed.js";
import type { PlannedRequest } from "../../model/plan.js";
import { githubRepoUrl, splitGitHubRepository } from "../../model/requests.js";
import { plannedUrl } from "../planned-request.js";
import type { RepositoryListing, SourceProviderClient } from "../types.js";
import type { GitHubContext } from "./context.js";
import { GitHubDeployKeyReader, type GraphqlUsage } from "./deploy-keys-graphql.js";
import { MissingGitHubTokenError } from "./errors.js";
import { toObservedDeployKey, toObservedWebhook, type GitHubDeployKeyWire, type GitHubHookWire } from "./mapping.js";
import type { GitHubOctokit } from "./octokit.js";
import { HttpError } from "../http-error.js";
import { PageGuard } from "../page-guard.js";
import { UnobservableRepositoryError } from "../unobservable-repository-error.js";

/** GitHub's maximum page size, so a listing costs as few requests as possible. */
const PER_PAGE = 100;

/**
 * Pages of one repository's webhooks or deploy keys read at most: 5,000 items, far beyond what GitHub
 * lets a repository hold (20 webhooks per event, https://docs.github.com/en/webhooks/about-webhooks).
 */
const MAX_PAGES = 50;

/** What the token needs to read each listing (GitHub answers 404 without it). */
const PERMISSION = {
  hooks:
    "admin access to the repository (a classic token with the repo or admin:repo_hook scope, or a fine-grained token with Webhooks: read)",
  keys: "admin access to the repository (a classic token with the repo scope, or a fine-grained token with Administration: read)",
} as const;

/** Webhooks and deploy keys of GitHub repositories, with pagination, ETags and pacing. */
export class GitHubProviderClient implements SourceProviderClient {
  readonly kind = "github" as const;

  readonly #keys: GitHubDeployKeyReader;

  constructor(private readonly ctx: GitHubContext) {
    this.#keys = new GitHubDeployKeyReader(ctx);
  }

  /** `GET /repos/{owner}/{repo}/hooks`, every page; `exists: false` when the repository is gone (see `#confirmGone`). */
  listWebhooks(repository: string): Promise<RepositoryListing<ObservedWebhook>> {
    return this.#list(repository, "hooks", (items: GitHubHookWire[]) => items.map(toObservedWebhook));
  }

  /** `GET /repos/{owner}/{repo}/keys`, every page; `exists: false` when the repository is gone. */
  listDeployKeys(repository: string): Promise<RepositoryListing<ObservedDeployKey>> {
    return this.#list(repository, "keys", (items: GitHubDeployKeyWire[]) => items.map(toObservedDeployKey));
  }

  /** The deploy keys of many repositories through batched GraphQL queries (deploy-keys-graphql.ts): a few queries instead of a request each. */
  readDeployKeys(repositories: readonly string[]): Promise<Map<string, RepositoryListing<ObservedDeployKey>>> {
    return this.#keys.read(repositories);
  }

  /** What this client's GraphQL queries cost so far. */
  graphqlUsage(): GraphqlUsage {
    return this.#keys.usage();
  }

  /** A planned `DELETE /repos/{owner}/{repo}/hooks/{hook_id}`: 204 → deleted, 404 → gone. */
  deleteWebhook(repository: string, request: PlannedRequest): Promise<"deleted" | "gone"> {
    return this.#delete(repository, "hooks", request);
  }

  /** A planned `DELETE /repos/{owner}/{repo}/keys/{key_id}`: 204 → deleted, 404 → gone. */
  deleteDeployKey(repository: string, request: PlannedRequest): Promise<"deleted" | "gone"> {
    return this.#delete(repository, "keys", request);
  }

  /** `GET /users/{username}` (users and orgs alike): false on 404, so a typo is refused before any write. */
  async accountExists(login: string): Promise<boolean> {
    const octokit = required(await this.ctx.anyOwner(login), `reading account ${login}`);
    try {
      await this.ctx.call({ method: "GET", url: this.ctx.url(`/users/${encodeURIComponent(login)}`) }, () =>
        octokit.request("GET /users/{username}", { username: login }),
      );
      return true;
    } catch (error) {
      if (error instanceof HttpError && error.isGone) return false;
      throw error;
    }
  }

  /** The Octokit of the owner's installation (GitHub App) or of the token. */
  async #octokit(owner: string, operation: string): Promise<GitHubOctokit> {
    return required(await this.ctx.forOwner(owner), operation);
  }

  async #list<W, T>(repository: string, kind: "hooks" | "keys", map: (items: W[]) => T[]): Promise<RepositoryListing<T>> {
    const { owner, repo } = splitGitHubRepository(repository);
    const octokit = await this.#octokit(owner, `listing ${kind} of ${repository}`);
    const request = { method: "GET", url: `${githubRepoUrl(this.ctx.apiUrl, repository)}/${kind}` };
    const what = kind === "hooks" ? "webhooks" : "deploy keys";
    const about = { owner, needed: `list the ${what} of ${repository}` };
    const route = `GET /repos/{owner}/{repo}/${kind}`;
    const params = { owner, repo, per_page: PER_PAGE };
    try {
      const items = await this.ctx.call(
        request,
        async () => {
          const guard = new PageGuard("github", `${what} of ${repository}`, MAX_PAGES, "far more than GitHub lets a repository hold");
          guard.visit(octokit.request.endpoint(route, params).url);
          const all: W[] = [];
          for await (const page of octokit.paginate.iterator(route, params)) {
            all.push(...(page.data as W[]));
            const next = nextLink(page.headers.link);
            if (next !== null) guard.visit(next);
          }
          return all;
        },
        [],
        about,
      );
      return { exists: true, items: map(items) };
    } catch (error) {
      if (error instanceof HttpError && error.isGone) return this.#confirmGone(repository, kind, error);
      throw error;
    }
  }

  /**
   * A listing answered 404: GitHub says that both for a repository that is gone and for one whose
   * hooks or keys the token may not administer. `GET /repos/{owner}/{repo}` tells them apart: 404 →
   * gone (`exists: false`); an answer → the listing was hidden, an error naming the permission.
   */
  async #confirmGone<T>(repository: string, kind: "hooks" | "keys", listing: HttpError): Promise<RepositoryListing<T>> {
    const { owner, repo } = splitGitHubRepository(repository);
    const octokit = await this.#octokit(owner, `reading ${repository}`);
    let permissions: { admin?: unknown } | undefined;
    try {
      const about = { owner, needed: `read ${repository} (metadata)` };
      const response = await this.ctx.call(
        { method: "GET", url: githubRepoUrl(this.ctx.apiUrl, repository) },
        () => octokit.request("GET /repos/{owner}/{repo}", { owner, repo }),
        [],
        about,
      );
      permissions = (response.data as { permissions?: { admin?: unknown } }).permissions;
    } catch (error) {
      if (error instanceof HttpError && error.isGone) return { exists: false, items: [] };
      throw error;
    }
    const admin = permissions === undefined ? "not reported" : `permissions.admin: ${String(permissions.admin)}`;
    throw new UnobservableRepositoryError({
      service: "github",
      repository,
      what: kind === "hooks" ? "webhooks" : "deploy keys",
      status: listing.status,
      permission: `${PERMISSION[kind]}; the token's access to it: ${admin}`,
    });
  }

  /** Sends `request` as built (an absolute URL: Octokit adds no base and the pacer maps it to its route template). */
  async #delete(repository: string, kind: "hooks" | "keys", planned: PlannedRequest): Promise<"deleted" | "gone"> {
    const { owner, repo } = splitGitHubRepository(repository);
    const what = kind === "hooks" ? "a webhook" : "a deploy key";
    // Only under the repository's own hooks or keys, so the owner's credentials go nowhere else.
    const collection = `${githubRepoUrl(this.ctx.apiUrl, repository)}/${kind}`;
    const request = { method: "DELETE" as const, url: plannedUrl("github", collection, planned, "DELETE") };
    const octokit = await this.#octokit(owner, `deleting ${what} of ${repository}`);
    try {
      await this.ctx.call(request, () => octokit.request(`${request.method} ${request.url}`), [], {
        owner,
        needed: `delete ${what} of ${repository}`,
      });
      return "deleted";
    } catch (error) {
      if (error instanceof HttpError && error.isGone) return "gone";
      throw error;
    } finally {
      this.#invalidate(owner, repo);
    }
  }

  /** After a write, cached listings of the repository are stale. */
  #invalidate(owner: string, repo: string): void {
    const cache = this.ctx.settings.etagCache;
    if (!cache) return;
    const needle = `/repos/${owner}/${repo}/`.toLowerCase();
    cache.invalidate((url) => {
      const path = new URL(url).pathname.toLowerCase();
      return `${path}/`.includes(needle);
    });
  }
}

/** The Octokit, or the error saying no credential is configured. */
function required(octokit: GitHubOctokit | null, operation: string): GitHubOctokit {
  if (!octokit) throw new MissingGitHubTokenError(operation);
  return octokit;
}

/** The `rel="next"` URL of a `Link` header (RFC 8288), or null. */
function nextLink(link: string | undefined): string | null {
  const match = /<([^<>]+)>;\s*rel="next"/.exec(link ?? "");
  return match ? match[1]! : null;
}
