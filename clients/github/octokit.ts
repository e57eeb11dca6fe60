/**
 * Builds the Octokit instance of one credential: `@octokit/rest` with the official throttling and
 * retry plugins, plus this client's request hooks (pacing and ETags) innermost, so every attempt,
 * retries included, is paced and revalidated. Called lazily by the clients, never at module load.
 */
import { retry } from "@octokit/plugin-retry";
import { throttling, type ThrottlingOptions } from "@octokit/plugin-throttling";
import { passThroughGroup, RetryScheduler } from "./throttle-schedulers.js";
import { Octokit } from "@octokit/rest";
import type { EtagCache } from "../etag-cache.js";
import type { Pacer } from "../pacer.js";
import { HttpError, redactText } from "../http-error.js";
import { unreachableCode, unreachableDetail } from "../unreachable.js";
import { isIdempotentMethod } from "../idempotent.js";
import { endpointKey } from "./endpoint-key.js";
import { safeLogger, type ClientLogger } from "./safe-logger.js";

/** An Octokit with the throttling and retry plugins (typed as the REST Octokit: only its request API is used). */
export type GitHubOctokit = Octokit;

/** How one Octokit instance behaves. */
export interface OctokitSetup {
  baseUrl: string;
  /** The token for `Authorization: token …`, or undefined for requests that send their own (Basic). */
  token: string | undefined;
  pacer: Pacer;
  /** ETag cache and the credential's scope in it; no caching when absent. */
  etags?: { cache: EtagCache; scope: string };
  /** Retries after a primary or secondary rate-limit answer (403/429). Default 3. */
  rateLimitRetries: number;
  /** Retries after a 5xx or network failure (plugin-retry). Default 3. */
  serverErrorRetries: number;
  /** Milliseconds per second of `retry-after` / backoff; lower only in tests. Default 1000. */
  retryAfterBaseMs: number;
  /** Per-attempt timeout in milliseconds: an attempt that gets no answer in time fails and is retried. */
  requestTimeoutMs: number;
  logger: ClientLogger | undefined;
  /** Every secret value that must never appear in a log line. */
  secrets: () => readonly string[];
  userAgent: string;
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
    onSecondaryRateLimit: (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      log.warn(`github: secondary rate limit on ${options.method} ${options.url}; retry ${retryCount + 1} in ${retryAfter}s`);
      return retryCount < setup.rateLimitRetries;
    },
  };
  const Kit = Octokit.plugin(sourcelinksHooks(setup), throttling, retry);
  return new Kit({
    baseUrl: setup.baseUrl,
    auth: setup.token,
    userAgent: setup.userAgent,
    log,
    request: { fetch: fetchWithTimeout(setup.requestTimeoutMs) },
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
function resendable(method: string, url: string): boolean {
  return isIdempotentMethod(method) || (method === "POST" && url === "/applications/{client_id}/token");
}

/** The plugin holding this client's hooks: pacing around each attempt, ETags around pacing. */
function sourcelinksHooks(setup: OctokitSetup): OctokitPlugin {
  return (octokit): void => {
    octokit.hook.before("request", (options) => {
      if (!resendable(String(options.method), String(options.url))) options.request = { ...options.request, retries: 0 };
    });

    const apiOrigin = new URL(setup.baseUrl).origin;
    // Registered first, so it runs innermost (closest to the wire): one pacer slot per HTTP attempt.
    octokit.hook.wrap("request", (request, options): Promise<Response> => {
      // Pagination follows the `Link` URLs a response names; the token must never go to another host.
      const origin = new URL(octokit.request.endpoint.parse(options).url).origin;
      if (origin !== apiOrigin) return Promise.reject(new Error(`github: refusing to send a request to ${origin}, which is not the API's origin (${apiOrigin})`));
      const method = String(options.method);
      // GitHub counts secondary points per endpoint: method and route template.
      const endpoint = `${method} ${endpointKey(String(options.url), setup.baseUrl)}`;
      return setup.pacer.schedule({ method, endpoint }, async () => {
        try {
          const response = await request(options);
          observe(setup.pacer, response.headers);
          return response;
        } catch (error) {
          observe(setup.pacer, (error as { response?: { headers?: Record<string, unknown> } }).response?.headers);
          // @octokit/request reports a failed connection as HTTP 500, which plugin-retry would resend
          // with growing waits; an HttpError is passed through unretried (clients/unreachable.ts).
          const code = unreachableCode(error);
          if (code !== undefined) {
            const url = octokit.request.endpoint.parse(options).url;
            throw new HttpError({ status: 0, service: "github", method, url, detail: unreachableDetail(url, code), secrets: setup.secrets() });
          }
          throw error;
        }
      });
    });

    const etags = setup.etags;
    if (!etags) return;
    octokit.hook.wrap("request", async (request, options): Promise<Response> => {
      if (String(options.method) !== "GET") return request(options);
      const url = octokit.request.endpoint.parse(options).url;
      const cached = etags.cache.get(etags.scope, url);
      if (cached) options.headers = { ...options.headers, "if-none-match": cached.etag };
      try {
        const response = await request(options);
        const etag = header(response.headers, "etag");
        const link = header(response.headers, "link") ?? null;
        // The cache is a file on disk: a page whose URLs carry a credential (a server echoing it) is not kept.
        const secrets = setup.secrets();
        if (etag && redactText(url, secrets) === url && (link === null || redactText(link, secrets) === link)) {
          etags.cache.set(etags.scope, url, { etag, data: response.data, link });
        }
        return response;
      } catch (error) {
        // @octokit/request throws on 304 (https://github.com/octokit/request.js: "Not modified"); the
        // cached body is the answer, with the Link header it came with so pagination continues.
        if (cached && (error as { status?: unknown }).status === 304) {
          const headers = (error as { response?: { headers?: Record<string, string> } }).response?.headers ?? {};
          return { status: 304, url, headers: { ...headers, ...(cached.link ? { link: cached.link } : {}) }, data: cached.data } as Response;
        }
        throw error;
      }
    });
  };
}

/**
 * `fetch` that gives up on an attempt after `ms`. Octokit has no timeout of its own, and a connection
 * that never answers would hold a pacer slot forever. The timeout surfaces as a network error (not an
 * `AbortError`, which @octokit/request passes through unretried), so plugin-retry tries again.
 */
function fetchWithTimeout(ms: number): typeof fetch {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(ms);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      return await fetch(input, { ...init, signal });
    } catch (error) {
      if (timeout.aborted && !(init?.signal?.aborted ?? false)) throw new TypeError("fetch failed", { cause: new Error(`no response within ${ms} ms`) });
      throw error;
    }
  };
}

function observe(pacer: Pacer, headers: Record<string, unknown> | undefined): void {
  const remaining = header(headers, "x-ratelimit-remaining");
  const reset = header(headers, "x-ratelimit-reset");
  if (remaining !== undefined && reset !== undefined) pacer.observePrimary(Number(remaining), Number(reset));
}
