/**
 * The floor GitHub's documented limits put under a run's wall time (docs/performance.md), computed from the
 * requests the work NEEDS (not from what the client sent, so a wasteful client cannot raise its own floor).
 *
 * A budget of B points per window W (GitHub time), fully available when the run starts, lets N points
 * through no sooner than (ceil(N / B) − 1) × W: the last window's requests can go as soon as it opens.
 * That is the floor used for ratios ("burst floor"). The looser rate form is N / B × W
 * ("1,000 deletes ≥ 12.5 GitHub-minutes"), reported alongside as `rateFloor`; the burst floor is never
 * larger, so a ratio against it is the stricter check. Real seconds = GitHub seconds / timeScale, plus
 * one round trip (the last request still has to be answered), and never less than the concurrency
 * bound: requests × latency / max concurrent.
 */

/** Requests the work needs on one REST endpoint. */
export interface EndpointNeed {
  /** Route template, e.g. `GET /repos/{owner}/{repo}/hooks`. */
  endpoint: string;
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  requests: number;
}

/** The limits a floor is computed under (GitHub.com's documented values unless stated otherwise). */
export interface FloorLimits {
  primaryPointsPerHour: number;
  endpointPointsPerMinute: number;
  contentCreatingPerMinute: number;
  /** GitHub: 500; absent, no hourly content-creation budget (a server that has none). */
  contentCreatingPerHour?: number;
  maxConcurrent: number;
}

/** One budget's contribution to the floor. */
export interface FloorTerm {
  budget: string;
  points: number;
  limit: number;
  windowGitHubSeconds: number;
  burstGitHubSeconds: number;
  rateGitHubSeconds: number;
}

/** A computed floor. */
export interface Floor {
  /** Real seconds no client can beat under these limits (burst form). */
  seconds: number;
  /** Real seconds by the looser rate form (docs/performance.md). */
  rateSeconds: number;
  /** The budget that binds (largest burst term), or `concurrency` when latency does. */
  binding: string;
  terms: FloorTerm[];
  concurrencyBoundSeconds: number;
  formula: string;
}

/** The formula, as written into results.json. */
export const FLOOR_FORMULA =
  "floor = max( max_b (ceil(points_b / limit_b) - 1) * window_b / timeScale + latency, requests * latency / maxConcurrent ); " +
  "budgets b: each endpoint (GET 1 point, POST/PATCH/PUT/DELETE 5; 900 per GitHub minute), content-creating requests (POST/PATCH/PUT; 80 per GitHub minute, 500 per GitHub hour), " +
  "primary points (per GitHub hour; a 304 costs none). rateFloor = the same with points_b / limit_b * window_b for secondary budgets (the looser rate form). " +
  "An apply is two phases (the revoke guard of docs/cli.md needs the whole plan before anything is deleted): its floor is the observe floor plus the execute floor.";

const PRIMARY = "primary points";
const WRITE_METHODS = new Set(["POST", "PATCH", "PUT", "DELETE"]);
/** What GitHub's content-creation limit counts: requests that create content, so not a DELETE (sandbox/limits.ts). */
const CONTENT_METHODS = new Set(["POST", "PATCH", "PUT"]);

/**
 * The floor of `needs` under `limits` on a clock `timeScale` times faster than real time, with
 * `latencyMs` per round trip. `primaryFree`: the answers are 304s, which cost no primary point.
 */
export function computeFloor(
  needs: readonly EndpointNeed[],
  limits: FloorLimits,
  timeScale: number,
  latencyMs: number,
  primaryFree = false,
): Floor {
  const terms: FloorTerm[] = [];
  const term = (budget: string, points: number, limit: number, window: number): void => {
    // No budget (GHES, limits disabled) or nothing spent: this term bounds nothing.
    if (points <= 0 || !Number.isFinite(limit)) return;
    terms.push({
      budget,
      points,
      limit,
      windowGitHubSeconds: window,
      burstGitHubSeconds: (Math.ceil(points / limit) - 1) * window,
      rateGitHubSeconds: (points / limit) * window,
    });
  };
  for (const need of needs)
    term(`secondary: ${need.endpoint}`, need.requests * (WRITE_METHODS.has(need.method) ? 5 : 1), limits.endpointPointsPerMinute, 60);
  term(
    "secondary: content-creating requests",
    needs.filter((n) => CONTENT_METHODS.has(n.method)).reduce((s, n) => s + n.requests, 0),
    limits.contentCreatingPerMinute,
    60,
  );
  term(
    "secondary: content-creating requests per hour",
    needs.filter((n) => CONTENT_METHODS.has(n.method)).reduce((s, n) => s + n.requests, 0),
    limits.contentCreatingPerHour ?? Number.POSITIVE_INFINITY,
    3600,
  );
  if (!primaryFree)
    term(
      PRIMARY,
      needs.reduce((s, n) => s + n.requests, 0),
      limits.primaryPointsPerHour,
      3600,
    );

  const requests = needs.reduce((s, n) => s + n.requests, 0);
  const latency = latencyMs / 1000;
  const concurrencyBoundSeconds = (requests * latency) / limits.maxConcurrent;
  const worst = terms.reduce<FloorTerm | null>((w, t) => (w === null || t.burstGitHubSeconds > w.burstGitHubSeconds ? t : w), null);
  // The primary budget is a bucket granted whole each hour, so only its burst form bounds one run.
  const worstRate = Math.max(0, ...terms.map((t) => (t.budget === PRIMARY ? t.burstGitHubSeconds : t.rateGitHubSeconds)));
  const limited = (worst?.burstGitHubSeconds ?? 0) / timeScale + latency;
  return {
    seconds: Math.max(limited, concurrencyBoundSeconds),
    rateSeconds: Math.max(worstRate / timeScale + latency, concurrencyBoundSeconds),
    binding: limited >= concurrencyBoundSeconds && worst ? worst.budget : "concurrency",
    terms,
    concurrencyBoundSeconds,
    formula: FLOOR_FORMULA,
  };
}

/** The floor of two phases run one after the other: the sum, since neither phase alone can beat its own floor. */
export function sequentialFloor(first: Floor, second: Floor): Floor {
  return {
    seconds: first.seconds + second.seconds,
    rateSeconds: first.rateSeconds + second.rateSeconds,
    binding: `${first.binding} then ${second.binding}`,
    terms: [...first.terms, ...second.terms],
    concurrencyBoundSeconds: first.concurrencyBoundSeconds + second.concurrencyBoundSeconds,
    formula: FLOOR_FORMULA,
  };
}
