/**
 * Connection failures that say the API cannot be reached at all (nothing listens, the host does not
 * resolve, no route, the connection is never established). Retrying them only delays the answer a
 * user needs, "check the URL and the network", so the transports fail at once with an error that
 * names the URL. A connection that was made and then dropped is not one of these: it is retried.
 */
/** Node and undici error codes raised before a request reaches the server. */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** The code of an unreachable-API failure anywhere in `error`'s cause chain (or an AggregateError's errors), else undefined. */
export function unreachableCode(error: unknown, depth = 0): string | undefined {
  if (!(error instanceof Error) || depth > 5) return undefined;
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code === "string" && UNREACHABLE_CODES.has(code)) return code;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const found = unreachableCode(inner, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return unreachableCode(error.cause, depth + 1);
}

/** What an error says when the API could not be reached: its origin, the code, and that it was not retried. */
export function unreachableDetail(url: string, code: string): string {
  const origin = URL.canParse(url) ? new URL(url).origin : url;
  return `the API at ${origin} cannot be reached (${code}); not retried: check the API URL (the config's apiUrl or its SOURCELINKS_*_API_URL override) and the network`;
}
