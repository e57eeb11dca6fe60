/**
 * Request counters (docs/performance.md): what the benchmark and tests read to prove request floors,
 * 0-point refreshes (every answer a 304) and that no request was rejected for a knowable limit.
 */

/** Services the sandbox serves (admin requests are never counted). */
export type ServiceName = "github" | "bitbucket" | "build-service" | "docker-hub";

/** Why the sandbox refused a request before its handler ran. */
export type RejectionReason =
  | "primary"
  | "secondary-concurrency"
  | "secondary-points"
  | "secondary-content-creation"
  /** A GraphQL query whose cost did not fit in the caller's GraphQL budget (answered `RATE_LIMITED`). */
  | "graphql-primary"
  /** Bitbucket's "Access to webhook data" limit (bitbucket/limits.ts), answered 429. */
  | "bitbucket-webhook-data"
  | "injected";

/** Secondary-limit points of one REST endpoint (summed over tokens). */
export interface EndpointPoints {
  /** Points spent in the endpoint's current one-minute (GitHub time) window. */
  currentWindow: number;
  /** The highest any window reached (GitHub allows 900). */
  peakWindow: number;
  /** All points ever spent on the endpoint. */
  total: number;
}

/** A JSON-ready copy of the counters (`GET /_sandbox/counters`). */
export interface CountersSnapshot {
  requests: number;
  byService: Record<string, number>;
  /** Keyed `METHOD /mount/route-pattern`, e.g. `GET /github/repos/:owner/:repo/hooks`. */
  byEndpoint: Record<string, number>;
  byStatus: Record<string, number>;
  /** GitHub primary points by token label (`pat:jdoe#1a2b3c4d`: kind, login, a hash prefix, never the token). */
  primaryPointsByToken: Record<string, number>;
  /** GitHub secondary points per endpoint key. */
  secondaryPoints: Record<string, EndpointPoints>;
  /** Answers `304 Not Modified` (free of primary points on GitHub). */
  notModified: number;
  rejections: Record<RejectionReason, number>;
  /** Most GitHub requests ever in flight at once. */
  peakConcurrency: number;
  /** GraphQL queries executed (charged) and the cost points they spent, GraphQL's own budget. */
  graphql: { queries: number; points: number };
  /**
   * Bitbucket webhook-data requests (listings and writes, summed over users): `currentWindow` is the
   * last counted caller's rolling hour, `peakWindow` the most any caller's rolling hour ever held
   * (Bitbucket allows 1,000).
   */
  bitbucketWebhookData: EndpointPoints;
}

function emptyRejections(): Record<RejectionReason, number> {
  return {
    primary: 0,
    "secondary-concurrency": 0,
    "secondary-points": 0,
    "secondary-content-creation": 0,
    "graphql-primary": 0,
    "bitbucket-webhook-data": 0,
    injected: 0,
  };
}

/** Mutable counters owned by one sandbox server. */
export class Counters {
  #s: CountersSnapshot = Counters.#empty();

  static #empty(): CountersSnapshot {
    return {
      requests: 0,
      byService: {},
      byEndpoint: {},
      byStatus: {},
      primaryPointsByToken: {},
      secondaryPoints: {},
      notModified: 0,
      rejections: emptyRejections(),
      peakConcurrency: 0,
      graphql: { queries: 0, points: 0 },
      bitbucketWebhookData: { currentWindow: 0, peakWindow: 0, total: 0 },
    };
  }

  /** Counts one request arriving at a service endpoint. */
  request(service: ServiceName, endpoint: string): void {
    this.#s.requests++;
    bump(this.#s.byService, service);
    bump(this.#s.byEndpoint, endpoint);
  }

  /** Counts one answer by status. */
  response(status: number): void {
    bump(this.#s.byStatus, String(status));
    if (status === 304) this.#s.notModified++;
  }

  /** Counts a refusal. */
  rejection(reason: RejectionReason): void {
    this.#s.rejections[reason]++;
  }

  /** Records primary points charged to a token. */
  primary(tokenLabel: string, points: number): void {
    bump(this.#s.primaryPointsByToken, tokenLabel, points);
  }

  /** Records secondary points spent on an endpoint; `windowPoints` is that window's total after the charge. */
  secondary(endpoint: string, points: number, windowPoints: number): void {
    const entry = (this.#s.secondaryPoints[endpoint] ??= { currentWindow: 0, peakWindow: 0, total: 0 });
    entry.currentWindow = windowPoints;
    entry.peakWindow = Math.max(entry.peakWindow, windowPoints);
    entry.total += points;
  }

  /** Records one executed GraphQL query and its cost. */
  graphql(points: number): void {
    this.#s.graphql.queries++;
    this.#s.graphql.points += points;
  }

  /** Records one Bitbucket webhook-data request; `windowRequests` is its caller's rolling hour after it. */
  bitbucketWebhookData(windowRequests: number): void {
    const entry = this.#s.bitbucketWebhookData;
    entry.currentWindow = windowRequests;
    entry.peakWindow = Math.max(entry.peakWindow, windowRequests);
    entry.total++;
  }

  /** Records the current number of GitHub requests in flight. */
  concurrency(inFlight: number): void {
    this.#s.peakConcurrency = Math.max(this.#s.peakConcurrency, inFlight);
  }

  /** A deep copy, safe to serialize and to keep. */
  snapshot(): CountersSnapshot {
    return structuredClone(this.#s);
  }

  /** Back to zero. */
  reset(): void {
    this.#s = Counters.#empty();
  }
}

function bump(record: Record<string, number>, key: string, by = 1): void {
  record[key] = (record[key] ?? 0) + by;
}
