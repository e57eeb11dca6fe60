/**
 * A small JSON-over-`fetch` transport for the build service, Bitbucket and Docker Hub clients: one
 * authorization header, a concurrency bound, a bounded retry of idempotent requests, and every
 * failure as a redacted `HttpError`. (The GitHub client uses Octokit and its plugins instead.)
 */
import pLimit, { type LimitFunction } from "p-limit";
import { guardedFetch, UnusableResponseError, type GuardedAnswer } from "./guarded-fetch.js";
import { HttpError, type ServiceName } from "./http-error.js";
import { isIdempotentMethod } from "./idempotent.js";
import { parseBody, type BodyShape } from "./response-body.js";
import type { Secret } from "../model/secret.js";
import { unreachableCode, unreachableDetail } from "./unreachable.js";

/** Methods the clients send. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Tuning and credentials of a transport. */
export interface JsonHttpOptions {
  service: ServiceName;
  /** The whole `Authorization` header value, or null for anonymous requests. */
  authorization: Secret | null;
  /** Credentials scrubbed from any answer and error text, beside the header value itself; read afresh for each (a run's `SecretSet` grows). */
  secrets?: Iterable<Secret>;
  /** Extracts the service's own error text from a parsed error body. */
  errorDetail: (body: unknown) => string | null;
  /** Maximum requests in flight; default 8. */
  concurrency?: number;
  /** Extra attempts after a 429, or after a 5xx or no response when resending is safe; default 2. */
  retries?: number;
  /** A `retry-after` longer than this (seconds) is not waited for: the error is thrown; default 60. */
  maxRetryAfterSeconds?: number;
  /** Per-attempt timeout in milliseconds, the whole body included; default 30 000. */
  timeoutMs?: number;
  /** Largest response body accepted, in bytes; default 8 MiB (clients/guarded-fetch.ts). */
  maxResponseBytes?: number;
  /** Injectable for tests (fake time); default a `setTimeout` promise. */
  sleep?: (ms: number) => Promise<void>;
  /** Injectable `fetch`; default the global one. */
  fetch?: typeof fetch;
  /** How long an error answer asks to wait, in seconds, for a service that says it otherwise than `retry-after` (Docker Hub's `X-Retry-After`). */
  retryAfter?: (headers: Headers) => number | null;
  /** Sees the headers of every answer, error or not (a pacer reading the service's rate-limit headers). */
  onHeaders?: (headers: Headers) => void;
  /** Runs each attempt when it may start (a pacer); default at once. */
  schedule?: <T>(method: HttpMethod, attempt: () => Promise<T>) => Promise<T>;
}

/** A successful exchange: status, parsed JSON body (undefined when empty) and headers. */
export interface JsonResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** Backoff before retry N (0-based) when the server gave no `retry-after`: 250 ms, 500 ms, 1 s … */
const BACKOFF_BASE_MS = 250;

/** Per-request options of `JsonHttp.request`. */
export interface RequestOptions {
  /**
   * Whether resending is safe when the outcome is unknown (no response, 5xx). Default: by method, so
   * POST and PATCH are sent once; a PATCH that sets absolute values may declare itself idempotent.
   * A 429 is retried whatever the method: the server refused the request without acting on it.
   */
  idempotent?: boolean;
  /**
   * What a successful body must be; default a JSON object or array for a GET (an empty or `null`
   * answer to a read is never data), any JSON or nothing otherwise. A body of another shape is an
   * error, retried like an answer that never came.
   */
  shape?: BodyShape;
  /** Checks the parsed body further (a page's envelope); returns what is wrong, or null. */
  check?: (body: unknown) => string | null;
  /**
   * False for an answer that is itself a credential the caller reads (a link's OAuth token): redacted
   * of the run's known credentials, a token read a second time would come back as "[redacted]". Default true.
   */
  redact?: boolean;
  /** Send `body` (string fields) as a form, `application/x-www-form-urlencoded` (Bitbucket's `POST …/src`), not JSON. */
  form?: boolean;
  /**
   * Runs each attempt (retries included) through a rate pacer before it takes a concurrency slot, so
   * a budget the server counts per request (Bitbucket's webhook data) sees every attempt.
   */
  pace?: <R>(send: () => Promise<R>) => Promise<R>;
}

/** The transport. Holds credentials only as `Secret`s, so inspecting it prints nothing sensitive. */
export class JsonHttp {
  readonly #options: JsonHttpOptions;
  readonly #limit: LimitFunction;
  readonly #fetch: typeof fetch;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: JsonHttpOptions) {
    this.#options = options;
    const concurrency = options.concurrency ?? 8;
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    this.#limit = pLimit(concurrency);
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * Sends one request, retrying within bounds what is safe to resend (see `RequestOptions`); throws
   * `HttpError` on any status ≥ 400 or no response.
   */
  async request<T>(method: HttpMethod, url: string, body?: unknown, options: RequestOptions = {}): Promise<JsonResponse<T>> {
    const idempotent = options.idempotent ?? isIdempotentMethod(method);
    const retries = this.#options.retries ?? 2;
    for (let attempt = 0; ; attempt++) {
      const once = (): Promise<JsonResponse<T> | HttpError> => this.#once<T>(method, url, body, options);
      const schedule = this.#options.schedule;
      const send = (): Promise<JsonResponse<T> | HttpError> => this.#limit(schedule ? () => schedule(method, once) : once);
      const outcome = await (options.pace ? options.pace(send) : send());
      if (!(outcome instanceof HttpError)) return outcome;
      const retryable = outcome.status === 429 || (outcome.outcomeUnknown && idempotent && !outcome.refused);
      if (!retryable || attempt >= retries) throw outcome;
      const delayMs = outcome.retryAfterSeconds !== null ? outcome.retryAfterSeconds * 1000 : BACKOFF_BASE_MS * 2 ** attempt;
      if (delayMs > (this.#options.maxRetryAfterSeconds ?? 60) * 1000) throw outcome;
      await this.#sleep(delayMs);
    }
  }

  async #once<T>(method: HttpMethod, url: string, body: unknown, options: RequestOptions): Promise<JsonResponse<T> | HttpError> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.#options.authorization) headers["authorization"] = this.#options.authorization.reveal();
    if (body !== undefined) headers["content-type"] = options.form ? "application/x-www-form-urlencoded" : "application/json";
    const payload =
      body === undefined ? null : options.form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body);
    const timeoutMs = this.#options.timeoutMs ?? 30_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    let res: GuardedAnswer;
    try {
      res = await guardedFetch(
        url,
        { method, headers, body: payload, signal: timeout },
        {
          fetch: this.#fetch,
          secrets: this.#secrets(),
          timeout,
          timeoutMs,
          ...(this.#options.maxResponseBytes === undefined ? {} : { maxBytes: this.#options.maxResponseBytes }),
        },
      );
    } catch (cause) {
      if (cause instanceof UnusableResponseError) return this.#unusable(method, url, cause);
      // Thrown rather than returned, so request() does not retry it (clients/unreachable.ts says why).
      const code = unreachableCode(cause);
      if (code !== undefined) throw this.#error({ status: 0, method, url, detail: unreachableDetail(url, code), retryAfterSeconds: null });
      return this.#error({ status: 0, method, url, detail: describeNetworkError(cause), retryAfterSeconds: null });
    }
    this.#options.onHeaders?.(res.headers);
    if (res.status >= 400) {
      return this.#error({
        status: res.status,
        method,
        url,
        detail: this.#detail(res.text),
        retryAfterSeconds: this.#options.retryAfter?.(res.headers) ?? parseRetryAfter(res.headers.get("retry-after")),
      });
    }
    if (res.status >= 300) {
      return this.#error({
        status: res.status,
        method,
        url,
        detail: "a redirect without a Location",
        retryAfterSeconds: null,
        refused: true,
      });
    }
    try {
      // A read must answer a document: a 204 to a GET is as empty as a 200 with no body.
      const empty = res.status === 204 && method !== "GET";
      const parsed = parseBody(
        res.text,
        empty ? "empty-or-json" : (options.shape ?? defaultShape(method)),
        res.status,
        options.redact === false ? [] : this.#secrets(),
      );
      const problem = empty ? null : (options.check?.(parsed) ?? null);
      if (problem !== null)
        throw new UnusableResponseError(`HTTP ${res.status} whose body is not the expected answer: ${problem}`, true, res.status);
      return { status: res.status, body: parsed as T, headers: res.headers };
    } catch (cause) {
      if (cause instanceof UnusableResponseError) return this.#unusable(method, url, cause);
      throw cause;
    }
  }

  /**
   * An answer refused by guardedFetch or parseBody: one that may come out right when resent (cut off,
   * stalled, malformed) counts as no answer (status 0, outcome unknown); the others keep their status.
   */
  #unusable(method: HttpMethod, url: string, cause: UnusableResponseError): HttpError {
    return this.#error({
      status: cause.retryable ? 0 : cause.status,
      method,
      url,
      detail: cause.message,
      retryAfterSeconds: null,
      refused: !cause.retryable,
    });
  }

  #secrets(): string[] {
    const secrets: string[] = [];
    if (this.#options.authorization) secrets.push(this.#options.authorization.reveal());
    for (const s of this.#options.secrets ?? []) secrets.push(s.reveal());
    // Longest first, so a header value is scrubbed whole before its parts.
    return secrets.sort((a, b) => b.length - a.length);
  }

  #detail(text: string): string | null {
    if (text === "") return null;
    try {
      return this.#options.errorDetail(JSON.parse(text));
    } catch {
      // Not JSON (a proxy's HTML page): keep a short excerpt; HttpError still scrubs secrets from it.
      return text.slice(0, 200);
    }
  }

  #error(init: {
    status: number;
    method: HttpMethod;
    url: string;
    detail: string | null;
    retryAfterSeconds: number | null;
    refused?: boolean;
  }): HttpError {
    return new HttpError({ ...init, service: this.#options.service, secrets: this.#secrets() });
  }
}

/** What a successful body must be when the caller does not say: a read returns a JSON document. */
function defaultShape(method: HttpMethod): BodyShape {
  return method === "GET" ? "object-or-array" : "empty-or-json";
}

/**
 * Whether `next` may be followed from `base`: pagination links must stay on the API's origin, so
 * credentials are never sent to a host a response names.
 */
export function assertSameOrigin(service: ServiceName, base: string, next: string): string {
  const target = new URL(next, base);
  if (target.origin !== new URL(base).origin) {
    throw new HttpError({
      status: 0,
      service,
      method: "GET",
      url: target.toString(),
      detail: `refusing to follow a pagination link off ${new URL(base).origin}`,
    });
  }
  return target.toString();
}

/** `retry-after` as seconds (RFC 9110 §10.2.3: delay-seconds or an HTTP-date), or null. */
export function parseRetryAfter(value: string | null, nowMs: number = Date.now()): number | null {
  if (value === null || value.trim() === "") return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

function describeNetworkError(cause: unknown): string {
  if (cause instanceof Error && cause.name === "TimeoutError") return "timed out";
  const code = cause instanceof Error && cause.cause instanceof Error ? (cause.cause as NodeJS.ErrnoException).code : undefined;
  return code ? `network error (${code})` : "network error";
}
