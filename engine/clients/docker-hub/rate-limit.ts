/**
 * Docker Hub's rate-limit headers (docs.docker.com/docker-hub/usage/): `X-RateLimit-Remaining` and
 * `X-RateLimit-Reset` (epoch seconds) on every answer, and on a 429 `X-Retry-After`, the epoch second
 * from which a request is accepted again.
 */

/** The budget an answer announced, or null when it announced none. */
export function announcedBudget(headers: Headers): { remaining: number; resetEpochSeconds: number } | null {
  const remaining = Number(headers.get("x-ratelimit-remaining") ?? Number.NaN);
  const reset = Number(headers.get("x-ratelimit-reset") ?? Number.NaN);
  return Number.isFinite(remaining) && Number.isFinite(reset) ? { remaining, resetEpochSeconds: reset } : null;
}

/** Seconds to wait that a 429's `X-Retry-After` asks for, from `nowMs`; null when absent or malformed. */
export function retryAfterSeconds(headers: Headers, nowMs: number): number | null {
  const value = headers.get("x-retry-after");
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  return Math.max(0, Math.ceil(Number(value.trim()) - nowMs / 1000));
}
