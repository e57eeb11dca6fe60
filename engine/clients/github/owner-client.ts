/**
 * What a sweep reads of a GitHub owner: every repository (an org's, else a user's) and an org's own
 * webhooks, with pagination, ETags and pacing shared with the other GitHub clients.
 * A user's private repositories are listed only to that user (`GET /user/repos`) or to an installation
 * on the account (`GET /installation/repositories`); `GET /users/{username}/repos` lists public ones only.
 * Docs: https://docs.github.com/en/rest/repos/repos#list-organization-repositories,
 * https://docs.github.com/en/rest/repos/repos#list-repositories-for-the-authenticated-user,
 * https://docs.github.com/en/rest/apps/installations#list-repositories-accessible-to-the-app-installation,
 * https://docs.github.com/en/rest/repos/repos#list-repositories-for-a-user and
 * https://docs.github.com/en/rest/orgs/webhooks.
 */
import type { ObservedWebhook } from "../../model/observed.js";
import type { PlannedRequest } from "../../model/plan.js";
import { plannedUrl } from "../planned-request.js";
import { HttpError } from "../http-error.js";
import { PageGuard } from "../page-guard.js";
import type { OwnerClient, OwnerPages, OwnerRepository } from "../types.js";
import type { GitHubContext } from "./context.js";
import { MissingGitHubTokenError } from "./errors.js";
import { toObservedWebhook, type GitHubHookWire, type GitHubRepositoryWire } from "./mapping.js";
import type { GitHubOctokit } from "./octokit.js";

/** GitHub's maximum page size. */
const PER_PAGE = 100;

/** Pages of an owner's repositories read at most: 200,000 repositories. */
const MAX_REPOSITORY_PAGES = 2000;

/** Pages of an org's webhooks read at most (GitHub allows 250 webhooks per org). */
const MAX_HOOK_PAGES = 10;

/** One listing page as Octokit's paginator yields it. */
type ListingPage = IteratorResult<{ data: unknown; headers: { link?: string } }>;

/** How a user's repositories are listed: what the token may see of them, and whether that is all of them. */
type UserListing = "installation" | "self" | "public";

/** The repositories of a listing page (GitHub's objects, or what the ETag cache kept of them). */
function toRepositories(data: unknown): OwnerRepository[] {
  // `GET /installation/repositories` wraps its page in an object; Octokit's paginator unwraps it.
  const items = Array.isArray(data) ? data : (data as { repositories: GitHubRepositoryWire[] }).repositories;
  return (items as GitHubRepositoryWire[]).map((r) => ({
    repository: r.full_name,
    id: String(r.id),
    archived: r.archived === true,
    private: r.private === true,
  }));
}

/** The request that lists `owner`'s repositories the way `as` says. */
function listingRequest(owner: string, as: "org" | UserListing): { path: string; route: string; params: Record<string, unknown> } {
  const o = encodeURIComponent(owner);
  switch (as) {
    case "org":
      return { path: `/orgs/${o}/repos`, route: "GET /orgs/{org}/repos", params: { org: owner, type: "all", per_page: PER_PAGE } };
    case "installation":
      // An installation on a user account is given only that account's repositories.
      return { path: "/installation/repositories", route: "GET /installation/repositories", params: { per_page: PER_PAGE } };
    case "self":
      return {
        path: "/user/repos",
        route: "GET /user/repos",
        params: { affiliation: "owner", visibility: "all", per_page: PER_PAGE },
      };
    case "public":
      return {
        path: `/users/${o}/repos`,
        route: "GET /users/{username}/repos",
        params: { username: owner, type: "owner", per_page: PER_PAGE },
      };
  }
}

/** Owner listings and org webhooks on GitHub. */
export class GitHubOwnerClient implements OwnerClient {
  readonly kind = "github" as const;

  /** The token's own login (`GET /user`), read once. */
  #login: Promise<string> | null = null;

  constructor(private readonly ctx: GitHubContext) {}

  /**
   * `GET /orgs/{org}/repos?type=all`, page by page; on 404 (not an org) the user's repositories: with a
   * GitHub App the installation's (`GET /installation/repositories`), with the user's own token
   * `GET /user/repos?affiliation=owner` (private ones included), else `GET /users/{username}/repos`,
   * which shows public repositories only (`publicOnly`); null when the owner does not exist.
   */
  async repositoryPages(owner: string): Promise<OwnerPages | null> {
    const org = await this.#repositoryPages(owner, "org");
    if (org !== null) return { ownerType: "org", pages: org };
    const as = await this.#userListing(owner);
    const user = await this.#repositoryPages(owner, as);
    if (user === null) return null;
    return { ownerType: "user", pages: user, ...(as === "public" ? { publicOnly: true } : {}) };
  }

  /** Which listing shows the most of a user's repositories to this run's credentials. */
  async #userListing(owner: string): Promise<UserListing> {
    if (this.ctx.app() !== null) return "installation";
    this.#login ??= this.#ownLogin();
    // A failed read is not kept: the next sweep asks again.
    this.#login.catch(() => (this.#login = null));
    return (await this.#login).toLowerCase() === owner.toLowerCase() ? "self" : "public";
  }

  async #ownLogin(): Promise<string> {
    const octokit = await this.#octokit("", "reading the token's own login");
    const { data } = await this.ctx.call({ method: "GET", url: this.ctx.url("/user") }, () => octokit.request("GET /user"));
    return (data as { login: string }).login;
  }

  /** `GET /orgs/{org}/hooks`, every page. A 404 means the token is not an org owner with `admin:org_hook`: an error, never "none". */
  async listOrgWebhooks(org: string): Promise<ObservedWebhook[]> {
    const route = "GET /orgs/{org}/hooks";
    const params = { org, per_page: PER_PAGE };
    const hooks = await this.#paginate<GitHubHookWire>(
      org,
      route,
      params,
      `/orgs/${encodeURIComponent(org)}/hooks`,
      `webhooks of org ${org}`,
      MAX_HOOK_PAGES,
    );
    return hooks.map(toObservedWebhook);
  }

  /** A planned `DELETE /orgs/{org}/hooks/{hook_id}`: 204 → deleted, 404 → gone. */
  async deleteOrgWebhook(org: string, planned: PlannedRequest): Promise<"deleted" | "gone"> {
    const hooks = this.ctx.url(`/orgs/${encodeURIComponent(org)}/hooks`);
    const request = { method: "DELETE" as const, url: plannedUrl("github", hooks, planned, "DELETE") };
    const octokit = await this.#octokit(org, `deleting a webhook of org ${org}`);
    try {
      // Sent as built (an absolute URL), the request the plan showed.
      await this.ctx.call(request, () => octokit.request(`${request.method} ${request.url}`), [], {
        owner: org,
        needed: `delete a webhook of org ${org}`,
      });
      return "deleted";
    } catch (error) {
      if (error instanceof HttpError && error.isGone) return "gone";
      throw error;
    } finally {
      this.#invalidate(org);
    }
  }

  /** The listing pages of `owner` as an org or a user; the first is read before this resolves (null on 404). */
  async #repositoryPages(owner: string, as: "org" | UserListing): Promise<AsyncIterable<OwnerRepository[]> | null> {
    const octokit = await this.#octokit(owner, `listing the repositories of ${owner}`);
    const { path, route, params } = listingRequest(owner, as);
    const guard = new PageGuard("github", `repositories of ${owner}`, MAX_REPOSITORY_PAGES, "more repositories than a sweep reads");
    guard.visit(octokit.request.endpoint(route, params).url);
    const pages = octokit.paginate.iterator(route, params)[Symbol.asyncIterator]();
    const about = { owner, needed: `list the repositories of ${owner}` };
    const read = (): Promise<ListingPage> => this.ctx.call({ method: "GET", url: this.ctx.url(path) }, () => pages.next(), [], about);
    let first: ListingPage;
    try {
      first = await read();
    } catch (error) {
      if (error instanceof HttpError && error.isGone) return null;
      throw error;
    }
    return {
      async *[Symbol.asyncIterator]() {
        for (let page = first; !page.done; page = await read()) {
          const next = /<([^<>]+)>;\s*rel="next"/.exec(page.value.headers.link ?? "");
          if (next) guard.visit(next[1]!);
          yield toRepositories(page.value.data);
        }
      },
    };
  }

  async #paginate<W>(
    owner: string,
    route: string,
    params: Record<string, string | number>,
    path: string,
    what: string,
    maxPages: number,
  ): Promise<W[]> {
    const octokit = await this.#octokit(owner, `listing ${what}`);
    // The owner and purpose let a GitHub App's 403 name the permission its installation lacks.
    const about = { owner, needed: `list the ${what}` };
    return this.ctx.call(
      { method: "GET", url: this.ctx.url(path) },
      async () => {
        const guard = new PageGuard("github", what, maxPages, "more than a sweep reads");
        guard.visit(octokit.request.endpoint(route, params).url);
        const all: W[] = [];
        for await (const page of octokit.paginate.iterator(route, params)) {
          for (const item of page.data as W[]) all.push(item);
          const next = /<([^<>]+)>;\s*rel="next"/.exec(page.headers.link ?? "");
          if (next) guard.visit(next[1]!);
        }
        return all;
      },
      [],
      about,
    );
  }

  /** The Octokit of the owner's installation (GitHub App) or of the token. */
  async #octokit(owner: string, operation: string): Promise<GitHubOctokit> {
    const octokit = await this.ctx.forOwner(owner);
    if (!octokit) throw new MissingGitHubTokenError(operation);
    return octokit;
  }

  /** After a write, the org's cached hook listings are stale. */
  #invalidate(org: string): void {
    const cache = this.ctx.settings.etagCache;
    if (!cache) return;
    const needle = `/orgs/${org}/hooks`.toLowerCase();
    cache.invalidate((url) => new URL(url).pathname.toLowerCase().includes(needle));
  }
}
