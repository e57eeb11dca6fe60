/**
 * Bitbucket Cloud 2.0 as a `SourceProviderClient`: repository webhooks and deploy keys over
 * `fetch`, following `next`, errors as redacted `HttpError`. Credentials as Bitbucket Cloud takes them
 * since app passwords were removed (2026-07-28): an API token with scopes, as Basic with the Atlassian
 * account's email; or a workspace or repository access token, as Bearer.
 */
import type { PlannedRequest } from "../../reconcile/model.js";
import { HttpError } from "../http-error.js";
import { JsonHttp, assertSameOrigin } from "../json-http.js";
import { Secret } from "../secret.js";
import type { RepositoryListing, SourceProviderClient } from "../types.js";
import {
  bitbucketErrorMessage,
  toObservedDeployKey,
  toObservedWebhook,
  type BitbucketDeployKeyWire,
  type BitbucketHookWire,
  type BitbucketPageWire,
} from "./wire.js";
import type { ObservedDeployKey, ObservedWebhook } from "../../reconcile/model.js";

/** How to reach Bitbucket. */
export interface BitbucketClientOptions {
  /** Base URL including `/2.0`, e.g. `https://api.bitbucket.org/2.0`. */
  apiUrl: string;
  /** The Atlassian account's email for an API token; empty to send `token` as a Bearer access token. */
  username: string;
  /** API token or access token; null sends no credentials (only public data is readable). */
  token: Secret | null;
  /** Maximum requests in flight; default 8. */
  concurrency?: number;
  /** Transport tuning: retries and the per-attempt timeout; tests also inject sleep and fetch. */
  transport?: { retries?: number; sleep?: (ms: number) => Promise<void>; fetch?: typeof fetch; timeoutMs?: number };
}

/** Bitbucket's maximum `pagelen` for these collections: fewest requests per repository. */
const PAGELEN = 100;

/** Creates a Bitbucket client. No I/O happens until a method is called. */
export function createBitbucketClient(options: BitbucketClientOptions): SourceProviderClient {
  return new BitbucketClient(options);
}

/** `SourceProviderClient` for Bitbucket Cloud. */
export class BitbucketClient implements SourceProviderClient {
  readonly kind = "bitbucket" as const;
  readonly #base: string;
  readonly #http: JsonHttp;

  constructor(options: BitbucketClientOptions) {
    this.#base = options.apiUrl.replace(/\/+$/, "");
    const token = options.token;
    const basic = token && options.username !== "" ? new Secret(Buffer.from(`${options.username}:${token.reveal()}`).toString("base64")) : null;
    this.#http = new JsonHttp({
      service: "bitbucket",
      authorization: basic ? new Secret(`Basic ${basic.reveal()}`) : token ? new Secret(`Bearer ${token.reveal()}`) : null,
      secrets: [...(token ? [token] : []), ...(basic ? [basic] : [])],
      errorDetail: (body) => withCredentialAdvice(bitbucketErrorMessage(body), basic !== null && !options.username.includes("@")),
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...options.transport,
    });
  }

  /** The repository's webhooks, every page; `exists: false` when the repository is gone or invisible (404). */
  async listWebhooks(repository: string): Promise<RepositoryListing<ObservedWebhook>> {
    const hooks = await this.#listAll<BitbucketHookWire>(`${this.#repo(repository)}/hooks?pagelen=${PAGELEN}`);
    return hooks === null ? { exists: false, items: [] } : { exists: true, items: hooks.map(toObservedWebhook) };
  }

  /** Deletes a webhook by uuid (braces optional); `gone` when it was already deleted. */
  deleteWebhook(repository: string, hookId: string): Promise<"deleted" | "gone"> {
    return this.#delete(this.describeDeleteWebhook(repository, hookId).url);
  }

  /** The repository's deploy keys, every page; `exists: false` on 404. */
  async listDeployKeys(repository: string): Promise<RepositoryListing<ObservedDeployKey>> {
    const keys = await this.#listAll<BitbucketDeployKeyWire>(`${this.#repo(repository)}/deploy-keys?pagelen=${PAGELEN}`);
    return keys === null ? { exists: false, items: [] } : { exists: true, items: keys.map(toObservedDeployKey) };
  }

  /** Deletes a deploy key by id; `gone` when it was already deleted. */
  deleteDeployKey(repository: string, keyId: string): Promise<"deleted" | "gone"> {
    return this.#delete(this.describeDeleteDeployKey(repository, keyId).url);
  }

  /** `DELETE /repositories/{workspace}/{repo_slug}/hooks/{uid}`, uid being the brace-wrapped uuid, URL-encoded. */
  describeDeleteWebhook(repository: string, hookId: string): PlannedRequest {
    const uuid = hookId.startsWith("{") ? hookId : `{${hookId}}`;
    return { method: "DELETE", url: `${this.#repo(repository)}/hooks/${encodeURIComponent(uuid)}` };
  }

  /** `DELETE /repositories/{workspace}/{repo_slug}/deploy-keys/{key_id}`. */
  describeDeleteDeployKey(repository: string, keyId: string): PlannedRequest {
    return { method: "DELETE", url: `${this.#repo(repository)}/deploy-keys/${encodeURIComponent(keyId)}` };
  }

  /** Every value of a paginated collection, or null when its repository answers 404. */
  async #listAll<T>(first: string): Promise<T[] | null> {
    const values: T[] = [];
    const seen = new Set<string>();
    let url: string | undefined = first;
    while (url !== undefined) {
      if (seen.has(url)) throw new HttpError({ status: 0, service: "bitbucket", method: "GET", url, detail: "pagination loops back to a page already read" });
      seen.add(url);
      let page: BitbucketPageWire<T>;
      try {
        page = (await this.#http.request<BitbucketPageWire<T>>("GET", url)).body;
      } catch (error) {
        if (error instanceof HttpError && error.isGone && values.length === 0) return null;
        throw error;
      }
      values.push(...page.values);
      url = page.next === undefined ? undefined : assertSameOrigin("bitbucket", this.#base, page.next);
    }
    return values;
  }

  async #delete(url: string): Promise<"deleted" | "gone"> {
    try {
      await this.#http.request("DELETE", url);
      return "deleted";
    } catch (error) {
      if (error instanceof HttpError && error.isGone) return "gone";
      throw error;
    }
  }

  #repo(repository: string): string {
    const parts = repository.split("/");
    if (parts.length !== 2 || parts.some((p) => p === "")) {
      throw new TypeError(`bitbucket: repository must be "workspace/repo_slug", got "${repository}"`);
    }
    return `${this.#base}/repositories/${encodeURIComponent(parts[0]!)}/${encodeURIComponent(parts[1]!)}`;
  }
}

/** What to use instead of an app password, appended to Bitbucket's answer when it is about credentials. */
export const BITBUCKET_CREDENTIAL_ADVICE =
  "Bitbucket removed app passwords on 2026-07-28: set BITBUCKET_EMAIL to your Atlassian account's email and BITBUCKET_API_TOKEN to an API token with scopes " +
  "(or only BITBUCKET_API_TOKEN to a workspace or repository access token; the YAML's providers.bitbucket usernameEnv and tokenEnv name these variables)";

/**
 * Bitbucket's message, plus the advice when it says an app password was refused, or when credentials
 * were refused and the Basic user name is not an email (an app password's user name, most likely).
 */
function withCredentialAdvice(message: string | null, basicWithoutEmail: boolean): string | null {
  if (message === null) return null;
  const appPassword = /app passwords?/i.test(message);
  const refused = basicWithoutEmail && /invalid credentials|authentication required|unauthori[sz]ed/i.test(message);
  return appPassword || refused ? `${message} ${BITBUCKET_CREDENTIAL_ADVICE}` : message;
}
