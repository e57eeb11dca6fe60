/**
 * Sandbox time. GitHub's limits are stated in GitHub time (an hour, a minute); with `timeScale` S
 * the sandbox runs GitHub time S times faster than real time, so a GitHub minute lasts 60/S real
 * seconds. Everything the sandbox puts on the wire (`retry-after`, `x-ratelimit-reset`) is in REAL
 * seconds, so a client that simply honors those headers waits exactly as long as the sandbox needs.
 */

/** A source of real time in epoch milliseconds (injectable so tests need no wall clock). */
export type Now = () => number;

/** Converts GitHub-time durations to real time under a time scale. */
export class SandboxClock {
  /** GitHub seconds per real second; 1 means real time. */
  readonly timeScale: number;
  readonly #now: Now;
  /** How far the sandbox's clock is set from its time source, in ms (`setOffset`). */
  #offsetMs = 0;

  constructor(timeScale = 1, now: Now = Date.now) {
    if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
      throw new RangeError(`sandbox: timeScale must be a positive finite number, got ${timeScale}`);
    }
    this.timeScale = timeScale;
    this.#now = now;
  }

  /** Real epoch milliseconds, moved by the offset. */
  now(): number {
    return this.#now() + this.#offsetMs;
  }

  /** The offset from the time source, in ms. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /**
   * Sets the sandbox's clock `ms` away from its time source (negative: behind), so a test can play a
   * client whose clock is off from GitHub's: JWT dates, token expiry and the `Date` header follow it.
   */
  setOffset(ms: number): void {
    if (!Number.isFinite(ms)) throw new RangeError(`sandbox: a clock offset must be a finite number of ms, got ${ms}`);
    this.#offsetMs = ms;
  }

  /** How many real milliseconds a duration of `githubSeconds` lasts. */
  realMs(githubSeconds: number): number {
    return (githubSeconds * 1000) / this.timeScale;
  }
}

/**
 * Whole real seconds a client must wait until `untilMs`, for `retry-after` (RFC 9110 §10.2.3 allows
 * only a non-negative integer). Rounded up so a client honoring it is never early; at least 1.
 */
export function retryAfterSeconds(nowMs: number, untilMs: number): number {
  return Math.max(1, Math.ceil((untilMs - nowMs) / 1000));
}

/** `x-ratelimit-reset`: real epoch seconds, rounded up so waiting until then is never early. */
export function resetEpochSeconds(untilMs: number): number {
  return Math.ceil(untilMs / 1000);
}
