/**
 * One HTTP exchange whose answer is not trusted: redirects are followed only on the request's own
 * origin (a redirect elsewhere would let a stranger supply the data, and would carry our
 * credentials), the body is read whole before anyone looks at it (a body cut off or stalled is an
 * error, never an empty answer), and no body may exceed a size cap (no real listing page is near it).
 * Both transports use it: json-http.ts (build service, Bitbucket) and github/octokit.ts.
 */
import { redactUrl } from "../model/redaction.js";
import { SourcelinksError } from "../model/errors.js";

/** Default cap on one response body: a page of 100 webhooks is about 100 KB; a hostile 250 MB one is refused. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** Redirects followed on the same origin before giving up (GitHub redirects a renamed repository once). */
const MAX_REDIRECTS = 3;

/**
 * An answer the client refuses to use. `retryable` says whether resending may help (a body cut off
 * or stalled) or would get the same (a redirect to another origin, a body over the cap).
 */
export class UnusableResponseError extends SourcelinksError {
  override readonly name = "UnusableResponseError";
  readonly kind = "operational";
  constructor(
    message: string,
    readonly retryable: boolean,
    /** HTTP status of the refused answer, or 0 when no complete answer arrived. */
    readonly status: number,
  ) {
    super(message);
  }
}

/** What came back: status, headers, the final URL and the whole body as text. */
export interface GuardedAnswer {
  status: number;
  statusText: string;
  headers: Headers;
  url: string;
  text: string;
}

/** How to send and read one exchange. */
export interface GuardedFetchOptions {
  fetch: typeof fetch;
  /** Maximum body size in bytes; default `DEFAULT_MAX_RESPONSE_BYTES`. */
  maxBytes?: number;
  /** Secret values scrubbed from the URLs an error names. */
  secrets?: readonly string[];
  /** The per-attempt timeout's signal, to tell a stalled body from one cut off. */
  timeout?: AbortSignal;
  timeoutMs?: number;
}

/** Sends `init` to `url`, follows same-origin redirects, and reads the whole body within the cap. */
export async function guardedFetch(url: string, init: RequestInit, options: GuardedFetchOptions): Promise<GuardedAnswer> {
  let current = url;
  const method = (init.method ?? "GET").toUpperCase();
  for (let hop = 0; ; hop++) {
    const res = await options.fetch(current, { ...init, method, redirect: "manual" });
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && res.status !== 304 && location !== null) {
      await res.body?.cancel();
      const target = new URL(location, current).toString();
      const name = (u: string): string => redactUrl(u, options.secrets ?? []);
      if (new URL(target).origin !== new URL(current).origin) {
        throw new UnusableResponseError(
          `refusing to follow a redirect (HTTP ${res.status}) from ${name(current)} to ${name(target)}: another origin may not supply the answer`,
          false,
          res.status,
        );
      }
      // RFC 9110 §15.4: 301/302/303 may turn a request into a GET; only a read is safe to resend that way.
      const keepsMethod = res.status === 307 || res.status === 308;
      if (!keepsMethod && method !== "GET" && method !== "HEAD") {
        throw new UnusableResponseError(
          `refusing to follow a redirect (HTTP ${res.status}) of ${method} ${name(current)} to ${name(target)}`,
          false,
          res.status,
        );
      }
      if (hop >= MAX_REDIRECTS)
        throw new UnusableResponseError(`more than ${MAX_REDIRECTS} redirects from ${name(url)}`, false, res.status);
      current = target;
      continue;
    }
    const text = await readCapped(res, options);
    return { status: res.status, statusText: res.statusText, headers: res.headers, url: current, text };
  }
}

/** The whole body as UTF-8, refusing one over the cap and turning a failed read into an error. */
async function readCapped(res: Response, options: GuardedFetchOptions): Promise<string> {
  const max = options.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const tooLarge = (): UnusableResponseError =>
    new UnusableResponseError(
      `the response is larger than ${max} bytes, the most one answer may be (no real listing page is near it)`,
      false,
      res.status,
    );
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel();
    throw tooLarge();
  }
  if (res.body === null) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof UnusableResponseError) throw error;
    if (options.timeout?.aborted) {
      throw new UnusableResponseError(
        `the response body stalled: not complete within ${options.timeoutMs === undefined ? "the timeout" : `${options.timeoutMs} ms`} (${size} bytes read)`,
        true,
        0,
      );
    }
    throw new UnusableResponseError(`the response body was cut off after ${size} bytes`, true, 0);
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
}
