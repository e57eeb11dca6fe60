/**
 * Mapping over many items with a bounded number of calls in flight (p-limit does the bounding, as it
 * does for each client's requests in clients/json-http.ts). Both keep results in input order.
 */
import pLimit from "p-limit";

/** Maps over items with at most `limit` calls in flight, keeping input order; the first rejection rejects. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const run = pLimit(Math.max(1, limit));
  return Promise.all(
    items.map((item, index) =>
      run(async () => {
        try {
          return await fn(item, index);
        } catch (error) {
          // Stop taking new work after a failure; calls already in flight finish on their own. The
          // cleared calls never settle, which is fine: Promise.all has already rejected with this error.
          run.clearQueue();
          throw error;
        }
      }),
    ),
  );
}

/**
 * Runs `fn` over `items` with at most `limit` in flight and returns the settled results in input order,
 * so one failure neither stops the others nor loses which item it belonged to.
 */
export async function settleAll<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const run = pLimit(Math.max(1, limit));
  return Promise.allSettled(items.map((item, index) => run(() => fn(item, index))));
}
