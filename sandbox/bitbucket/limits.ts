/**
 * Bitbucket Cloud's "Access to webhook data" limit, enforced on the sandbox's `/bitbucket/2.0` mount
 * (support.atlassian.com/bitbucket-cloud/docs/api-request-limits): 1,000 requests an hour per user,
 * not scaled by the workspace's seats, counting the webhook listings and writes (list, create, update,
 * delete). Bitbucket's windows roll: a request counts for the hour after it arrived, so the budget frees
 * up one request at a time, never all at once. The hour is Bitbucket time on the sandbox clock
 * (clock.ts: with `timeScale` S it lasts 3600 / S real seconds).
 *
 * Past the limit Bitbucket answers 429 "Rate limit for this resource has been exceeded." with no
 * `Retry-After`; it states its budget in `X-RateLimit-Limit`, `X-RateLimit-Resource` and
 * `X-RateLimit-NearLimit` (true once fewer than a fifth of the requests remain), and says nothing of
 * what remains or when it frees, so a client paces itself by its own count.
 */
import { createHash } from "node:crypto";
import type { SandboxClock } from "../clock.js";
import type { Counters } from "../counters.js";
import { MOUNTS } from "../env.js";
import type { World } from "../world.js";

/** The webhook-data limit of the Bitbucket mount. */
export interface BitbucketLimitsConfig {
  /** Whether the limit refuses requests; off still counts and sends the headers. Default true (Bitbucket Cloud has no unlimited tier). */
  enabled: boolean;
  /** Webhook-data requests per user per rolling Bitbucket hour. */
  webhookRequestsPerHour: number;
}

/** Bitbucket Cloud's documented value, enforced. */
export const BITBUCKET_LIMITS: BitbucketLimitsConfig = Object.freeze({ enabled: true, webhookRequestsPerHour: 1000 });

/** The name the sandbox gives the limited resource in `X-RateLimit-Resource`. */
export const WEBHOOK_DATA_RESOURCE = "webhooks";

/** Bitbucket's text for a request past a limit. */
export const RATE_LIMITED_MESSAGE = "Rate limit for this resource has been exceeded.";

const HOOKS = `${MOUNTS.bitbucket}/repositories/:workspace/:repo_slug/hooks`;

/** The endpoint keys (`METHOD /mount/pattern`) that count against the webhook-data limit: listings and writes. */
export const WEBHOOK_DATA_ENDPOINTS: ReadonlySet<string> = new Set([
  `GET ${HOOKS}`,
  `POST ${HOOKS}`,
  `PUT ${HOOKS}/:uid`,
  `DELETE ${HOOKS}/:uid`,
]);

/** A refusal, ready to send. */
export interface BitbucketRejection {
  status: 429;
  message: string;
  headers: Record<string, string>;
}

/**
 * Whom a request is counted against, or null for a request without usable credentials (Bitbucket
 * counts those per IP address, against another limit the sandbox does not model). A user (Basic
 * `email:API token`, or an OAuth grant's token) by account; an access token by itself, since each has
 * its own allowance. The key never holds a credential.
 */
export function bitbucketRateKey(authorization: string | undefined, world: World): string | null {
  const header = authorization ?? "";
  const users = world.bitbucket.users;
  const basic = /^Basic\s+(\S+)\s*$/i.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const user = colon < 0 ? undefined : users.find((u) => u.email === decoded.slice(0, colon) && u.apiToken === decoded.slice(colon + 1));
    return user ? `user:${user.username}` : null;
  }
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (bearer === undefined) return null;
  const user = users.find((u) => u.grants.some((g) => g.accessToken === bearer && !g.revoked));
  if (user) return `user:${user.username}`;
  const access = (world.bitbucket.accessTokens ?? []).some((t) => t.token === bearer);
  return access ? `token:${createHash("sha256").update(bearer).digest("hex").slice(0, 16)}` : null;
}

/** The webhook-data limiter of one sandbox server. */
export class BitbucketLimiter {
  #config: BitbucketLimitsConfig;
  /** Arrival times (sandbox clock, real ms) of each caller's counted requests, oldest first. */
  readonly #arrivals = new Map<string, number[]>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly counters: Counters,
    config: Partial<BitbucketLimitsConfig> = {},
  ) {
    this.#config = { ...BITBUCKET_LIMITS, ...config };
  }

  /** The current configuration. */
  get config(): BitbucketLimitsConfig {
    return { ...this.#config };
  }

  /** Changes the limit at run time and forgets every request counted so far (a new benchmark phase starts with a full hour). */
  configure(change: Partial<BitbucketLimitsConfig>): BitbucketLimitsConfig {
    this.#config = { ...this.#config, ...change };
    this.#arrivals.clear();
    return this.config;
  }

  /** Whether requests to `endpoint` count against the webhook-data limit. */
  counts(endpoint: string): boolean {
    return WEBHOOK_DATA_ENDPOINTS.has(endpoint);
  }

  /** Counts a request of `caller`, or refuses it (not counted) when the rolling hour is full and the limit enforced. */
  admit(caller: string): BitbucketRejection | null {
    const arrivals = this.#window(caller);
    if (this.#config.enabled && arrivals.length >= this.#config.webhookRequestsPerHour) {
      this.counters.rejection("bitbucket-webhook-data");
      return { status: 429, message: RATE_LIMITED_MESSAGE, headers: this.headers(caller) };
    }
    arrivals.push(this.clock.now());
    this.counters.bitbucketWebhookData(arrivals.length);
    return null;
  }

  /** The headers Bitbucket sends with a limited resource's answers. */
  headers(caller: string): Record<string, string> {
    const limit = this.#config.webhookRequestsPerHour;
    const remaining = limit - this.#window(caller).length;
    return {
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-resource": WEBHOOK_DATA_RESOURCE,
      "x-ratelimit-nearlimit": String(remaining < limit / 5),
    };
  }

  /** The caller's arrivals within the last Bitbucket hour (older ones dropped). */
  #window(caller: string): number[] {
    let arrivals = this.#arrivals.get(caller);
    if (!arrivals) {
      arrivals = [];
      this.#arrivals.set(caller, arrivals);
    }
    const since = this.clock.now() - this.clock.realMs(3600);
    let expired = 0;
    while (expired < arrivals.length && arrivals[expired]! <= since) expired++;
    if (expired > 0) arrivals.splice(0, expired);
    return arrivals;
  }
}
