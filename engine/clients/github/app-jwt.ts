/**
 * The JWTs a GitHub App authenticates its app-level calls with
 * (https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app),
 * signed by `@octokit/auth-app` and dated on GitHub's clock as far as it is known. GitHub refuses a
 * JWT issued in its future or expiring more than 10 minutes after its now, so a machine whose clock
 * is a minute off is refused: `iat` is set 60 s in the past and `exp` 9 minutes ahead (GitHub's
 * 10 minutes after `iat`), and when GitHub refuses a JWT for its dates, the offset to GitHub's clock is taken
 * from the answer's `Date` header and the call is made once more with a JWT dated on it.
 * Every JWT joins the run's redaction set before it is sent.
 */
import { createAppAuth } from "@octokit/auth-app";
import { redactText } from "../../model/redaction.js";
import type { SecretSet } from "../../model/secret.js";
import { HttpError } from "../http-error.js";
import { AppJwtRefusedError, GitHubAppSetupError } from "./app-errors.js";
import { toHttpError } from "./errors.js";

/** How far before now `iat` is set, against clock drift (GitHub's recommendation); `exp` is 10 minutes after `iat`. */
const IAT_BACKDATE_SECONDS = 60;
/** How far before its `now` auth-app (universal-github-app-jwt) sets `iat` on its own. */
const LIBRARY_BACKDATE_SECONDS = 30;
/** How long one JWT is reused, well within its 9 minutes. */
const REUSE_MS = 5 * 60_000;

/** GitHub's refusals of a JWT's dates name the claim: `'Issued at' claim ('iat') …`, `'Expiration time' claim ('exp') …`. */
const CLOCK_REFUSAL = /'(Issued at|Expiration time)' claim/;

/** What the JWTs need: the app, its key and where the key came from, the run's redaction set and the clock. */
export interface AppJwtSource {
  appId: number;
  /** The key's source as the config names it (`the env var …`, `the file …`), for errors. */
  keySource: string;
  privateKey(): Promise<string>;
  secrets: SecretSet;
  /** Epoch milliseconds of the local clock. */
  now(): number;
}

/** The response parts of a failed Octokit request read here. */
interface FailedRequest {
  status?: unknown;
  request?: { method?: string; url?: string };
  response?: { headers?: Record<string, unknown>; data?: unknown };
}

/** The JWTs of one app, with the offset to GitHub's clock learnt from its refusals. */
export class AppJwts {
  readonly #source: AppJwtSource;
  /** GitHub's clock minus the local clock, in ms, once a refusal told it. */
  #offsetMs = 0;
  #held: { jwt: string; reuseUntil: number } | null = null;

  constructor(source: AppJwtSource) {
    this.#source = source;
  }

  /**
   * Runs an app-level call with `Authorization: bearer <jwt>`; after a refusal of the JWT's dates,
   * once more on GitHub's clock. Every failure leaves as a redacted `HttpError` (an `AppJwtRefusedError`
   * for any other 401) or a `GitHubAppSetupError`.
   */
  async call<T>(fallback: { method: string; url: string }, send: (authorization: string) => Promise<T>): Promise<T> {
    try {
      try {
        return await send(`bearer ${await this.#jwt()}`);
      } catch (error) {
        const offset = this.#clockOffset(error);
        if (offset === null) throw error;
        this.#offsetMs = offset;
        this.#held = null;
        return await send(`bearer ${await this.#jwt()}`);
      }
    } catch (error) {
      throw this.#failure(error, fallback);
    }
  }

  /** The offset to GitHub's clock an answer tells, when it refused the JWT's dates; else null. */
  #clockOffset(error: unknown): number | null {
    const failed = error as FailedRequest;
    if (failed.status !== 401) return null;
    const message = (failed.response?.data as { message?: unknown } | undefined)?.message;
    if (typeof message !== "string" || !CLOCK_REFUSAL.test(message)) return null;
    const date = failed.response?.headers?.["date"];
    const server = typeof date === "string" ? Date.parse(date) : Number.NaN;
    return Number.isFinite(server) ? server - this.#source.now() : null;
  }

  /** A failure as the one error type the clients throw, holding no credential. */
  #failure(error: unknown, fallback: { method: string; url: string }): Error {
    if (error instanceof GitHubAppSetupError || error instanceof HttpError) return error;
    const secrets = this.#source.secrets.values();
    const converted = toHttpError(error, fallback, secrets);
    if (converted.status !== 401) return converted;
    return new AppJwtRefusedError({
      appId: this.#source.appId,
      keySource: this.#source.keySource,
      dates: CLOCK_REFUSAL.test(converted.detail ?? ""),
      method: converted.method,
      url: converted.url,
      detail: converted.detail,
      secrets,
    });
  }

  /** The held JWT while it is fresh, else a new one (added to the redaction set before it is returned). */
  async #jwt(): Promise<string> {
    const now = this.#source.now();
    if (this.#held && now < this.#held.reuseUntil) return this.#held.jwt;
    const privateKey = await this.#source.privateKey();
    // auth-app dates a JWT `iat = now - 30`, `exp = iat + 600`, with `now = Date.now() + timeDifference`:
    // its now is set 30 s before GitHub's, so `iat` is 60 s before GitHub's now and `exp` 540 s after.
    const githubNow = now + this.#offsetMs;
    const timeDifference = Math.round((githubNow - Date.now()) / 1000) - (IAT_BACKDATE_SECONDS - LIBRARY_BACKDATE_SECONDS);
    let jwt: string;
    try {
      const auth = createAppAuth({ appId: this.#source.appId, privateKey, timeDifference, log: { warn: () => undefined } });
      jwt = (await auth({ type: "app" })).token;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new GitHubAppSetupError(
        `github: cannot sign a JWT for the GitHub App ${this.#source.appId} with the private key from ${this.#source.keySource}: ` +
          redactText(reason, this.#source.secrets.values()),
      );
    }
    this.#source.secrets.derive(jwt);
    this.#held = { jwt, reuseUntil: now + REUSE_MS };
    return jwt;
  }
}
