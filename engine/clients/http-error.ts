/**
 * The one error type every client throws for a failed HTTP exchange. Secrets are redacted here,
 * at construction, so no call site can forget: the request's authorization header is never kept,
 * token-like query parameters and userinfo are stripped from the stored URL, and the known secret
 * values (raw, percent-encoded or inside base64) and echoed `Basic`/`Bearer` credentials are removed
 * from both the URL and the server's error text (engine/model/redaction.ts).
 */
import { redactText, redactUrl } from "../model/redaction.js";
import { SourcelinksError } from "../model/errors.js";

/** Which service answered. */
export type ServiceName = "build-service" | "github" | "bitbucket" | "docker-hub";

/** A failed HTTP exchange with one of the services, safe to log. */
export class HttpError extends SourcelinksError {
  override readonly name = "HttpError";
  readonly kind = "operational";
  /** HTTP status, or 0 when no response arrived (network error, timeout). */
  readonly status: number;
  readonly service: ServiceName;
  readonly method: string;
  /** The request URL with credentials removed. */
  readonly url: string;
  /** The provider's own error text (GitHub `message`, Bitbucket `error.message`, build service `detail`, Docker Hub `message`), redacted. */
  readonly detail: string | null;
  /** Seconds the server asked us to wait (`retry-after`), when it said. */
  readonly retryAfterSeconds: number | null;
  /** The client refused the answer and resending would get the same (a redirect to another origin, a body over the size cap). */
  readonly refused: boolean;

  constructor(init: {
    status: number;
    service: ServiceName;
    method: string;
    url: string;
    detail?: string | null;
    retryAfterSeconds?: number | null;
    refused?: boolean;
    secrets?: readonly string[];
    cause?: unknown;
  }) {
    const url = redactUrl(init.url, init.secrets ?? []);
    const detail = init.detail == null ? null : redactText(init.detail, init.secrets ?? []);
    const what = init.status === 0 ? "no response" : `HTTP ${init.status}`;
    super(
      `${init.service}: ${init.method} ${url} failed: ${what}${detail ? `: ${detail}` : ""}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.status = init.status;
    this.service = init.service;
    this.method = init.method;
    this.url = url;
    this.detail = detail;
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
    this.refused = init.refused ?? false;
  }

  /** True for 404 and 410: the thing is gone, which read and delete treat as a normal answer. */
  get isGone(): boolean {
    return this.status === 404 || this.status === 410;
  }

  /** True for no answer or a 5xx: the request may or may not have taken effect. */
  get outcomeUnknown(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}
