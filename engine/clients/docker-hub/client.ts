/**
 * Docker Hub's API (hub.docker.com) for verifying what a replacement build pushed: a read-only
 * personal access token is exchanged for a bearer JWT (`POST /v2/auth/token`), then tags are read
 * with their `tag_last_pushed`. The transport is the other clients' (guarded fetch, bounded retries,
 * redacted `HttpError`); requests are paced under the budget Docker Hub announces in `X-RateLimit-*`,
 * and a 429 waits for its `X-Retry-After`. The token and every bearer join the run's redaction set.
 */
import { HttpError } from "../http-error.js";
import { assertSameOrigin, JsonHttp, type HttpMethod, type JsonHttpOptions } from "../json-http.js";
import { PageGuard } from "../page-guard.js";
import { Pacer, systemClock, type PacerClock } from "../pacer.js";
import { Secret, SecretSet } from "../../model/secret.js";
import { announcedBudget, retryAfterSeconds } from "./rate-limit.js";
import {
  dockerHubErrorMessage,
  tagPageProblem,
  tagProblem,
  toTag,
  type DockerHubTag,
  type DockerHubTagPageWire,
  type DockerHubTagWire,
  type DockerHubTokenWire,
} from "./wire.js";

/** Docker Hub's API origin. */
export const DOCKER_HUB_API_URL = "https://hub.docker.com";

/** How to reach Docker Hub. */
export interface DockerHubClientOptions {
  /** The API origin, e.g. `https://hub.docker.com` (paths start with `/v2`). */
  apiUrl: string;
  /** The Docker ID the access token belongs to; with `token`, or neither for public repositories only. */
  username: string;
  /** A personal access token; read-only is enough. Null: anonymous requests (public repositories). */
  token: Secret | null;
  /** The run's redaction set; the token and every bearer it is exchanged for join it. */
  secretSet?: SecretSet;
  /** Maximum requests in flight; default 8. */
  concurrency?: number;
  /** Time for pacing and `X-Retry-After`; tests inject it. */
  clock?: PacerClock;
  /** Transport tuning: retries and the per-attempt timeout; tests also inject sleep and fetch. */
  transport?: Pick<JsonHttpOptions, "retries" | "sleep" | "fetch" | "timeoutMs" | "maxResponseBytes" | "maxRetryAfterSeconds">;
}

/** Tags read per page: Docker Hub's largest `page_size`. */
const PAGE_SIZE = 100;

/** Creates a Docker Hub client. No I/O happens until a method is called. */
export function createDockerHubClient(options: DockerHubClientOptions): DockerHubClient {
  return new DockerHubClient(options);
}

/** Reads Docker Hub repositories' tags. */
export class DockerHubClient {
  readonly #base: string;
  readonly #options: DockerHubClientOptions;
  readonly #secrets: SecretSet;
  readonly #pacer: Pacer;
  readonly #clock: PacerClock;
  /** The transport without credentials: the token exchange, and every request when no token is set. */
  readonly #anonymous: JsonHttp;
  /** The transport carrying the current bearer, once obtained. */
  #bearer: Promise<JsonHttp> | null = null;

  constructor(options: DockerHubClientOptions) {
    this.#base = options.apiUrl.replace(/\/+$/, "");
    this.#options = options;
    this.#secrets = options.secretSet ?? new SecretSet();
    this.#secrets.add(options.token);
    this.#clock = options.clock ?? systemClock;
    // Only the budget Docker Hub announces is paced: its limit is one per caller, not per endpoint.
    this.#pacer = new Pacer({
      concurrency: options.concurrency ?? 8,
      endpointPointsPerMinute: Number.MAX_SAFE_INTEGER,
      contentCreatingPerMinute: Number.MAX_SAFE_INTEGER,
      contentCreatingPerHour: Number.MAX_SAFE_INTEGER,
      clock: this.#clock,
    });
    this.#anonymous = this.#transport(null);
  }

  /** The tag `tag` of `image` (`namespace/name`), or null when the repository or the tag does not exist (or is not visible). */
  async tag(image: string, tag: string): Promise<DockerHubTag | null> {
    try {
      const res = await this.#get<DockerHubTagWire>(`${this.#repositoryUrl(image)}/tags/${encodeURIComponent(tag)}`, tagProblem);
      return toTag(res);
    } catch (error) {
      if (error instanceof HttpError && error.isGone) return null;
      throw error;
    }
  }

  /**
   * The most recently pushed tags of `image`, newest first, at most `limit` (one request per 100):
   * what a verification reads in one request instead of one per tag. Null when the repository does not exist.
   */
  async recentTags(image: string, limit = PAGE_SIZE): Promise<DockerHubTag[] | null> {
    const guard = new PageGuard("docker-hub", `tags of ${image}`, Math.ceil(limit / PAGE_SIZE), "the tags asked for");
    const tags: DockerHubTag[] = [];
    let url: string | null = `${this.#repositoryUrl(image)}/tags?page_size=${Math.min(limit, PAGE_SIZE)}&ordering=-last_updated`;
    try {
      while (url !== null && tags.length < limit) {
        guard.visit(url);
        const page: DockerHubTagPageWire = await this.#get<DockerHubTagPageWire>(url, tagPageProblem);
        tags.push(...page.results.map(toTag));
        url = page.next === null || page.next === undefined ? null : assertSameOrigin("docker-hub", this.#base, page.next);
      }
    } catch (error) {
      if (error instanceof HttpError && error.isGone && tags.length === 0) return null;
      throw error;
    }
    return tags.slice(0, limit);
  }

  #repositoryUrl(image: string): string {
    const [namespace, name] = image.split("/");
    if (namespace === undefined || name === undefined || image.split("/").length !== 2)
      throw new TypeError(`docker-hub: "${image}" is not namespace/name`);
    return `${this.#base}/v2/namespaces/${encodeURIComponent(namespace)}/repositories/${encodeURIComponent(name)}`;
  }

  /** A read with the bearer (obtained once; again once if Docker Hub no longer accepts it). */
  async #get<T>(url: string, check: (body: unknown) => string | null): Promise<T> {
    const read = async (http: JsonHttp): Promise<T> => (await http.request<T>("GET", url, undefined, { shape: "object", check })).body;
    if (this.#options.token === null) return read(this.#anonymous);
    const first = this.#bearer ?? this.#login();
    this.#bearer = first;
    const http = await first;
    try {
      return await read(http);
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 401)) throw error;
      // The bearer expired during a long run: exchange the token once more, and only once.
      if (this.#bearer === first) this.#bearer = this.#login();
      return read(await this.#bearer);
    }
  }

  /** `POST /v2/auth/token`: the access token for a bearer JWT, which joins the redaction set at once. */
  #login(): Promise<JsonHttp> {
    const token = this.#options.token;
    if (token === null) return Promise.resolve(this.#anonymous);
    const attempt = this.#anonymous
      .request<DockerHubTokenWire>(
        "POST",
        `${this.#base}/v2/auth/token`,
        { identifier: this.#options.username, secret: token.reveal() },
        // Exchanging a token changes nothing: resending after a lost answer is safe.
        {
          idempotent: true,
          shape: "object",
          check: (b) => (typeof (b as Partial<DockerHubTokenWire>).access_token === "string" ? null : "no access_token"),
          redact: false,
        },
      )
      .then((res) => this.#transport(this.#secrets.derive(res.body.access_token)));
    // A failed exchange is not remembered: the next read tries again.
    attempt.catch(() => {
      if (this.#bearer === attempt) this.#bearer = null;
    });
    return attempt;
  }

  #transport(bearer: Secret | null): JsonHttp {
    const pacer = this.#pacer;
    const clock = this.#clock;
    return new JsonHttp({
      service: "docker-hub",
      authorization: bearer === null ? null : new Secret(`Bearer ${bearer.reveal()}`),
      secrets: this.#secrets,
      errorDetail: dockerHubErrorMessage,
      ...(this.#options.concurrency === undefined ? {} : { concurrency: this.#options.concurrency }),
      ...this.#options.transport,
      retryAfter: (headers) => retryAfterSeconds(headers, clock.now()),
      onHeaders: (headers) => {
        const budget = announcedBudget(headers);
        if (budget !== null) pacer.observePrimary(budget.remaining, budget.resetEpochSeconds);
      },
      schedule: <T>(method: HttpMethod, attempt: () => Promise<T>) => pacer.schedule({ method, endpoint: "docker-hub" }, attempt),
    });
  }
}
