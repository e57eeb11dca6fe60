/**
 * The one error type every client throws for a failed HTTP exchange. Secrets are redacted here,
 * at construction, so no call site can forget: the request's authorization header is never kept,
 * and token-like query parameters and userinfo are stripped from the stored URL.
 */

/** Which service answered. */
export type ServiceName = "build-service" | "github" | "bitbucket";

/** Query parameters that carry credentials in some APIs (GitHub's legacy `access_token`, OAuth `client_secret`). */
const SECRET_QUERY_PARAMS = ["access_token", "token", "client_secret", "password"];

/** Strips userinfo and credential query parameters from a URL before it is stored or printed. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw;
  }
  url.username = "";
  url.password = "";
  for (const name of SECRET_QUERY_PARAMS) {
    if (url.searchParams.has(name)) url.searchParams.set(name, "[redacted]");
  }
  return url.toString();
}

/** Removes every occurrence of the given secret values from a text (for provider error bodies that echo input). */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  }
  return out;
}

/** A failed HTTP exchange with one of the services, safe to log. */
export class HttpError extends Error {
  override readonly name = "HttpError";
  /** HTTP status, or 0 when no response arrived (network error, timeout). */
  readonly status: number;
  readonly service: ServiceName;
  readonly method: string;
  /** The request URL with credentials removed. */
  readonly url: string;
  /** The provider's own error text (GitHub `message`, Bitbucket `error.message`, build service `detail`), redacted. */
  readonly detail: string | null;
  /** Seconds the server asked us to wait (`retry-after`), when it said. */
  readonly retryAfterSeconds: number | null;

  constructor(init: {
    status: number;
    service: ServiceName;
    method: string;
    url: string;
    detail?: string | null;
    retryAfterSeconds?: number | null;
    secrets?: readonly string[];
    cause?: unknown;
  }) {
    const url = redactUrl(init.url);
    const detail = init.detail == null ? null : redactText(init.detail, init.secrets ?? []);
    const what = init.status === 0 ? "no response" : `HTTP ${init.status}`;
    super(`${init.service}: ${init.method} ${url} failed: ${what}${detail ? `: ${detail}` : ""}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.service = init.service;
    this.method = init.method;
    this.url = url;
    this.detail = detail;
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
  }

  /** True for 404 and 410: the thing is gone, which read and delete treat as a normal answer. */
  get isGone(): boolean {
    return this.status === 404 || this.status === 410;
  }
}
