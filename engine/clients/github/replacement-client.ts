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
import { HttpError } from "../http-error.js";
import { plannedUrl } from "../planned-request.js";
import type { OrgSecretAccess, ReplacementClient, RepositoryFile } from "../types.js";
import type { GitHubContext } from "./context.js";
import { MissingGitHubTokenError } from "./errors.js";
import { MissingPermissionError } from "./missing-permission-error.js";
import type { GitHubOctokit } from "./octokit.js";
import { sealForGitHub } from "./sealed-box.js";
import { WorkflowPermissionError } from "./workflow-permission-error.js";

/** Pull requests of one branch read at most: one page of GitHub's largest. */
const PER_PAGE = 100;

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
    const pulls = await this.#get<PullWire[]>(
      repository,
      `${githubRepoUrl(this.ctx.apiUrl, repository)}/pulls?${query}`,
      "list pull requests",
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
    const listed = await this.#get<{ secrets: { name: string }[] }>(repository, url, "list Actions secrets");
    return listed.secrets.map((s) => s.name);
  }

  async orgSecret(repository: string, name: string): Promise<OrgSecretAccess> {
    const { owner } = splitGitHubRepository(repository);
    const base = `${this.ctx.apiUrl}/orgs/${encodeURIComponent(owner)}/actions/secrets/${encodeURIComponent(name)}`;
    const secret = await this.#maybe(() => this.#get<{ visibility: string }>(repository, base, `read org secret ${name}`));
    if (secret === null) return { exists: false, selected: false };
    if (secret.visibility !== "selected") return { exists: true, selected: true };
    const selected = await this.#get<{ repositories: { full_name: string }[] }>(
      repository,
      `${base}/repositories?per_page=${PER_PAGE}`,
      `list the repositories of org secret ${name}`,
    );
    return { exists: true, selected: selected.repositories.some((r) => r.full_name.toLowerCase() === repository.toLowerCase()) };
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
