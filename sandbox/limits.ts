/**
 * GitHub's REST rate limits, enforced on the sandbox's `/github` mount when enabled
 * (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api):
 * - primary: 5,000 points per hour per token; a `304` to `If-None-Match` costs nothing;
 * - secondary: at most 100 concurrent requests; 900 points per minute per REST endpoint
 *   (GET/HEAD/OPTIONS 1 point, POST/PATCH/PUT/DELETE 5); 80 content-generating requests per minute and
 *   500 per hour. GitHub documents that limit for requests that create content and lists no methods
 *   for it: POST, PATCH and PUT are counted, a DELETE (which creates nothing) only by its points.
 *
 * Windows are fixed: each starts at the first request that needs it and lasts an hour or a minute of
 * GitHub time (see clock.ts for `timeScale`). The `x-ratelimit-*` headers are sent on every GitHub
 * answer, enforced or not, so clients can pace themselves on what they were told.
 */
import { resetEpochSeconds, retryAfterSeconds, type SandboxClock } from "./clock.js";
import type { Counters, RejectionReason } from "./counters.js";
import { MOUNTS } from "./env.js";

/** Limits of the GitHub mount; `enabled: false` (GHES's default) tracks and reports but never rejects. */
export interface LimitsConfig {
  enabled: boolean;
  primaryPointsPerHour: number;
  maxConcurrent: number;
  endpointPointsPerMinute: number;
  contentCreatingPerMinute: number;
  /** Content-creating requests per GitHub hour (GitHub: 500), counted apart from the minute's. */
  contentCreatingPerHour: number;
  /** GraphQL's own primary budget, in query cost points (separate from REST's). */
  graphqlPointsPerHour: number;
  /** Secondary points per minute on the GraphQL endpoint (a query is 1 point). */
  graphqlEndpointPointsPerMinute: number;
}

/** GitHub.com's documented values, with enforcement off. */
export const GITHUB_LIMITS: LimitsConfig = Object.freeze({
  enabled: false,
  primaryPointsPerHour: 5000,
  maxConcurrent: 100,
  endpointPointsPerMinute: 900,
  contentCreatingPerMinute: 80,
  contentCreatingPerHour: 500,
  graphqlPointsPerHour: 5000,
  graphqlEndpointPointsPerMinute: 2000,
});

/**
 * The GraphQL endpoint's key (`POST /github/graphql`). GitHub keeps its budgets apart from REST's
 * (https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api): a
 * primary budget in query cost points, and secondary points where a query (no mutation) is 1 point
 * and creates no content.
 */
export const GRAPHQL_ENDPOINT = `POST ${MOUNTS.github}/graphql`;

/** The GraphQL budget of one caller as the `rateLimit` object reports it. */
export interface GraphqlBudget {
  limit: number;
  used: number;
  remaining: number;
  /** Real epoch milliseconds when the window ends. */
  resetAtMs: number;
}

/** Who a request is charged to. */
export interface Caller {
  /** Stable key for windows (derived from the credential, never printed). */
  key: string;
  /** Safe label for counters, e.g. `pat:jdoe#1a2b3c4d`. */
  label: string;
  /** GitHub user id for the primary-limit message, when known. */
  userId: number | null;
}

/** A refusal, ready to send. */
export interface Rejection {
  status: 403 | 429;
  reason: RejectionReason;
  message: string;
  headers: Record<string, string>;
}

interface Window {
  endsAt: number;
  used: number;
}

const RATE_LIMIT_DOCS = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api";
const SECONDARY_MESSAGE = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";

/** Points a request costs against the secondary per-endpoint limit (GitHub: reads 1; POST, PATCH, PUT and DELETE 5). */
export function secondaryCost(method: string): number {
  return isContentCreating(method) || method === "DELETE" ? 5 : 1;
}

/** POST, PATCH and PUT count against GitHub's content-creation limit; a DELETE creates no content. */
export function isContentCreating(method: string): boolean {
  return method === "POST" || method === "PATCH" || method === "PUT";
}

/** The GitHub limiter of one sandbox server. */
export class GitHubLimiter {
  #config: LimitsConfig;
  #inFlight = 0;
  #primary = new Map<string, Window>();
  #graphql = new Map<string, Window>();
  #endpoint = new Map<string, Window>();
  #content = new Map<string, Window>();
  #contentHour = new Map<string, Window>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly counters: Counters,
    config: Partial<LimitsConfig> = {},
  ) {
    this.#config = { ...GITHUB_LIMITS, ...config };
  }

  /** The current configuration. */
  get config(): LimitsConfig {
    return { ...this.#config };
  }

  /** Changes limits at run time and starts every window afresh (a new benchmark phase gets full budgets). */
  configure(change: Partial<LimitsConfig>): LimitsConfig {
    this.#config = { ...this.#config, ...change };
    this.#primary.clear();
    this.#graphql.clear();
    this.#endpoint.clear();
    this.#content.clear();
    this.#contentHour.clear();
    return this.config;
  }

  /** Admits a request into the concurrency slot pool; call `leave()` exactly once when admitted. */
  enter(): Rejection | null {
    if (this.#config.enabled && this.#inFlight >= this.#config.maxConcurrent) {
      // GitHub gives no retry-after for concurrency; its docs say to wait at least a minute.
      const now = this.clock.now();
      return this.#secondary(
        "secondary-concurrency",
        429,
        now,
        now + this.clock.realMs(60),
        `at most ${this.#config.maxConcurrent} concurrent requests`,
      );
    }
    this.#inFlight++;
    this.counters.concurrency(this.#inFlight);
    return null;
  }

  /** Releases a concurrency slot. */
  leave(): void {
    this.#inFlight--;
  }

  /** Checks primary and secondary budgets for a request and spends its secondary points. */
  admit(caller: Caller, method: string, endpoint: string): Rejection | null {
    const now = this.clock.now();
    const enforce = this.#config.enabled;
    if (endpoint === GRAPHQL_ENDPOINT) return this.#admitGraphql(caller, now);
    const primary = this.#window(this.#primary, caller.key, now, 3600);
    if (enforce && primary.used >= this.#config.primaryPointsPerHour) {
      const who = caller.userId === null ? "this client" : `user ID ${caller.userId}`;
      return { status: 403, reason: "primary", message: `API rate limit exceeded for ${who}.`, headers: {} };
    }
    const writes = isContentCreating(method);
    const content = writes ? this.#window(this.#content, caller.key, now, 60) : null;
    const contentHour = writes ? this.#window(this.#contentHour, caller.key, now, 3600) : null;
    if (enforce && contentHour && contentHour.used >= this.#config.contentCreatingPerHour) {
      return this.#secondary(
        "secondary-content-creation",
        403,
        now,
        contentHour.endsAt,
        `at most ${this.#config.contentCreatingPerHour} content-creating requests per hour`,
      );
    }
    if (enforce && content && content.used >= this.#config.contentCreatingPerMinute) {
      return this.#secondary(
        "secondary-content-creation",
        403,
        now,
        content.endsAt,
        `at most ${this.#config.contentCreatingPerMinute} content-creating requests per minute`,
      );
    }
    const cost = secondaryCost(method);
    const points = this.#window(this.#endpoint, `${caller.key} ${endpoint}`, now, 60);
    if (enforce && points.used + cost > this.#config.endpointPointsPerMinute) {
      return this.#secondary(
        "secondary-points",
        403,
        now,
        points.endsAt,
        `at most ${this.#config.endpointPointsPerMinute} points per minute on ${endpoint}`,
      );
    }
    points.used += cost;
    if (content) content.used++;
    if (contentHour) contentHour.used++;
    this.counters.secondary(endpoint, cost, points.used);
    return null;
  }

  /** GraphQL's secondary points: 1 per query, its own per-minute limit, no content creation; its primary budget is spent by cost (`spendGraphql`). */
  #admitGraphql(caller: Caller, now: number): Rejection | null {
    const points = this.#window(this.#endpoint, `${caller.key} ${GRAPHQL_ENDPOINT}`, now, 60);
    if (this.#config.enabled && points.used + 1 > this.#config.graphqlEndpointPointsPerMinute) {
      return this.#secondary(
        "secondary-points",
        403,
        now,
        points.endsAt,
        `at most ${this.#config.graphqlEndpointPointsPerMinute} points per minute on ${GRAPHQL_ENDPOINT}`,
      );
    }
    points.used += 1;
    this.counters.secondary(GRAPHQL_ENDPOINT, 1, points.used);
    return null;
  }

  /** The caller's GraphQL budget now. */
  graphqlBudget(caller: Caller): GraphqlBudget {
    const window = this.#window(this.#graphql, caller.key, this.clock.now(), 3600);
    const limit = this.#config.graphqlPointsPerHour;
    return { limit, used: window.used, remaining: Math.max(0, limit - window.used), resetAtMs: window.endsAt };
  }

  /**
   * Spends a query's cost from the caller's GraphQL budget: false (nothing spent) when enforcement is
   * on and the cost does not fit in what remains, as GitHub refuses such a query with `RATE_LIMITED`.
   */
  spendGraphql(caller: Caller, cost: number): boolean {
    const window = this.#window(this.#graphql, caller.key, this.clock.now(), 3600);
    if (this.#config.enabled && window.used + cost > this.#config.graphqlPointsPerHour) {
      this.counters.rejection("graphql-primary");
      return false;
    }
    window.used += cost;
    this.counters.graphql(cost);
    return true;
  }

  /**
   * Charges the primary point after the answer is known: a 304 is free (GitHub's conditional requests).
   * A GraphQL query is charged its cost by its handler instead (`spendGraphql`).
   */
  charge(caller: Caller, status: number, endpoint?: string): void {
    if (status === 304 || endpoint === GRAPHQL_ENDPOINT) return;
    const primary = this.#window(this.#primary, caller.key, this.clock.now(), 3600);
    primary.used++;
    this.counters.primary(caller.label, 1);
  }

  /** The `x-ratelimit-*` headers GitHub sends on every answer: the GraphQL budget's on the GraphQL endpoint. */
  headers(caller: Caller, endpoint?: string): Record<string, string> {
    if (endpoint === GRAPHQL_ENDPOINT) {
      const budget = this.graphqlBudget(caller);
      return {
        "x-ratelimit-limit": String(budget.limit),
        "x-ratelimit-remaining": String(budget.remaining),
        "x-ratelimit-used": String(budget.used),
        "x-ratelimit-reset": String(resetEpochSeconds(budget.resetAtMs)),
        "x-ratelimit-resource": "graphql",
        "x-sandbox-ratelimit-reset-ms": String(Math.ceil(budget.resetAtMs)),
      };
    }
    const primary = this.#window(this.#primary, caller.key, this.clock.now(), 3600);
    const limit = this.#config.primaryPointsPerHour;
    return {
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": String(Math.max(0, limit - primary.used)),
      "x-ratelimit-used": String(primary.used),
      "x-ratelimit-reset": String(resetEpochSeconds(primary.endsAt)),
      "x-ratelimit-resource": "core",
      // Sandbox-only: the exact reset instant, since epoch seconds are coarse under a time scale.
      "x-sandbox-ratelimit-reset-ms": String(Math.ceil(primary.endsAt)),
    };
  }

  #window(map: Map<string, Window>, key: string, now: number, githubSeconds: number): Window {
    let w = map.get(key);
    if (!w || now >= w.endsAt) {
      w = { endsAt: now + this.clock.realMs(githubSeconds), used: 0 };
      map.set(key, w);
    }
    return w;
  }

  #secondary(reason: RejectionReason, status: 403 | 429, now: number, until: number, what: string): Rejection {
    return {
      status,
      reason,
      message: `${SECONDARY_MESSAGE} (sandbox: ${what})`,
      headers: {
        "retry-after": String(retryAfterSeconds(now, until)),
        "x-sandbox-retry-after-ms": String(Math.max(0, Math.ceil(until - now))),
      },
    };
  }
}

/** GitHub's error body for a rate-limit refusal. */
export function rateLimitBody(message: string): { message: string; documentation_url: string } {
  return { message, documentation_url: RATE_LIMIT_DOCS };
}
