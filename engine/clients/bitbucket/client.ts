/**
 * Bitbucket Cloud 2.0 as a `SourceProviderClient`: repository webhooks and deploy keys over
 * `fetch`, following `next`, errors as redacted `HttpError`. Credentials as Bitbucket Cloud takes them
 * since app passwords were removed (2026-07-28): an API token with scopes, as Basic with the Atlassian
 * account's email; or a workspace or repository access token, as Bearer. A delete sends the request its
 * plan step carries, as the plan shows it. Webhook listings and deletions are paced under Bitbucket's
 * webhook-data budget (webhook-pacing.ts).
 */
import type { PlannedRequest } from "../../model/plan.js";
import { bitbucketRepoUrl } from "../../model/requests.js";
import { plannedUrl } from "../planned-request.js";
import { HttpError } from "../http-error.js";
import { JsonHttp, assertSameOrigin } from "../json-http.js";
import { PageGuard } from "../page-guard.js";
import { UnobservableRepositoryError } from "../unobservable-repository-error.js";
import { Secret, SecretSet } from "../../model/secret.js";
import type { OwnerClient, OwnerPages, OwnerRepository, ReplacementRunReader, RepositoryListing, SourceProviderClient } from "../types.js";
import type { ReplacementRun } from "../../model/replacement-run.js";
import {
  bitbucketErrorMessage,
  toObservedDeployKey,
  toObservedWebhook,
  type BitbucketDeployKeyWire,
  type BitbucketHookWire,
  type BitbucketPageWire,
} from "./wire.js";
import type { ObservedDeployKey, ObservedWebhook } from "../../model/observed.js";
import { webhookDataPacer, type BitbucketPacing, type PaceWebhookData } from "./webhook-pacing.js";

/** How to reach Bitbucket. */
export interface BitbucketClientOptions {
  /** Base URL including `/2.0`, e.g. `https://api.bitbucket.org/2.0`. */
  apiUrl: string;
  /** The Atlassian account's email for an API token; empty to send `token` as a Bearer access token. */
  username: string;
  /** API token or access token; null sends no credentials (only public data is readable). */
  token: Secret | null;
  /** Maximum requests in flight; default 8. */
  concurrency?: number;
  /** The world's other credentials (build service, GitHub), also removed from every answer and error. */
  otherSecrets?: readonly Secret[];
  /** The run's redaction set, read for every answer and error (credentials derived by other clients join it as the run goes). */
  secretSet?: SecretSet;
  /** Pacing of Bitbucket's webhook-data budget (1,000 webhook listings and writes an hour per user); always on. */
  pacing?: BitbucketPacing;
  /** Transport tuning: retries and the per-attempt timeout; tests also inject sleep and fetch. */
  transport?: {
    retries?: number;
    sleep?: (ms: number) => Promise<void>;
    fetch?: typeof fetch;
    timeoutMs?: number;
    maxResponseBytes?: number;
  };
}

/** Bitbucket's maximum `pagelen` for these collections: fewest requests per repository. */
const PAGELEN = 100;

/** Pages of one repository's webhooks or deploy keys read at most: 10,000 items, far more than a repository holds. */
const MAX_PAGES = 100;

/** Creates a Bitbucket client. No I/O happens until a method is called. */
export function createBitbucketClient(options: BitbucketClientOptions): SourceProviderClient & OwnerClient & ReplacementRunReader {
  return new BitbucketClient(options);
}

/** `SourceProviderClient` for Bitbucket Cloud. */
export class BitbucketClient implements SourceProviderClient, OwnerClient, ReplacementRunReader {
  readonly kind = "bitbucket" as const;
  readonly #base: string;
  readonly #http: JsonHttp;
  readonly #paceWebhooks: PaceWebhookData;

  constructor(options: BitbucketClientOptions) {
    this.#base = options.apiUrl.replace(/\/+$/, "");
    this.#http = bitbucketHttp(options).http;
    this.#paceWebhooks = webhookDataPacer(options.concurrency ?? 8, options.pacing);
  }

  /**
   * The repository's webhooks, every page; `exists: false` only when the repository itself is gone
   * (404). A listing the credentials may not read is an error, never an empty list.
   */
  async listWebhooks(repository: string): Promise<RepositoryListing<ObservedWebhook>> {
    const hooks = await this.#listAll<BitbucketHookWire>(
      repository,
      "webhooks",
      `${bitbucketRepoUrl(this.#base, repository)}/hooks?pagelen=${PAGELEN}`,
    );
    return hooks === null ? { exists: false, items: [] } : { exists: true, items: hooks.map(toObservedWebhook) };
  }

  /** Sends a planned webhook delete (`…/hooks/{uid}`); `gone` when it was already deleted. */
  deleteWebhook(repository: string, request: PlannedRequest): Promise<"deleted" | "gone"> {
    return this.#delete(repository, "hooks", request, this.#paceWebhooks);
  }

  /** The repository's deploy keys, every page; `exists: false` on 404. */
  async listDeployKeys(repository: string): Promise<RepositoryListing<ObservedDeployKey>> {
    const keys = await this.#listAll<BitbucketDeployKeyWire>(
      repository,
      "deploy keys",
      `${bitbucketRepoUrl(this.#base, repository)}/deploy-keys?pagelen=${PAGELEN}`,
    );
    return keys === null ? { exists: false, items: [] } : { exists: true, items: keys.map(toObservedDeployKey) };
  }

  /** Sends a planned deploy key delete (`…/deploy-keys/{key_id}`); `gone` when it was already deleted. */
  deleteDeployKey(repository: string, request: PlannedRequest): Promise<"deleted" | "gone"> {
    return this.#delete(repository, "deploy-keys", request);
  }

  /**
   * `GET /repositories/{workspace}`, page by page: the workspace's repositories (Bitbucket has no
   * archived state); null when the workspace does not exist (404 on the first page).
   */
  async repositoryPages(workspace: string): Promise<OwnerPages | null> {
    const guard = new PageGuard("bitbucket", `repositories of ${workspace}`, 1000, "more than a sweep reads");
    type RepositoryWire = { full_name: string; uuid: string; is_private?: boolean };
    const read = async (url: string): Promise<BitbucketPageWire<RepositoryWire>> => {
      guard.visit(url);
      return (await this.#http.request<BitbucketPageWire<RepositoryWire>>("GET", url, undefined, { shape: "object", check: pageProblem }))
        .body;
    };
    let first: BitbucketPageWire<RepositoryWire>;
    try {
      first = await read(`${this.#base}/repositories/${encodeURIComponent(workspace)}?pagelen=${PAGELEN}`);
    } catch (error) {
      if (error instanceof HttpError && error.isGone) return null;
      throw error;
    }
    const base = this.#base;
    const toRepositories = (page: BitbucketPageWire<RepositoryWire>): OwnerRepository[] =>
      page.values.map((repo) => ({ repository: repo.full_name, id: repo.uuid, archived: false, private: repo.is_private === true }));
    return {
      ownerType: "workspace",
      pages: {
        async *[Symbol.asyncIterator]() {
          for (let page = first; ; ) {
            yield toRepositories(page);
            if (page.next === undefined) return;
            page = await read(assertSameOrigin("bitbucket", base, page.next));
          }
        },
      },
    };
  }

  /**
   * The pipelines run on commit `sha`, from the newest page of `GET …/pipelines?sort=-created_on`
   * (bitbucket-pipelines.yml is the one file Pipelines runs, so `path` selects nothing); none when
   * Pipelines never ran there (404).
   */
  async runs(repository: string, _path: string, sha: string): Promise<ReplacementRun[]> {
    const url = `${bitbucketRepoUrl(this.#base, repository)}/pipelines/?sort=-created_on&pagelen=${PAGELEN}`;
    try {
      const page = await this.#http.request<BitbucketPageWire<BitbucketPipelineWire>>("GET", url, undefined, {
        shape: "object",
        check: pageProblem,
      });
      return page.body.values.filter((p) => p.target?.commit?.hash === sha).map((p) => toRun(repository, p));
    } catch (error) {
      if (error instanceof HttpError && error.isGone) return [];
      throw error;
    }
  }

  /** Sweeps read no workspace-level webhooks: a workspace is never listed as an `org`. */
  listOrgWebhooks(workspace: string): Promise<ObservedWebhook[]> {
    return Promise.reject(new TypeError(`bitbucket: sweeps read no webhooks of workspace ${workspace} itself`));
  }

  /** See `listOrgWebhooks`. */
  deleteOrgWebhook(workspace: string): Promise<"deleted" | "gone"> {
    return Promise.reject(new TypeError(`bitbucket: sweeps delete no webhooks of workspace ${workspace} itself`));
  }

  /**
   * Every value of a paginated collection, or null when its repository is gone. A 404 on the listing
   * is confirmed on the repository itself: if the repository answers, the listing was hidden from
   * these credentials, which is an error naming the permission, not "nothing there".
   */
  async #listAll<T>(repository: string, what: "webhooks" | "deploy keys", first: string): Promise<T[] | null> {
    const values: T[] = [];
    const guard = new PageGuard("bitbucket", `${what} of ${repository}`, MAX_PAGES, `the most a repository's ${what} can fill`);
    let url: string | undefined = first;
    while (url !== undefined) {
      guard.visit(url);
      let page: BitbucketPageWire<T>;
      try {
        const pace = what === "webhooks" ? { pace: this.#paceWebhooks } : {};
        page = (await this.#http.request<BitbucketPageWire<T>>("GET", url, undefined, { shape: "object", check: pageProblem, ...pace }))
          .body;
      } catch (error) {
        if (error instanceof HttpError && error.isGone && values.length === 0) return this.#confirmGone(repository, what, error);
        throw error;
      }
      if (typeof page.size === "number" && typeof page.pagelen === "number") guard.announce(page.size, page.pagelen, "size");
      values.push(...page.values);
      url = page.next === undefined ? undefined : assertSameOrigin("bitbucket", this.#base, page.next);
    }
    return values;
  }

  /** After a 404 on a listing: null when `GET /repositories/{workspace}/{repo_slug}` is 404 too, else the error. */
  async #confirmGone(repository: string, what: "webhooks" | "deploy keys", listing: HttpError): Promise<null> {
    try {
      await this.#http.request("GET", bitbucketRepoUrl(this.#base, repository), undefined, { shape: "object" });
    } catch (error) {
      if (error instanceof HttpError && error.isGone) return null;
      throw error;
    }
    throw new UnobservableRepositoryError({
      service: "bitbucket",
      repository,
      what,
      status: listing.status,
      permission: "admin access to the repository (the webhook and repository:admin scopes)",
    });
  }

  /** Sends a planned `DELETE` under the repository's `collection`, so the credentials go nowhere else. */
  async #delete(
    repository: string,
    collection: "hooks" | "deploy-keys",
    request: PlannedRequest,
    pace?: PaceWebhookData,
  ): Promise<"deleted" | "gone"> {
    const url = plannedUrl("bitbucket", `${bitbucketRepoUrl(this.#base, repository)}/${collection}`, request, "DELETE");
    try {
      await this.#http.request("DELETE", url, undefined, pace ? { pace } : {});
      return "deleted";
    } catch (error) {
      if (error instanceof HttpError && error.isGone) return "gone";
      throw error;
    }
  }
}

/**
 * The transport every Bitbucket client of one world sends with: its credentials as Bitbucket takes
 * them, and the redaction set (which the caller may add credentials to, such as a secret it sends).
 */
export function bitbucketHttp(options: BitbucketClientOptions): { http: JsonHttp; secrets: SecretSet } {
  const token = options.token;
  const basic =
    token && options.username !== "" ? new Secret(Buffer.from(`${options.username}:${token.reveal()}`).toString("base64")) : null;
  const secrets = options.secretSet ?? new SecretSet();
  for (const secret of [token, basic, ...(options.otherSecrets ?? [])]) secrets.add(secret);
  const http = new JsonHttp({
    service: "bitbucket",
    authorization: basic ? new Secret(`Basic ${basic.reveal()}`) : token ? new Secret(`Bearer ${token.reveal()}`) : null,
    secrets,
    errorDetail: (body) => withCredentialAdvice(bitbucketErrorMessage(body), basic !== null && !options.username.includes("@")),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...options.transport,
  });
  return { http, secrets };
}

/** What is wrong with a page that should be a paginated collection, or null. */
export function pageProblem(body: unknown): string | null {
  const page = body as Partial<BitbucketPageWire<unknown>>;
  if (!Array.isArray(page.values)) return "no `values` list";
  if (page.next !== undefined && typeof page.next !== "string") return "`next` is not a URL";
  return null;
}

/** What to use instead of an app password, appended to Bitbucket's answer when it is about credentials. */
export const BITBUCKET_CREDENTIAL_ADVICE =
  "Bitbucket removed app passwords on 2026-07-28: set BITBUCKET_EMAIL to your Atlassian account's email and BITBUCKET_API_TOKEN to an API token with scopes " +
  "(or only BITBUCKET_API_TOKEN to a workspace or repository access token; the YAML's providers.bitbucket usernameEnv and tokenEnv name these variables)";

/**
 * Bitbucket's message, plus the advice when it says an app password was refused, or when credentials
 * were refused and the Basic user name is not an email (an app password's user name, most likely).
 */
function withCredentialAdvice(message: string | null, basicWithoutEmail: boolean): string | null {
  if (message === null) return null;
  const appPassword = /app passwords?/i.test(message);
  const refused = basicWithoutEmail && /invalid credentials|authentication required|unauthori[sz]ed/i.test(message);
  return appPassword || refused ? `${message} ${BITBUCKET_CREDENTIAL_ADVICE}` : message;
}

/** A pipeline as Bitbucket answers it (the fields read). */
interface BitbucketPipelineWire {
  uuid: string;
  build_number: number;
  created_on: string;
  state?: { name?: string; result?: { name?: string } };
  target?: { ref_name?: string; ref_type?: string; commit?: { hash?: string } };
  links?: { html?: { href?: string } };
}

/** A pipeline as a replacement run: Bitbucket's states in GitHub's words (SUCCESSFUL is success). */
function toRun(repository: string, wire: BitbucketPipelineWire): ReplacementRun {
  const state = wire.state?.name;
  const result = wire.state?.result?.name;
  const kind = wire.target?.ref_type === "tag" ? "tags" : "heads";
  return {
    id: wire.uuid,
    url: wire.links?.html?.href ?? `https://bitbucket.org/${repository}/pipelines/results/${wire.build_number}`,
    headSha: wire.target?.commit?.hash ?? "",
    ref: `refs/${kind}/${wire.target?.ref_name ?? ""}`,
    startedAt: wire.created_on,
    status: state === "COMPLETED" ? "completed" : state === "IN_PROGRESS" ? "in_progress" : "queued",
    conclusion: state !== "COMPLETED" ? null : result === "SUCCESSFUL" ? "success" : (result ?? "failure").toLowerCase(),
  };
}
