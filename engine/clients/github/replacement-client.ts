/**
 * A replacement build's reads and writes on GitHub: the default branch, the proposal branch and file
 * (`git/ref`, `contents`), its pull requests, Actions secrets (sealed with sealed-box.ts) and org
 * secrets' repository selection. Through the world's GitHub context: pacing, the ETag cache, GitHub
 * App installations and redaction as for every other GitHub call.
 */
import type { PlannedRequest } from "../../model/plan.js";
import type { BranchCommit, ProposalPullRequest } from "../../model/replacement.js";
import { encodePath } from "../../model/replacement-requests.js";
import { githubRepoUrl, splitGitHubRepository } from "../../model/requests.js";
import type { Secret } from "../../model/secret.js";
import { tokenFingerprint } from "../etag-cache.js";
import { HttpError } from "../http-error.js";
import { PageGuard } from "../page-guard.js";
import { plannedUrl } from "../planned-request.js";
import type { OrgSecretAccess, ReplacementClient, RepositoryFile } from "../types.js";
import type { GitHubContext } from "./context.js";
import { MissingGitHubTokenError } from "./errors.js";
import { MissingPermissionError } from "./missing-permission-error.js";
import type { GitHubOctokit } from "./octokit.js";
import { sealForGitHub } from "./sealed-box.js";
import { WorkflowPermissionError } from "./workflow-permission-error.js";

/** GitHub's largest page, so a listing costs as few requests as possible. */
const PER_PAGE = 100;

/**
 * Pages of one listing read at most: 10,000 items, beyond what a repository's Actions secrets (100 at
 * most, https://docs.github.com/en/actions/security-guides/using-secrets-in-github-actions) or one
 * branch's pull requests hold in practice; a server that pages on past it is refused.
 */
const MAX_PAGES = 100;

interface PullWire {
  number: number;
  html_url: string;
  state: "open" | "closed";
  merged_at: string | null;
  head: { sha: string };
}

/** `ReplacementClient` of kind `github`. */
export class GitHubReplacementClient implements ReplacementClient {
  readonly kind = "github" as const;

  constructor(private readonly ctx: GitHubContext) {}

  credentialScope(): string {
    // An app's installation tokens change hourly; what they may read is the app's.
    const app = this.ctx.settings.app;
    const token = this.ctx.settings.token;
    if (app !== undefined) return `app:${app.appId}`;
    return token === null ? "anonymous" : `token:${tokenFingerprint(token.reveal())}`;
  }

  async defaultBranch(repository: string): Promise<{ name: string; sha: string }> {
    const repo = await this.#get<{ default_branch: string }>(repository, githubRepoUrl(this.ctx.apiUrl, repository), "read the repository");
    const name = repo.default_branch;
    const sha = await this.branchHead(repository, name);
    if (sha === null) throw new TypeError(`github: ${repository} names ${name} as its default branch, which has no commit`);
    return { name, sha };
  }

  async branchHead(repository: string, branch: string): Promise<string | null> {
    const url = `${githubRepoUrl(this.ctx.apiUrl, repository)}/git/ref/heads/${encodePath(branch)}`;
    const ref = await this.#maybe(() => this.#get<{ object: { sha: string } }>(repository, url, `read branch ${branch}`));
    return ref?.object.sha ?? null;
  }

  async branchCommit(repository: string, branch: string): Promise<BranchCommit | null> {
    // `branches/{branch}` names the head's message beside its sha, in the one read `git/ref` would cost.
    const url = `${githubRepoUrl(this.ctx.apiUrl, repository)}/branches/${encodePath(branch)}`;
    const found = await this.#maybe(() =>
      this.#get<{ commit: { sha: string; commit: { message: string } } }>(repository, url, `read branch ${branch}`),
    );
    return found === null ? null : { sha: found.commit.sha, message: found.commit.commit.message };
  }

  async readFile(repository: string, ref: string, path: string): Promise<RepositoryFile | null> {
    const url = `${githubRepoUrl(this.ctx.apiUrl, repository)}/contents/${encodePath(path)}?ref=${encodeURIComponent(ref)}`;
    const file = await this.#maybe(() => this.#get<{ content?: string; sha: string; type: string }>(repository, url, `read ${path}`));
    if (file === null || file.type !== "file") return null;
    return { text: Buffer.from(file.content ?? "", "base64").toString("utf8"), sha: file.sha };
  }

  async pullRequests(repository: string, branch: string, base: string): Promise<ProposalPullRequest[]> {
    const { owner } = splitGitHubRepository(repository);
    const query = new URLSearchParams({ state: "all", head: `${owner}:${branch}`, base, per_page: String(PER_PAGE) });
    const pulls = await this.#list<PullWire>(
      repository,
      `${githubRepoUrl(this.ctx.apiUrl, repository)}/pulls?${query}`,
      "list pull requests",
      `pull requests from ${branch} of ${repository}`,
    );
    return pulls.map((p) => ({
      number: p.number,
      url: p.html_url,
      state: p.state === "open" ? "open" : p.merged_at !== null ? "merged" : "closed",
      headSha: p.head.sha,
    }));
  }

  async secretNames(repository: string): Promise<string[]> {
    const url = `${githubRepoUrl(this.ctx.apiUrl, repository)}/actions/secrets?per_page=${PER_PAGE}`;
    const listed = await this.#list<{ name: string }>(repository, url, "list Actions secrets", `Actions secrets of ${repository}`);
    return listed.map((s) => s.name);
  }

  async orgSecret(repository: string, name: string): Promise<OrgSecretAccess> {
    const { owner } = splitGitHubRepository(repository);
    const base = `${this.ctx.apiUrl}/orgs/${encodeURIComponent(owner)}/actions/secrets/${encodeURIComponent(name)}`;
    const secret = await this.#maybe(() => this.#get<{ visibility: string }>(repository, base, `read org secret ${name}`));
    if (secret === null) return { exists: false, selected: false };
    if (secret.visibility !== "selected") return { exists: true, selected: true };
    const selected = await this.#list<{ full_name: string }>(
      repository,
      `${base}/repositories?per_page=${PER_PAGE}`,
      `list the repositories of org secret ${name}`,
      `repositories of org secret ${name}`,
    );
    return { exists: true, selected: selected.some((r) => r.full_name.toLowerCase() === repository.toLowerCase()) };
  }

  async repositoryId(repository: string): Promise<number> {
    return (await this.#get<{ id: number }>(repository, githubRepoUrl(this.ctx.apiUrl, repository), "read the repository")).id;
  }

  pipelinesEnabled(): Promise<boolean | null> {
    return Promise.resolve(null);
  }

  async send(request: PlannedRequest, body: Record<string, unknown>): Promise<void> {
    // Only under the API this client holds credentials for: a plan edited to point elsewhere sends nothing.
    plannedUrl("github", this.ctx.apiUrl, request, request.method);
    const repository = repositoryOf(this.ctx.apiUrl, request.url);
    const octokit = await this.#octokit(repository);
    try {
      await this.ctx.call(request, () => octokit.request(`${request.method} ${request.url}`, body), [], {
        owner: repository.split("/")[0] ?? "",
        needed: `${request.method} ${new URL(request.url).pathname}`,
      });
    } catch (error) {
      const path = workflowPath(request.url);
      if (path !== null && error instanceof HttpError && error.status === 403)
        throw new WorkflowPermissionError({
          repository,
          path,
          method: error.method,
          url: error.url,
          detail: error.detail,
          accepted: error instanceof MissingPermissionError ? error.permission : null,
          secrets: this.ctx.secrets(),
        });
      throw error;
    } finally {
      this.#invalidate(repository);
    }
  }

  async putSecret(request: PlannedRequest, keyUrl: string | null, value: Secret, fields: Record<string, unknown>): Promise<void> {
    if (keyUrl === null) throw new TypeError("github: a secret is sealed to a public key: keyUrl is required");
    this.ctx.secretSet.add(value);
    const repository = repositoryOf(this.ctx.apiUrl, request.url);
    const key = await this.#get<{ key: string; key_id: string }>(repository, keyUrl, "read the Actions secrets public key");
    const encrypted = await sealForGitHub(key.key, value);
    await this.send(request, { ...fields, encrypted_value: encrypted, key_id: key.key_id });
  }

  async #octokit(repository: string): Promise<GitHubOctokit> {
    const owner = repository.split("/")[0] ?? "";
    const octokit = await this.ctx.forOwner(owner);
    if (!octokit) throw new MissingGitHubTokenError(`proposing a replacement build in ${repository}`);
    return octokit;
  }

  async #get<T>(repository: string, url: string, needed: string): Promise<T> {
    const octokit = await this.#octokit(repository);
    const response = await this.ctx.call({ method: "GET", url }, () => octokit.request(`GET ${url}`), [], {
      owner: repository.split("/")[0] ?? "",
      needed: `${needed} of ${repository}`,
    });
    return response.data as T;
  }

  /**
   * Every page of a listing from `url` (its query names the page size), following GitHub's `Link`
   * headers through Octokit's paginator, which also unwraps `{ total_count, secrets: […] }` answers.
   */
  async #list<T>(repository: string, url: string, needed: string, what: string): Promise<T[]> {
    const octokit = await this.#octokit(repository);
    return this.ctx.call(
      { method: "GET", url },
      async () => {
        const guard = new PageGuard("github", what, MAX_PAGES, "more than a repository holds");
        guard.visit(url);
        const all: T[] = [];
        for await (const page of octokit.paginate.iterator(`GET ${url}`)) {
          for (const item of page.data as T[]) all.push(item);
          const next = /<([^<>]+)>;\s*rel="next"/.exec(page.headers.link ?? "");
          if (next) guard.visit(next[1]!);
        }
        return all;
      },
      [],
      { owner: repository.split("/")[0] ?? "", needed: `${needed} of ${repository}` },
    );
  }

  /** The read's answer, or null on 404. */
  async #maybe<T>(read: () => Promise<T>): Promise<T | null> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof HttpError && error.isGone) return null;
      throw error;
    }
  }

  /** After a write, cached reads of the repository are stale. */
  #invalidate(repository: string): void {
    const cache = this.ctx.settings.etagCache;
    if (!cache) return;
    const needle = `/repos/${repository}/`.toLowerCase();
    cache.invalidate((url) => `${new URL(url).pathname.toLowerCase()}/`.includes(needle));
  }
}

/** The `owner/name` a request under `/repos/…` or `/orgs/…` is about (an org request: `org/` and no name). */
function repositoryOf(apiUrl: string, url: string): string {
  const rest = new URL(url).pathname.slice(new URL(apiUrl).pathname.replace(/\/+$/, "").length).split("/").filter(Boolean);
  if (rest[0] === "repos") return `${decodeURIComponent(rest[1] ?? "")}/${decodeURIComponent(rest[2] ?? "")}`;
  return `${decodeURIComponent(rest[1] ?? "")}/`;
}

/** The file a `PUT …/contents/.github/workflows/…` writes, or null for any other request. */
function workflowPath(url: string): string | null {
  const match = /\/contents\/(\.github\/workflows\/.+)$/.exec(new URL(url).pathname);
  return match ? decodeURIComponent(match[1]!) : null;
}
