/** Errors of the GitHub client: every failure leaves as an `HttpError` that holds no credential. */
import { UnusableResponseError } from "../guarded-fetch.js";
import { HttpError } from "../http-error.js";
import { SourcelinksError } from "../../model/errors.js";

/** The parts of Octokit's `RequestError` this module reads (duck-typed: the class is a transitive package). */
interface OctokitRequestError {
  status: number;
  message: string;
  request?: { method?: string; url?: string };
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

function isOctokitRequestError(error: unknown): error is OctokitRequestError {
  return error instanceof Error && typeof (error as { status?: unknown }).status === "number" && "request" in error;
}

/** Raised by reads and writes that need a token when none is configured. */
export class MissingGitHubTokenError extends SourcelinksError {
  override readonly name = "MissingGitHubTokenError";
  readonly kind = "input";
  constructor(operation: string) {
    super(
      `github: no GitHub token configured for ${operation}: set the environment variable named by providers.github.tokenEnv (GITHUB_TOKEN by default)`,
    );
  }
}

/** GitHub's error text from a response body (`message`), if any. */
function providerMessage(data: unknown): string | null {
  if (typeof data === "object" && data !== null && typeof (data as { message?: unknown }).message === "string") {
    return (data as { message: string }).message;
  }
  if (typeof data === "string" && data.length > 0) return data.slice(0, 500);
  return null;
}

/**
 * Converts whatever Octokit threw into an `HttpError`. The original error is NOT kept as `cause`:
 * Octokit's `RequestError` carries the request (headers, and bodies such as `{access_token}`).
 */
export function toHttpError(error: unknown, fallback: { method: string; url: string }, secrets: readonly string[]): HttpError {
  if (error instanceof HttpError) return error;
  // An answer refused by the guarded fetch (cut off, stalled, malformed) after plugin-retry gave up:
  // @octokit/request reported it as a 500, but no usable answer came at all.
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof UnusableResponseError) {
    const request = isOctokitRequestError(error) ? error.request : undefined;
    return new HttpError({
      status: cause.retryable ? 0 : cause.status,
      service: "github",
      method: request?.method ?? fallback.method,
      url: request?.url ?? fallback.url,
      detail: cause.message,
      refused: !cause.retryable,
      secrets,
    });
  }
  if (isOctokitRequestError(error)) {
    const headers = error.response?.headers ?? {};
    const retryAfter = Number(headers["retry-after"]);
    return new HttpError({
      status: error.status,
      service: "github",
      method: error.request?.method ?? fallback.method,
      url: error.request?.url ?? fallback.url,
      detail: providerMessage(error.response?.data) ?? redactMessage(error.message),
      retryAfterSeconds: Number.isFinite(retryAfter) && headers["retry-after"] !== undefined ? retryAfter : null,
      secrets,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new HttpError({ status: 0, service: "github", method: fallback.method, url: fallback.url, detail: message, secrets });
}

/** RequestError messages append the documentation URL after " - "; keep only the text. */
function redactMessage(message: string): string {
  return message.split(" - https://")[0]!;
}
