/** Recognising values that are probably credentials, so messages never echo them. */

/** Prefixes of well-known token formats (GitHub, Bitbucket, Docker Hub, Slack, AWS, JWT). */
const TOKEN_PREFIXES = /^(gh[pousr]_|github_pat_|ATBB|ATCTT|dckr_pat_|xox[abpr]-|AKIA|eyJ)/;

/**
 * Whether a string looks like a secret rather than a name: a known token prefix, or a long run of
 * mixed letters and digits (no spaces, dots, slashes or colons, which names and URLs have), the
 * shape of generated credentials.
 */
export function looksLikeSecret(value: string): boolean {
  if (TOKEN_PREFIXES.test(value)) return true;
  if (value.length < 20 || /[\s./:]/.test(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(value)).length;
  return classes >= 2 && /[0-9]/.test(value);
}
