// A tiny glob matcher for webhook URLs, deploy key titles and repository allowlists: `*` matches any
// run of characters except `/`, so `https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/`
// matches exactly one `<uuid>` segment; every other character is literal. Pure; each glob compiles once.

const compiled = new Map<string, RegExp>();

/** The anchored regular expression for one glob. */
export function globToRegExp(glob: string): RegExp {
  const cached = compiled.get(glob);
  if (cached) return cached;
  const body = glob
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join("[^/]*");
  const re = new RegExp(`^${body}$`);
  compiled.set(glob, re);
  return re;
}

/** Whether `value` matches at least one of `globs`. */
export function matchesAny(value: string, globs: readonly string[]): boolean {
  return globs.some((g) => globToRegExp(g).test(value));
}

/** Webhook URL patterns of `docker-hub` (design.md §1), used when neither config nor policy config names any. */
export const DEFAULT_WEBHOOK_URL_PATTERNS: readonly string[] = [
  "https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/",
  "https://registry.hub.docker.com/hooks/github",
  "https://registry.hub.docker.com/hooks/bitbucket",
];
