/**
 * What the three GitHub clients of one world share: settings, the pacer of each credential, the
 * ETag cache and a lazily built Octokit for the configured token.
 */
import { credentialScope, type EtagCache } from "../etag-cache.js";
import { HttpError } from "../http-error.js";
import { Pacer, type PacingOptions } from "../pacer.js";
import { SecretSet, type Secret } from "../../model/secret.js";
import { toHttpError } from "./errors.js";
import { buildOctokit, type GitHubOctokit, type OctokitSetup } from "./octokit.js";
import { GitHubAppCredentials } from "./app-credentials.js";
import { GitHubAppSetupError } from "./app-errors.js";
import { acceptedPermissions, MissingPermissionError } from "./missing-permission-error.js";
import type { GitHubAppSettings } from "../../model/client-settings.js";

/** GitHub's message for a request an installation's permissions do not cover. */
const NOT_ACCESSIBLE = "Resource not accessible by integration";
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
  /**
   * A GitHub App instead of `token`: each owner's requests go through its installation, each with its
   * own pacer (its own rate budget on GitHub) and ETag scope (whose ETags are sent only with the token
   * they were issued to: a new installation token pays its listings in full, see clients/github/octokit.ts).
   */
  app?: GitHubAppSettings;
  /** The app's clock for token expiry and JWT dates, in epoch ms; only tests change it. Default `Date.now`. */
  appClock?: () => number;
  /** The world's other credentials (build service, Bitbucket), also removed from every answer and error. */
  otherSecrets?: readonly Secret[];
  /**
   * The run's redaction set, shared with the world's other clients: the credentials derived at run
   * time (the app's key, JWTs and installation tokens; the OAuth credentials a grant check sends) join
   * it, and every answer and error is redacted of it. A set of this context's own when absent.
   */
  secretSet?: SecretSet;
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
  #app: GitHubAppCredentials | null = null;
  #installations = new Map<number, GitHubOctokit>();
  /** The run's redaction set (settings.secretSet, or this context's own). */
  readonly secretSet: SecretSet;

  constructor(settings: GitHubClientSettings) {
    this.settings = settings;
    this.apiUrl = settings.apiUrl.replace(/\/+$/, "");
    this.secretSet = settings.secretSet ?? new SecretSet();
  }

  /** The last list without `extra`, for as long as the run's set lists the same values. */
  #secretsMemo: { setValues: readonly string[]; list: readonly string[] } | null = null;

  /** Secret values to scrub from messages: the configured ones, `extra`, and every one in the run's redaction set. */
  secrets(extra: readonly (Secret | null | undefined)[] = []): readonly string[] {
    const setValues = this.secretSet.values();
    if (extra.length === 0 && this.#secretsMemo?.setValues === setValues) return this.#secretsMemo.list;
    const values = [this.settings.token, ...(this.settings.otherSecrets ?? []), ...extra]
      .filter((s): s is Secret => s != null)
      .map((s) => s.reveal());
    // Deduplicated: the run's set usually holds the configured credentials too.
    const list = [...new Set([...values, ...setValues])];
    // The same array each time, so the redactor built for it is found by identity.
    if (extra.length === 0) this.#secretsMemo = { setValues, list };
    return list;
  }

  /** Whether calls go through a GitHub App's installations. */
  get usesApp(): boolean {
    return this.settings.app !== undefined;
  }

  /** The GitHub App's credentials, built on first use (its app-level calls have their own pacer). */
  app(): GitHubAppCredentials | null {
    const app = this.settings.app;
    if (app === undefined) return null;
    if (this.#app === null) {
      const jwtCalls = buildOctokit({ ...this.#setup(`app:${app.appId}`, () => this.secrets()), token: undefined });
      this.#app = new GitHubAppCredentials(app, {
        request: jwtCalls.request,
        secrets: this.secretSet,
        ...(this.settings.appClock ? { now: this.settings.appClock } : {}),
      });
    }
    return this.#app;
  }

  /**
   * The Octokit for requests about an owner's repositories or org: with a GitHub App, that owner's
   * installation (found on first use); otherwise the configured token's. Null when neither is configured.
   */
  async forOwner(owner: string): Promise<GitHubOctokit | null> {
    const app = this.app();
    if (app === null) return this.main();
    return this.#installation(await app.installationOf(owner));
  }

  /**
   * The Octokit for requests about no owner in particular (`GET /users/{login}`): with a GitHub App,
   * an installation already known (configured or looked up), else the installation of `fallbackOwner`.
   */
  async anyOwner(fallbackOwner: string): Promise<GitHubOctokit | null> {
    const app = this.app();
    if (app === null) return this.main();
    const known = app.knownInstallation();
    return this.#installation(known ?? (await app.installationOf(fallbackOwner)));
  }

  #installation(id: number): GitHubOctokit {
    let octokit = this.#installations.get(id);
    if (!octokit) {
      const app = this.app()!;
      // Scoped by installation: budgets outlive each hourly token; cached ETags are the token's (octokit.ts).
      const scope = `installation:${app.appId}:${id}`;
      const cache = this.settings.etagCache;
      octokit = buildOctokit({
        ...this.#setup(scope, () => this.secrets()),
        token: undefined,
        credential: { token: () => app.token(id), rejected: (token) => app.rejected(id, token) },
        ...(cache ? { etags: { cache, scope } } : {}),
      });
      this.#installations.set(id, octokit);
    }
    return octokit;
  }

  /** The pacer of one credential scope (each token has its own budgets on GitHub). */
  pacer(scope: string): Pacer {
    let pacer = this.#pacers.get(scope);
    if (!pacer) {
      const pacing = this.settings.pacing ?? {};
      pacer = new Pacer({
        ...pacing,
        budgets: pacing.budgets ?? isGitHubDotCom(this.apiUrl),
        concurrency: this.settings.concurrency ?? 20,
      });
      this.#pacers.set(scope, pacer);
    }
    return pacer;
  }

  /** An Octokit for a credential (the configured token, another token, or none for Basic-auth calls). */
  octokit(token: Secret | null, options: { cache: boolean; secrets: () => readonly string[] }): GitHubOctokit {
    const scope = token === null ? "client-credentials" : credentialScope(token);
    const cache = options.cache ? this.settings.etagCache : undefined;
    return buildOctokit({
      ...this.#setup(scope, options.secrets),
      token: token?.reveal(),
      ...(cache ? { etags: { cache, scope } } : {}),
    });
  }

  /** What every Octokit of this context shares, for one pacing scope. */
  #setup(scope: string, secrets: () => readonly string[]): Omit<OctokitSetup, "token"> {
    return {
      baseUrl: this.apiUrl,
      pacer: this.pacer(scope),
      rateLimitRetries: this.settings.rateLimitRetries ?? 3,
      serverErrorRetries: this.settings.serverErrorRetries ?? 3,
      retryAfterBaseMs: this.settings.retryAfterBaseMs ?? 1000,
      requestTimeoutMs: this.settings.requestTimeoutMs ?? 30_000,
      ...(this.settings.maxResponseBytes === undefined ? {} : { maxResponseBytes: this.settings.maxResponseBytes }),
      logger: this.settings.logger,
      secrets,
      userAgent: this.settings.userAgent ?? "sourcelinks",
    };
  }

  /** The Octokit of the configured token, built on first use. */
  main(): GitHubOctokit | null {
    const token = this.settings.token;
    if (token === null) return null;
    this.#main ??= this.octokit(token, { cache: true, secrets: () => this.secrets() });
    return this.#main;
  }

  /**
   * Runs a call and converts any failure into an `HttpError` that holds no secret. `about` names the
   * owner whose installation made the call and what it was for: with a GitHub App, a 403 naming the
   * permissions GitHub accepts becomes a `MissingPermissionError` saying so.
   */
  async call<T>(
    request: { method: string; url: string },
    run: () => Promise<T>,
    extraSecrets: readonly (Secret | null)[] = [],
    about?: { owner: string; needed: string },
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      // A setup error of the app's own credentials (its key file, its installation) is no answer of GitHub's.
      if (error instanceof HttpError || error instanceof GitHubAppSetupError) throw error;
      const converted = toHttpError(error, request, this.secrets(extraSecrets));
      if (about && this.usesApp && converted.status === 403) {
        const headers = (error as { response?: { headers?: Record<string, unknown> } }).response?.headers;
        const permission = acceptedPermissions(headers);
        if (permission !== null || (converted.detail ?? "").includes(NOT_ACCESSIBLE)) {
          throw new MissingPermissionError({
            ...about,
            permission,
            method: converted.method,
            url: converted.url,
            detail: converted.detail,
            secrets: this.secrets(extraSecrets),
          });
        }
      }
      throw converted;
    }
  }

  /** An absolute API URL for previews. */
  url(path: string): string {
    return `${this.apiUrl}${path}`;
  }
}
