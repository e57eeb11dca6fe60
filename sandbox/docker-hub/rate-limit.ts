/**
 * Docker Hub's API request limit in the sandbox: a fixed window per caller (a user by their bearer,
 * else anonymous), announced on every answer as `X-RateLimit-Limit`, `X-RateLimit-Remaining` and
 * `X-RateLimit-Reset` (epoch seconds), and refused with 429 and `X-Retry-After` (epoch seconds, when
 * the caller may try again) once spent, as Docker documents for hub.docker.com.
 */
import { resetEpochSeconds, type SandboxClock } from "../clock.js";

/** The outcome of counting one request: the headers to send, and whether it is refused. */
export interface RateDecision {
  headers: Record<string, string>;
  refused: boolean;
}

/** Windows per caller of one sandbox's Docker Hub. */
export class DockerHubRateLimit {
  readonly #windows = new Map<string, { startedAt: number; used: number }>();

  /** Counts one request of `caller` against `limit` per `windowSeconds` (Docker Hub time, scaled by the clock). */
  take(caller: string, limit: number, windowSeconds: number, clock: SandboxClock): RateDecision {
    const now = clock.now();
    const windowMs = clock.realMs(windowSeconds);
    let window = this.#windows.get(caller);
    if (window === undefined || now >= window.startedAt + windowMs) {
      window = { startedAt: now, used: 0 };
      this.#windows.set(caller, window);
    }
    const reset = String(resetEpochSeconds(window.startedAt + windowMs));
    const refused = window.used >= limit;
    if (!refused) window.used++;
    const headers: Record<string, string> = {
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": String(Math.max(0, limit - window.used)),
      "x-ratelimit-reset": reset,
    };
    if (refused) headers["x-retry-after"] = reset;
    return { headers, refused };
  }
}
