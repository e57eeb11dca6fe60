/**
 * Which requests may be resent when their outcome is unknown (no answer, a 5xx): the methods RFC 9110
 * §9.2.2 defines as idempotent. Both transports (json-http.ts, github/octokit.ts) resend by this rule.
 */

const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "PUT", "DELETE"]);

/** Whether sending `method` twice has the effect of sending it once. */
export function isIdempotentMethod(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase());
}
