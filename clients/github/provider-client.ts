/** Repository webhooks and deploy keys on GitHub: the `SourceProviderClient` of kind `github`. */
import type { ObservedDeployKey, ObservedWebhook, PlannedRequest } from "../../reconcile/model.js";
import type { RepositoryListing, SourceProviderClient } from "../types.js";
import { GitHubContext, splitRepository } from "./context.js";
import { MissingGitHubTokenError } from "./errors.js";
import { toObservedDeployKey, toObservedWebhook, type GitHubDeployKeyWire, type GitHubHookWire } from "./mapping.js";
import type { GitHubOctokit } from "./octokit.js";
import { HttpError } from "../http-error.js";

/** GitHub's maximum page size, so a listing costs as few requests as possible. */
const PER_PAGE = 100;

/** Webhooks and deploy keys of GitHub repositories, with pagination, ETags and pacing. */
export class GitHubProviderClient implements SourceProviderClient {
  readonly kind = "github" as const;

  constructor(private readonly ctx: GitHubContext) {}

  /** `GET /repos/{owner}/{repo}/hooks`, every page; `exists: false` on 404. */
  listWebhooks(repository: string): Promise<RepositoryListing<ObservedWebhook>> {
    return this.#list(repository, "hooks", (items: GitHubHookWire[]) => items.map(toObservedWebhook));
  }

  /** `GET /repos/{owner}/{repo}/keys`, every page; `exists: false` on 404. */
  listDeployKeys(repository: string): Promise<RepositoryListing<ObservedDeployKey>> {
    return this.#list(repository, "keys", (items: GitHubDeployKeyWire[]) => items.map(toObservedDeployKey));
  }

  /** `DELETE /repos/{owner}/{repo}/hooks/{hook_id}`: 204 → deleted, 404 → gone. */
  deleteWebhook(repository: string, hookId: string): Promise<"deleted" | "gone"> {
    return this.#delete(repository, "hooks", hookId);
  }

  /** `DELETE /repos/{owner}/{repo}/keys/{key_id}`: 204 → deleted, 404 → gone. */
  deleteDeployKey(repository: string, keyId: string): Promise<"deleted" | "gone"> {
    return this.#delete(repository, "keys", keyId);
  }

  /** The request `deleteWebhook` would send. */
  describeDeleteWebhook(repository: string, hookId: string): PlannedRequest {
    return { method: "DELETE", url: this.ctx.url(`${repoPath(repository)}/hooks/${encodeURIComponent(hookId)}`) };
  }

  /** The request `deleteDeployKey` would send. */
  describeDeleteDeployKey(repository: string, keyId: string): PlannedRequest {
    return { method: "DELETE", url: this.ctx.url(`${repoPath(repository)}/keys/${encodeURIComponent(keyId)}`) };
  }

  #octokit(operation: string): GitHubOctokit {
    const octokit = this.ctx.main();
    if (!octokit) throw new MissingGitHubTokenError(operation);
    return octokit;
  }

  async #list<W, T>(repository: string, kind: "hooks" | "keys", map: (items: W[]) => T[]): Promise<RepositoryListing<T>> {
    const { owner, repo } = splitRepository(repository);
    const octokit = this.#octokit(`listing ${kind} of ${repository}`);
    const request = { method: "GET", url: this.ctx.url(`${repoPath(repository)}/${kind}`) };
    try {
      const items = await this.ctx.call(request, () =>
        octokit.paginate<W>(`GET /repos/{owner}/{repo}/${kind}`, { owner, repo, per_page: PER_PAGE }),
      );
      return { exists: true, items: map(items) };
    } catch (error) {
      // 404: the repository is gone or the token cannot see it; read treats that as an answer.
      if (error instanceof HttpError && error.isGone) return { exists: false, items: [] };
      throw error;
    }
  }

  async #delete(repository: string, kind: "hooks" | "keys", id: string): Promise<"deleted" | "gone"> {
    const { owner, repo } = splitRepository(repository);
    const octokit = this.#octokit(`deleting ${kind === "hooks" ? "a webhook" : "a deploy key"} of ${repository}`);
    const request = { method: "DELETE", url: this.ctx.url(`${repoPath(repository)}/${kind}/${encodeURIComponent(id)}`) };
    try {
      await this.ctx.call(request, () =>
        octokit.request(`DELETE /repos/{owner}/{repo}/${kind}/{id}`, { owner, repo, id }),
      );
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

function repoPath(repository: string): string {
  const { owner, repo } = splitRepository(repository);
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
}
