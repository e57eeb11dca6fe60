/**
 * A replacement build's reads and writes on Bitbucket Cloud: the main branch, the proposal branch and
 * its file (`src`, `refs/branches`), pull requests, Pipelines' switch and secured repository variables
 * (https://developer.atlassian.com/cloud/bitbucket/rest/). Same transport, credentials and redaction as
 * the webhook client (client.ts `bitbucketHttp`).
 */
import type { PlannedRequest } from "../../model/plan.js";
import type { BranchCommit, ProposalPullRequest } from "../../model/replacement.js";
import { encodePath } from "../../model/replacement-requests.js";
import { bitbucketRepoUrl } from "../../model/requests.js";
import type { Secret, SecretSet } from "../../model/secret.js";
import { tokenFingerprint } from "../etag-cache.js";
import { HttpError } from "../http-error.js";
import { plannedUrl } from "../planned-request.js";
import { assertSameOrigin, type JsonHttp } from "../json-http.js";
import { PageGuard } from "../page-guard.js";
import type { OrgSecretAccess, ReplacementClient, RepositoryFile } from "../types.js";
import { bitbucketHttp, pageProblem, type BitbucketClientOptions } from "./client.js";
import type { BitbucketPageWire } from "./wire.js";

/** Bitbucket's largest page. */
const PAGELEN = 50;

interface PullWire {
  id: number;
  state: "OPEN" | "MERGED" | "DECLINED" | "SUPERSEDED";
  source: { commit: { hash: string } | null };
  destination: { branch: { name: string } };
  links: { html?: { href: string } };
}

/** Creates the Bitbucket `ReplacementClient`. No I/O until a method is called. */
export function createBitbucketReplacementClient(options: BitbucketClientOptions): ReplacementClient {
  return new BitbucketReplacementClient(options);
}

/** `ReplacementClient` of kind `bitbucket`. */
class BitbucketReplacementClient implements ReplacementClient {
  readonly kind = "bitbucket" as const;
  readonly #base: string;
  readonly #http: JsonHttp;
  readonly #secrets: SecretSet;
  readonly #credential: string;

  constructor(options: BitbucketClientOptions) {
    this.#base = options.apiUrl.replace(/\/+$/, "");
    this.#credential = options.token === null ? "anonymous" : `token:${tokenFingerprint(options.token.reveal())}`;
    const { http, secrets } = bitbucketHttp(options);
    this.#http = http;
    this.#secrets = secrets;
  }

  credentialScope(): string {
    return this.#credential;
  }

  async defaultBranch(repository: string): Promise<{ name: string; sha: string }> {
    const repo = (await this.#http.request<{ mainbranch?: { name: string } }>("GET", bitbucketRepoUrl(this.#base, repository))).body;
    const name = repo.mainbranch?.name;
    if (name === undefined) throw new TypeError(`bitbucket: ${repository} has no main branch (an empty repository): push one first`);
    const sha = await this.branchHead(repository, name);
    if (sha === null) throw new TypeError(`bitbucket: ${repository} names ${name} as its main branch, which has no commit`);
    return { name, sha };
  }

  async branchHead(repository: string, branch: string): Promise<string | null> {
    return (await this.branchCommit(repository, branch))?.sha ?? null;
  }

  async branchCommit(repository: string, branch: string): Promise<BranchCommit | null> {
    const url = `${bitbucketRepoUrl(this.#base, repository)}/refs/branches/${encodePath(branch)}`;
    const ref = await maybe(() =>
      this.#http.request<{ target: { hash: string; message?: string } }>("GET", url, undefined, { shape: "object" }),
    );
    return ref === null ? null : { sha: ref.body.target.hash, message: ref.body.target.message ?? "" };
  }

  async readFile(repository: string, ref: string, path: string): Promise<RepositoryFile | null> {
    // A branch name may hold `/`, which `src/{commit}/{path}` cannot tell from the path: read at its head commit.
    const commit = /^[0-9a-f]{40}$/.test(ref) ? ref : await this.branchHead(repository, ref);
    if (commit === null) return null;
    const url = `${bitbucketRepoUrl(this.#base, repository)}/src/${commit}/${encodePath(path)}`;
    const file = await maybe(() => this.#http.request<string>("GET", url, undefined, { shape: "text" }));
    return file === null ? null : { text: file.body, sha: null };
  }

  async pullRequests(repository: string, branch: string, base: string): Promise<ProposalPullRequest[]> {
    const query = new URLSearchParams({ q: `source.branch.name="${branch}"`, pagelen: String(PAGELEN) });
    for (const state of ["OPEN", "MERGED", "DECLINED", "SUPERSEDED"]) query.append("state", state);
    const pulls = await this.#all<PullWire>(
      `${bitbucketRepoUrl(this.#base, repository)}/pullrequests?${query}`,
      `pull requests of ${repository}`,
    );
    return pulls
      .filter((p) => p.destination.branch.name === base)
      .sort((a, b) => b.id - a.id)
      .map((p) => ({
        number: p.id,
        url: p.links.html?.href ?? "",
        state: p.state === "OPEN" ? "open" : p.state === "MERGED" ? "merged" : "closed",
        // A pull request whose source commit is gone names none: it can match no branch head.
        headSha: p.source.commit?.hash ?? "",
      }));
  }

  async secretNames(repository: string): Promise<string[]> {
    const variables = await this.#all<{ key: string }>(
      `${bitbucketRepoUrl(this.#base, repository)}/pipelines_config/variables?pagelen=${PAGELEN}`,
      `variables of ${repository}`,
    );
    return variables.map((v) => v.key);
  }

  orgSecret(repository: string): Promise<OrgSecretAccess> {
    return Promise.reject(new TypeError(`bitbucket: ${repository} has no organization secrets (workspace variables are not managed)`));
  }

  repositoryId(repository: string): Promise<number> {
    return Promise.reject(new TypeError(`bitbucket: ${repository} has no numeric id`));
  }

  async pipelinesEnabled(repository: string): Promise<boolean | null> {
    const config = await maybe(() =>
      this.#http.request<{ enabled?: boolean }>("GET", `${bitbucketRepoUrl(this.#base, repository)}/pipelines_config`),
    );
    return config?.body.enabled === true;
  }

  async send(request: PlannedRequest, body: Record<string, unknown>, options: { form?: boolean } = {}): Promise<void> {
    // Only under the API this client holds credentials for: a plan edited to point elsewhere sends nothing.
    const url = plannedUrl("bitbucket", this.#base, request, request.method);
    await this.#http.request(request.method, url, body, options.form ? { form: true } : {});
  }

  async putSecret(request: PlannedRequest, _keyUrl: string | null, value: Secret, fields: Record<string, unknown>): Promise<void> {
    this.#secrets.add(value);
    await this.send(request, { ...fields, value: value.reveal(), secured: true });
  }

  async #all<T>(first: string, what: string): Promise<T[]> {
    const guard = new PageGuard("bitbucket", what, 100, "more than a repository holds");
    const values: T[] = [];
    let url: string | undefined = first;
    while (url !== undefined) {
      guard.visit(url);
      const page: BitbucketPageWire<T> = (
        await this.#http.request<BitbucketPageWire<T>>("GET", url, undefined, { shape: "object", check: pageProblem })
      ).body;
      values.push(...page.values);
      url = page.next === undefined ? undefined : assertSameOrigin("bitbucket", this.#base, page.next);
    }
    return values;
  }
}

/** The read's answer, or null on 404. */
async function maybe<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof HttpError && error.isGone) return null;
    throw error;
  }
}
