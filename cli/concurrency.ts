/** Bounded concurrency for observing and applying many resources at once. */

/** How many links or orgs are observed or applied at the same time; the clients pace requests themselves. */
export const DEFAULT_CONCURRENCY = 8;

/**
 * Runs `fn` over `items` with at most `limit` in flight and returns the settled results in input order,
 * so one failure neither stops the others nor loses which item it belonged to.
 */
export async function settleAll<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const results = new Array<PromiseSettledResult<R>>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { status: "fulfilled", value: await fn(items[i] as T, i) };
      } catch (reason) {
        results[i] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}
