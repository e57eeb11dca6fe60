/**
 * Builds the Octokit instance of one credential: `@octokit/rest` with the official throttling and
 * retry plugins, plus this client's request hooks (pacing and ETags) innermost, so every attempt,
 * retries included, is paced and revalidated. Called lazily by the clients, never at module load.
 */
import { retry } from "@octokit/plugin-retry";
import { throttling, type ThrottlingOptions } from "@octokit/plugin-throttling";
import { passThroughGroup, RetryScheduler } from "./throttle-schedulers.js";
import { Octokit } from "@octokit/rest";
import { tokenFingerprint, type EtagCache } from "../etag-cache.js";
import type { Pacer } from "../pacer.js";
import { guardedFetch, UnusableResponseError, type GuardedAnswer } from "../guarded-fetch.js";
import { HttpError } from "../http-error.js";
import { redactText } from "../../model/redaction.js";
import { unreachableCode, unreachableDetail } from "../unreachable.js";
import { isIdempotentMethod } from "../idempotent.js";
import { parseBody } from "../response-body.js";
import { cachedFields } from "./cached-fields.js";
import { endpointKey, isListEndpoint } from "./endpoint-key.js";
import { safeLogger, type ClientLogger } from "./safe-logger.js";

/** An Octokit with the throttling and retry plugins (typed as the REST Octokit: only its request API is used). */
export type GitHubOctokit = Octokit;

/** How one Octokit instance behaves. */
export interface OctokitSetup {
  baseUrl: string;
  /** The token for `Authorization: token …`, or undefined for requests that send their own (Basic). */
  token: string | undefined;
  /** A rotating credential (a GitHub App installation's tokens), asked for a token at each attempt instead of `token`. */
  credential?: RotatingCredential;
  pacer: Pacer;
  /** ETag cache and the credential's scope in it; no caching when absent. */
  etags?: { cache: EtagCache; scope: string };
  /** Retries after a primary or secondary rate-limit answer (403/429). Default 3. */
  rateLimitRetries: number;
  /** Retries after a 5xx or network failure (plugin-retry). Default 3. */
  serverErrorRetries: number;
  /** Milliseconds per second of `retry-after` / backoff; lower only in tests. Default 1000. */
  retryAfterBaseMs: number;
  /** Per-attempt timeout in milliseconds, the whole body included: an attempt that gets no complete answer in time fails and is retried. */
  requestTimeoutMs: number;
  /** Largest response body accepted, in bytes (clients/guarded-fetch.ts). */
  maxResponseBytes?: number;
  logger: ClientLogger | undefined;
  /** Every secret value that must never appear in a log line. */
  secrets: () => readonly string[];
  userAgent: string;
}

/** A token that changes over time: asked at each attempt, told when GitHub refused one (401) so it mints another. */
export interface RotatingCredential {
  token(): Promise<string>;
  rejected(token: string): void;
}

/** A new Octokit for the setup. */
export function buildOctokit(setup: OctokitSetup): GitHubOctokit {
  const log = safeLogger(setup.logger, setup.secrets);
  // The throttling plugin's default groups serialize writes one per second and cap reads at 10 in
  // flight, and Bottleneck's queueing alone caps throughput; the pacer admits requests instead, and
  // the plugin only recognises rate-limit answers and retries them (see throttle-schedulers.ts).
  const throttle = {
    global: passThroughGroup(),
    auth: passThroughGroup(),
    write: passThroughGroup(),
    search: passThroughGroup(),
    notifications: passThroughGroup(),
    retryLimiter: new RetryScheduler(),
    retryAfterBaseValue: setup.retryAfterBaseMs,
    onRateLimit: (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      log.warn(`github: primary rate limit reached on ${options.method} ${options.url}; retry ${retryCount + 1} in ${retryAfter}s`);
      return retryCount < setup.rateLimitRetries;
    },
    onSecondaryRateLimit: (
      retryAfter: number,
      options: { method: string; url: string },
      _octokit: unknown,
      retryCount: number,
    ): boolean => {
      log.warn(`github: secondary rate limit on ${options.method} ${options.url}; retry ${retryCount + 1} in ${retryAfter}s`);
      return retryCount < setup.rateLimitRetries;
    },
  };
  const bodies = new ParsedBodies();
  const Kit = Octokit.plugin(...sourcelinksPlugins(setup, bodies), throttling, retry);
  return new Kit({
    baseUrl: setup.baseUrl,
    auth: setup.token,
    userAgent: setup.userAgent,
    log,
    request: { fetch: guardedOctokitFetch(setup, bodies) },
    // The plugin's types name Bottleneck's classes; it calls only `key().schedule`, `schedule` and `on`.
    throttle: throttle as unknown as ThrottlingOptions,
    retry: {
      // Rate-limit answers (403, 429) belong to the throttling plugin, which honors retry-after.
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
      retries: setup.serverErrorRetries,
      retryAfterBaseValue: setup.retryAfterBaseMs,
    },
  });
}

/** Octokit's plugin signature, as `Octokit.plugin` accepts it. */
type OctokitPlugin = Parameters<typeof Octokit.plugin>[number];
/** What the request hook resolves to. */
type Response = Awaited<ReturnType<Octokit["request"]>>;

/** Headers of an Octokit response, as plain strings. */
function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return value === undefined || value === null ? undefined : String(value);
}

/**
 * Requests plugin-retry may resend after a 5xx or no answer: idempotent methods, and the one POST
 * that only reads (checking a token). Any other POST or PATCH is sent once, and the caller decides
 * what an unknown outcome means.
 */
function resendable(method: string, url: string, query: unknown): boolean {
  return (
    isIdempotentMethod(method) ||
    (method === "POST" && url === "/applications/{client_id}/token") ||
    (isGraphqlRequest(method, url) && isGraphqlQuery(query))
  );
}

/** Whether a request goes to the GraphQL endpoint (`/graphql`, or GHES's absolute `…/api/graphql`). */
function isGraphqlRequest(method: string, url: string): boolean {
  return method === "POST" && (url === "/graphql" || url.endsWith("/api/graphql"));
}

/** A GraphQL document that only reads (no mutation), so sending it again changes nothing. */
function isGraphqlQuery(query: unknown): boolean {
  return typeof query === "string" && /^\s*(query\b|\{)/.test(query);
}

/**
 * This client's request hooks, as four plugins applied in this order: each `hook.wrap` wraps the
 * ones registered before it, so the first is closest to the wire and pacing is outermost. Around each
 * attempt, from the outside in: one pacer slot, the rotating credential's current token, the ETag
 * validators for that token, and whether plugin-retry may resend it.
 */
function sourcelinksPlugins(setup: OctokitSetup, bodies: ParsedBodies): OctokitPlugin[] {
  return [resendPolicy, revalidation(setup, bodies), rotatingCredential(setup), pacing(setup)];
}

/** Only `resendable` requests may be resent by plugin-retry; any other has its retries set to 0. */
const resendPolicy: OctokitPlugin = (octokit): void => {
  octokit.hook.before("request", (options) => {
    if (!resendable(String(options.method), String(options.url), options["query"])) options.request = { ...options.request, retries: 0 };
  });
};

/**
 * Each attempt's parsed body adopted (ParsedBodies); a GET with the validators the cache holds for the
 * token it sends. GitHub's ETags are token specific, so an ETag goes out only with the token it was
 * issued to (a rotated installation token would get a 200 for it, at full cost, and the client would
 * have paid for the lookup for nothing); a `Last-Modified` date is the resource's, so
 * `If-Modified-Since` goes out with any token of the scope.
 */
function revalidation(setup: OctokitSetup, bodies: ParsedBodies): OctokitPlugin {
  return (octokit): void => {
    octokit.hook.wrap("request", async (request, options): Promise<Response> => {
      const etags = setup.etags;
      if (!etags || String(options.method) !== "GET") return bodies.adopt(await request(options));
      const url = octokit.request.endpoint.parse(options).url;
      const token = rotatedToken(options.headers) ?? setup.token;
      const mine = token === undefined ? "none" : tokenFingerprint(token);
      // An entry that is not a document of the endpoint's shape (kept by an older version from a cut-off
      // body) is never served: the request goes out without validators and the answer replaces it.
      const hit = etags.cache.get(etags.scope, url);
      const shaped = hit && fitsShape(hit.data, isListEndpoint(url, setup.baseUrl)) ? hit : undefined;
      const etag = shaped?.token === mine ? shaped.etag : undefined;
      const lastModified = shaped?.lastModified;
      const cached = etag !== undefined || lastModified !== undefined ? shaped : undefined;
      // Set afresh on every attempt: a retry with a new token must not carry the last token's ETag.
      const { "if-none-match": _etag, "if-modified-since": _date, ...headers } = options.headers;
      options.headers = {
        ...headers,
        ...(etag === undefined ? {} : { "if-none-match": etag }),
        ...(lastModified === undefined ? {} : { "if-modified-since": lastModified }),
      };
      try {
        const response = bodies.adopt(await request(options));
        const etag = header(response.headers, "etag");
        const date = header(response.headers, "last-modified");
        const link = header(response.headers, "link") ?? null;
        // The cache is a file on disk: a page whose URLs carry a credential (a server echoing it) is not kept.
        const secrets = setup.secrets();
        if (etag && redactText(url, secrets) === url && (link === null || redactText(link, secrets) === link)) {
          // Only the fields the client reads (cached-fields.ts): a 304 answers with what was kept.
          const data = cachedFields(endpointKey(url, setup.baseUrl), response.data);
          etags.cache.set(etags.scope, url, { etag, data, link, token: mine, ...(date ? { lastModified: date } : {}) });
        }
        return response;
      } catch (error) {
        // @octokit/request throws on 304 (https://github.com/octokit/request.js: "Not modified"); the
        // cached body is the answer, with the Link header it came with so pagination continues.
        if (cached && (error as { status?: unknown }).status === 304) {
          const headers = (error as { response?: { headers?: Record<string, string> } }).response?.headers ?? {};
          // A 304 to a date under a new token names that token's ETag: kept, so the next run sends it.
          const fresh = header(headers, "etag");
          if (fresh !== undefined && (fresh !== cached.etag || cached.token !== mine))
            etags.cache.set(etags.scope, url, { ...cached, etag: fresh, token: mine });
          return {
            status: 304,
            url,
            headers: { ...headers, ...(cached.link ? { link: cached.link } : {}) },
            data: cached.data,
          } as Response;
        }
        throw error;
      }
    });
  };
}

/** The token `rotatingCredential` put on this attempt (`authorization: token …`), if it did. */
function rotatedToken(headers: Record<string, unknown>): string | undefined {
  const value = headers["authorization"];
  return typeof value === "string" && value.startsWith("token ") ? value.slice("token ".length) : undefined;
}

/**
 * With a rotating credential (a GitHub App installation), each attempt carries its current token. An
 * installation token GitHub refuses (401: expired early, or revoked) is replaced and the attempt made
 * once more. Without one, Octokit's own auth sends the static token.
 */
function rotatingCredential(setup: OctokitSetup): OctokitPlugin {
  return (octokit): void => {
    const credential = setup.credential;
    if (!credential) return;
    octokit.hook.wrap("request", async (request, options): Promise<Response> => {
      // before-after-hook binds the options object into the inner chain: it is changed in place.
      const withToken = (token: string): typeof options => {
        options.headers = { ...options.headers, authorization: `token ${token}` };
        return options;
      };
      let token: string;
      try {
        token = await credential.token();
      } catch (error) {
        // A failed mint is the app's HttpError already; plugin-throttling reads the headers of every 403.
        throw error instanceof HttpError ? withoutResponse(error) : error;
      }
      try {
        return await request(withToken(token));
      } catch (error) {
        if ((error as { status?: unknown }).status !== 401) throw error;
        credential.rejected(token);
        return request(withToken(await credential.token()));
      }
    });
  };
}

/**
 * One pacer slot per HTTP attempt, under the endpoint's secondary budget; the primary budget fed from
 * every answer's headers. Refuses a request to another origin (pagination follows the `Link` URLs a
 * response names; the token must never go to another host), and shapes the failures that must not be
 * retried as HttpErrors.
 */
function pacing(setup: OctokitSetup): OctokitPlugin {
  return (octokit): void => {
    const apiOrigin = new URL(setup.baseUrl).origin;
    octokit.hook.wrap("request", (request, options): Promise<Response> => {
      const url = octokit.request.endpoint.parse(options).url;
      const origin = new URL(url).origin;
      if (origin !== apiOrigin)
        return Promise.reject(new Error(`github: refusing to send a request to ${origin}, which is not the API's origin (${apiOrigin})`));
      const method = String(options.method);
      // GitHub counts secondary points per endpoint: method and route template. A GraphQL query is 1
      // point and creates no content (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits).
      const graphql = isGraphqlRequest(method, String(options.url)) && isGraphqlQuery(options["query"]);
      const endpoint = graphql ? "POST /graphql" : `${method} ${endpointKey(String(options.url), setup.baseUrl)}`;
      return setup.pacer.schedule(graphql ? { method, endpoint, points: 1, contentCreating: false } : { method, endpoint }, async () => {
        try {
          const response = await request(options);
          observe(setup.pacer, response.headers);
          return response;
        } catch (error) {
          observe(setup.pacer, (error as { response?: { headers?: Record<string, unknown> } }).response?.headers);
          throw attemptFailure(error, setup, method, url);
        }
      });
    });
  };
}

/**
 * What a failed attempt leaves as: @octokit/request wraps what fetch throws as a 500, which
 * plugin-retry would resend. An answer refused for good (a redirect elsewhere, a body over the cap)
 * and a failed connection (clients/unreachable.ts) leave as HttpErrors it passes by; any other failure
 * with no answer (a socket reset mid-request) gets the empty response plugin-throttling reads.
 */
function attemptFailure(error: unknown, setup: OctokitSetup, method: string, url: string): unknown {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof UnusableResponseError && !cause.retryable) {
    return withoutResponse(
      new HttpError({
        status: cause.status,
        service: "github",
        method,
        url,
        detail: cause.message,
        refused: true,
        secrets: setup.secrets(),
      }),
    );
  }
  const code = unreachableCode(error);
  if (code !== undefined)
    return withoutResponse(
      new HttpError({ status: 0, service: "github", method, url, detail: unreachableDetail(url, code), secrets: setup.secrets() }),
    );
  return error instanceof Error && (error as { response?: unknown }).response === undefined
    ? Object.assign(error, { response: { headers: {} } })
    : error;
}

/**
 * Octokit's `fetch`: one guarded exchange (clients/guarded-fetch.ts: same-origin redirects only, the
 * whole body read within the timeout and the size cap), and a successful body checked against the
 * endpoint's shape and redacted before @octokit/request sees it. @octokit/request turns a body it
 * cannot read or parse into `""`, which pagination would read as an empty list; here that never
 * reaches it. Failures surface as errors @octokit/request wraps as a 500 with this error as `cause`,
 * so plugin-retry resends what may come out right (a cut-off or stalled body), and the request hook
 * above stops what would not. Octokit has no timeout of its own, and a connection that never answers
 * would hold a pacer slot forever; the timeout is a network error, not an `AbortError` (which
 * @octokit/request passes through unretried).
 */
function guardedOctokitFetch(setup: OctokitSetup, bodies: ParsedBodies): typeof fetch {
  const ms = setup.requestTimeoutMs;
  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.toString() : input.url;
    const method = (init?.method ?? "GET").toUpperCase();
    const timeout = AbortSignal.timeout(ms);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let answer: GuardedAnswer;
    try {
      answer = await guardedFetch(
        url,
        { ...init, signal },
        {
          fetch,
          secrets: setup.secrets(),
          timeout,
          timeoutMs: ms,
          ...(setup.maxResponseBytes === undefined ? {} : { maxBytes: setup.maxResponseBytes }),
        },
      );
    } catch (error) {
      if (error instanceof UnusableResponseError) throw error;
      if (timeout.aborted && !(init?.signal?.aborted ?? false))
        throw new TypeError("fetch failed", { cause: new Error(`no response within ${ms} ms`) });
      throw error;
    }
    if (answer.status >= 300 && answer.status < 400 && answer.status !== 304) {
      throw new UnusableResponseError(`HTTP ${answer.status} is a redirect without a Location`, false, answer.status);
    }
    const headers = new Headers(answer.headers);
    // The hand-off header is ours alone: one a server sent could name another request's body.
    headers.delete(PARSED_BODY_HEADER);
    headers.delete("content-length");
    headers.delete("content-encoding");
    let body: string | null = answer.text;
    // A read must answer a document: a 204 to a GET is as empty as a 200 with no body.
    if (answer.status === 304 || ((answer.status === 204 || answer.status === 205) && method !== "GET")) body = null;
    else if (answer.status < 300) {
      const shape = method === "GET" ? (isListEndpoint(url, setup.baseUrl) ? "array" : "object") : "empty-or-json";
      const data = parseBody(answer.text, shape, answer.status, setup.secrets());
      if (data === undefined) body = "";
      else {
        // Handed to the request hook by reference (ParsedBodies): @octokit/request parses a stand-in.
        body = "null";
        headers.set(PARSED_BODY_HEADER, bodies.keep(data));
      }
      headers.set("content-type", "application/json; charset=utf-8");
    }
    const response = new Response(body, { status: answer.status, statusText: answer.statusText, headers });
    // @octokit/request reports the final URL; a constructed Response has none of its own.
    Object.defineProperty(response, "url", { value: answer.url });
    return response;
  };
}

/** Whether cached data is a whole document of the endpoint's shape: an array for a list page, else an object. */
function fitsShape(data: unknown, list: boolean): boolean {
  return list ? Array.isArray(data) : typeof data === "object" && data !== null;
}

/** Feeds the REST primary budget to the pacer; GraphQL's (`x-ratelimit-resource: graphql`) is its own, paced by its reader. */
function observe(pacer: Pacer, headers: Record<string, unknown> | undefined): void {
  const resource = header(headers, "x-ratelimit-resource");
  if (resource !== undefined && resource !== "core") return;
  const remaining = header(headers, "x-ratelimit-remaining");
  const reset = header(headers, "x-ratelimit-reset");
  if (remaining !== undefined && reset !== undefined) pacer.observePrimary(Number(remaining), Number(reset));
}

/**
 * An error that arrived with no usable answer, shaped for plugin-throttling: it reads
 * `error.response.headers` of every failed GraphQL request, and would throw a TypeError in its place.
 */
function withoutResponse(error: HttpError): HttpError {
  return Object.assign(error, { response: { headers: {} } });
}

/** The response header naming a body that `ParsedBodies` holds; never sent, and removed before any caller sees it. */
const PARSED_BODY_HEADER = "x-sourcelinks-parsed-body";

/**
 * Answers already parsed, checked and redacted by the fetch, handed to the request hook by reference.
 * @octokit/request only reads a fetch Response's text and parses it: without this, every answer would
 * be parsed, serialized again and parsed once more (a sweep's 600 KB listing pages three times over).
 */
class ParsedBodies {
  readonly #held = new Map<string, unknown>();
  #next = 0;

  /** Holds `data`; returns the id the fetch puts in `PARSED_BODY_HEADER`. */
  keep(data: unknown): string {
    const id = String(++this.#next);
    this.#held.set(id, data);
    return id;
  }

  /** `response` with its held body as `data` and the header gone; unchanged when it names none. */
  adopt(response: Response): Response {
    const id = header(response.headers, PARSED_BODY_HEADER);
    if (id === undefined || !this.#held.has(id)) return response;
    const data = this.#held.get(id);
    this.#held.delete(id);
    const headers: Record<string, unknown> = { ...response.headers };
    delete headers[PARSED_BODY_HEADER];
    return { ...response, headers, data } as Response;
  }
}
