// Glob matching for the rules: webhook URLs and repository allow-lists. The semantics (`*` matches
// any run of characters except `/`, `?` and `#`, everything else literal) are the clients' URL patterns, so the
// rules and the clients always agree on which webhooks belong to the build service.
import { compileUrlPatterns, type PatternMatcher } from "../../engine/model/patterns.js";
import { DOCKER_HUB_WEBHOOK_URL_PATTERNS } from "../../engine/config/defaults.js";

const compiled = new Map<string, PatternMatcher>();

/** Whether `value` matches at least one of `globs`; each list compiles once. */
export function matchesAny(value: string, globs: readonly string[]): boolean {
  const key = JSON.stringify(globs);
  let matcher = compiled.get(key);
  if (!matcher) {
    matcher = compileUrlPatterns(globs);
    compiled.set(key, matcher);
  }
  return matcher.matchesAny(value);
}

/** Webhook URL patterns of `docker-hub` (docs/build-services.md), used when neither config nor policy config names any. */
export const DEFAULT_WEBHOOK_URL_PATTERNS: readonly string[] = DOCKER_HUB_WEBHOOK_URL_PATTERNS;
