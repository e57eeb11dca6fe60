/**
 * What the three GitHub clients of one world share: settings, the pacer of each credential, the
 * ETag cache and a lazily built Octokit for the configured token.
 */
import { credentialScope, type EtagCache } from "../etag-cache.js";
import { HttpError } from "../http-error.js";
import { Pacer, type PacingOptions } from "../pacer.js";
import type { Secret } from "../../model/secret.js";
import { toHttpError } from "./errors.js";
import { buildOctokit, type GitHubOctokit } from "./octokit.js";
import type { ClientLogger } from "./safe-logger.js";

/** Settings of the GitHub clients (see `createGitHubClients`). */
export interface GitHubClientSettings {
  /** API root, e.g. `https://api.github.com` or the sandbox's `${baseUrl}/github`. */
  apiUrl: string;
  /** The token for webhooks, deploy keys and the audit log; null still constructs (calls then fail with "no GitHub token"). */
  token: Secret | null;
  /** Maximum concurrent requests per credential. Default 20. */
  concurrency?: number;
  /** Shared ETag cache; without one, nothing is revalidated. */
  etagCache?: EtagCache;
  /**
   * Rate pacing (clients/pacer.ts). Default: budgets paced for api.github.com and `*.ghe.com`
   * (GitHub.com's limits), concurrency only elsewhere (GHES ships with rate limits disabled).
   * Set `{ budgets: true, timeScale }` against a sandbox that enforces limits on a compressed clock.
   */
  pacing?: Omit<PacingOptions, "concurrency">;
  /** Retries after rate-limit answers. Default 3. */
  rateLimitRetries?: number;
  /** Retries after 5xx / network failures. Default 3. */
  serverErrorRetries?: number;
  /** Milliseconds per second of `retry-after` and retry backoff; only tests lower it. Default 1000. */
  retryAfterBaseMs?: number;
  /** Per-attempt timeout in milliseconds, the whole body included. Default 30 000. */
  requestTimeoutMs?: number;
  /** Largest response body accepted, in bytes. Default 8 MiB (clients/guarded-fetch.ts). */
  maxResponseBytes?: number;
  /** The world's other credentials (build service, Bitbucket), also removed from every answer and error. */
  otherSecrets?: readonly Secret[];
  logger?: ClientLogger;
  userAgent?: string;
}

/** Whether the API is GitHub.com (or GHE.com data residency), where the documented limits apply. */
export function isGitHubDotCom(apiUrl: string): boolean {
  const host = new URL(apiUrl).hostname;
  return host === "api.github.com" || host.endsWith(".ghe.com");
}

/** The shared state behind the clients. */
export class GitHubContext {
  readonly apiUrl: string;
  readonly settings: GitHubClientSettings;
  #main: GitHubOctokit | null = null;
  #pacers = new Map<string, Pacer>();

  constructor(settings: GitHubClientSettings) {
    this.settings = settings;
    this.apiUrl = settings.apiUrl.replace(/\/+$/, "");
  }

  /** Secret values to scrub from messages. */
  secrets(extra: readonly (Secret | null | undefined)[] = []): string[] {
    return [this.settings.token, ...(this.settings.otherSecrets ?? []), ...extra].filter((s): s is Secret => s != null).map((s) => s.reveal());
  }

  /** The pacer of one credential scope (each token has its own budgets on GitHub). */
  pacer(scope: string): Pacer {
    let pacer = this.#pacers.get(scope);
    if (!pacer) {
      const pacing = this.settings.pacing ?? {};
      pacer = new Pacer({ ...pacing, budgets: pacing.budgets ?? isGitHubDotCom(this.apiUrl), concurrency: this.settings.concurrency ?? 20 });
      this.#pacers.set(scope, pacer);
    }
    return pacer;
  }

  /** An Octokit for a credential (the configured token, another token, or none for Basic-auth calls). */
  octokit(token: Secret | null, options: { cache: boolean; secrets: () => readonly string[] }): GitHubOctokit {
    const scope = token === null ? "client-credentials" : credentialScope(token);
    const cache = options.cache ? this.settings.etagCache : undefined;
    return buildOctokit({
      baseUrl: this.apiUrl,
      token: token?.reveal(),
      pacer: this.pacer(scope),
      ...(cache ? { etags: { cache, scope } } : {}),
      rateLimitRetries: this.settings.rateLimitRetries ?? 3,
      serverErrorRetries: this.settings.serverErrorRetries ?? 3,
      retryAfterBaseMs: this.settings.retryAfterBaseMs ?? 1000,
      requestTimeoutMs: this.settings.requestTimeoutMs ?? 30_000,
      ...(this.settings.maxResponseBytes === undefined ? {} : { maxResponseBytes: this.settings.maxResponseBytes }),
      logger: this.settings.logger,
      secrets: options.secrets,
      userAgent: this.settings.userAgent ?? "sourcelinks",
    });
  }

  /** The Octokit of the configured token, built on first use. */
  main(): GitHubOctokit | null {
    const token = this.settings.token;
    if (token === null) return null;
    this.#main ??= this.octokit(token, { cache: true, secrets: () => this.secrets() });
    return this.#main;
  }

  /** Runs a call and converts any failure into an `HttpError` that holds no secret. */
  async call<T>(request: { method: string; url: string }, run: () => Promise<T>, extraSecrets: readonly (Secret | null)[] = []): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof HttpError) throw error;
      throw toHttpError(error, request, this.secrets(extraSecrets));
    }
  }

  /** An absolute API URL for previews. */
  url(path: string): string {
    return `${this.apiUrl}${path}`;
  }
}
