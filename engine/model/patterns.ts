/**
 * Recognising the build service's webhooks (by URL) and deploy keys (by title) with glob patterns,
 * compiled once into one anchored regular expression per list. Docker Hub's defaults are in
 * config/defaults.ts.
 *
 * Glob semantics: a pattern matches the WHOLE string, case-sensitively; every character but `*`
 * is literal (`?`, `.`, `[` included: URLs contain them); `*` matches any run, possibly empty, of
 * - URL patterns: characters other than `/`, `?` and `#`. The `<uuid>` in
 *   `https://cloud.docker.com/api/build/v1/vcs/<*>/trigger/call/` is exactly one path segment, so
 *   `…/vcs/a/b/trigger/call/` does not match, and a `*` never runs into a query or a fragment, so
 *   `…/vcs/x#/trigger/call/` and `…/hooks/*` against `…/hooks/github?x=1` do not match either:
 *   those URLs deliver elsewhere or carry what the pattern never named (as in policies/rules/glob.ts).
 * - Title patterns: any characters. Titles are not paths: Docker Hub names keys like
 *   `Docker Hub Builder (acme/ci)`, which `Docker Hub Builder*` must match.
 */

/** A compiled list of glob patterns. */
export interface PatternMatcher {
  /** The source patterns, for messages. */
  readonly patterns: readonly string[];
  /** Whether `value` matches at least one pattern. */
  matchesAny(value: string): boolean;
}

/** Compiles webhook URL patterns: `*` stays within one path segment, never into a query or fragment. */
export function compileUrlPatterns(patterns: readonly string[]): PatternMatcher {
  return compile(patterns, "[^/?#]*");
}

/** Compiles deploy key title patterns: `*` matches any run of characters. */
export function compileTitlePatterns(patterns: readonly string[]): PatternMatcher {
  return compile(patterns, "[\\s\\S]*");
}

function compile(patterns: readonly string[], star: string): PatternMatcher {
  const frozen = Object.freeze([...patterns]);
  const alternatives = frozen.map((pattern) =>
    pattern
      .split("*")
      .map((literal) => literal.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"))
      .join(star),
  );
  // An empty list matches nothing (`^(?:)$` would match the empty string).
  const regex = alternatives.length === 0 ? null : new RegExp(`^(?:${alternatives.join("|")})$`);
  return {
    patterns: frozen,
    matchesAny: (value) => regex?.test(value) === true,
  };
}
