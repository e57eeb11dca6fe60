/**
 * Schedulers handed to `@octokit/plugin-throttling` in place of its Bottleneck limiters. The pacer
 * (clients/pacer.ts) already bounds concurrency and paces point budgets, so the plugin is kept only
 * for what it does well: recognising primary and secondary rate-limit answers and retrying them
 * after `retry-after`. Bottleneck's own queueing costs a few milliseconds per job, which capped a
 * 50 ms-latency refresh at about 20 requests in flight whatever the configured concurrency.
 */

/** The part of a Bottleneck limiter the plugin uses for its per-kind groups (`global`, `write`, …). */
export interface PassThroughGroup {
  key(id: string): { schedule<A extends unknown[], R>(options: object, run: (...args: A) => Promise<R>, ...args: A): Promise<R> };
}

/** A group whose limiters run every job at once: the pacer has already admitted it. */
export function passThroughGroup(): PassThroughGroup {
  const limiter = {
    schedule: <A extends unknown[], R>(_options: object, run: (...args: A) => Promise<R>, ...args: A): Promise<R> => run(...args),
  };
  return { key: () => limiter };
}

/** The plugin's `failed` handler: the milliseconds to wait before a retry, or nothing to give up. */
type FailedHandler = (error: unknown, info: { args: unknown[] }) => Promise<number | undefined> | number | undefined;

/**
 * The plugin's `retryLimiter`: runs a job, and when it fails asks the `failed` handler (the plugin's
 * rate-limit logic, which counts retries on the request itself) whether and when to run it again.
 */
export class RetryScheduler {
  #onFailed: FailedHandler | undefined;

  /** Registers the plugin's `failed` handler; other events are not used by the plugin. */
  on(event: string, handler: FailedHandler): this {
    if (event === "failed") this.#onFailed = handler;
    return this;
  }

  /** Runs `run(...args)`, retrying after the delay the `failed` handler names. */
  async schedule<A extends unknown[], R>(run: (...args: A) => Promise<R>, ...args: A): Promise<R> {
    for (;;) {
      try {
        return await run(...args);
      } catch (error) {
        const wait = await this.#onFailed?.(error, { args });
        if (typeof wait !== "number") throw error;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }
}
