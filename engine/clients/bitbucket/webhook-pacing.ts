/**
 * Bitbucket Cloud's "Access to webhook data" budget, paced on the client side
 * (support.atlassian.com/bitbucket-cloud/docs/api-request-limits): 1,000 webhook listings and writes
 * an hour per user, in a rolling hour, whatever the workspace's seats. Bitbucket tells neither what
 * remains nor when it frees (only `X-RateLimit-Limit` and `X-RateLimit-NearLimit`), so the client
 * keeps its own count: the pacer (clients/pacer.ts) lets at most the budget through in any hour,
 * counting each request from when its answer arrived, and holds the rest until a place frees. A
 * 5,000-repository sweep then takes five Bitbucket hours rather than failing at the 1,001st listing.
 * The budget is the credential's: requests of other processes under the same user are not seen here.
 */
import { Pacer, type PacerClock } from "../pacer.js";

/** Bitbucket's documented budget: webhook-data requests per user per hour. */
export const BITBUCKET_WEBHOOK_REQUESTS_PER_HOUR = 1000;

/** How to pace the webhook-data budget. */
export interface BitbucketPacing {
  /** Requests per Bitbucket hour; default Bitbucket's 1,000 (lower it to leave room for other tools of the same user). */
  webhookRequestsPerHour?: number;
  /** Bitbucket seconds per real second (a sandbox on a compressed clock); default 1. */
  timeScale?: number;
  /** Time source and timers (tests). */
  clock?: PacerClock;
}

/** The pacer's one budget key: every webhook listing and write shares the budget. */
const WEBHOOK_DATA = "bitbucket webhook data";

/** A function that runs one webhook-data request when the budget has room for it. */
export type PaceWebhookData = <R>(send: () => Promise<R>) => Promise<R>;

/**
 * The pace function of one credential. `concurrency` only bounds what the pacer starts at once; the
 * transport's own bound still applies beneath it.
 */
export function webhookDataPacer(concurrency: number, pacing: BitbucketPacing = {}): PaceWebhookData {
  const pacer = new Pacer({
    concurrency,
    endpointPointsPerMinute: pacing.webhookRequestsPerHour ?? BITBUCKET_WEBHOOK_REQUESTS_PER_HOUR,
    endpointWindowSeconds: 3600,
    readCost: 1,
    writeCost: 1,
    ...(pacing.timeScale === undefined ? {} : { timeScale: pacing.timeScale }),
    ...(pacing.clock === undefined ? {} : { clock: pacing.clock }),
  });
  return (send) => pacer.schedule({ method: "GET", endpoint: WEBHOOK_DATA, points: 1, contentCreating: false }, send);
}
