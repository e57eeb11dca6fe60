/** Recognising values that are probably credentials, so messages never echo them. */

/** Prefixes of well-known token formats (GitHub, Bitbucket, Docker Hub, Slack, AWS, JWT). */
const TOKEN_PREFIXES = /^(gh[pousr]_|github_pat_|ATBB|ATCTT|dckr_pat_|xox[abpr]-|AKIA|eyJ)/;

/** The armor line of a PEM key (a GitHub App's private key is `-----BEGIN RSA PRIVATE KEY-----`). */
const PEM_BLOCK = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/**
 * Whether a string looks like a secret rather than a name: a known token prefix, or a long run of
 * mixed letters and digits (no spaces, dots, slashes or colons, which names and URLs have), the
 * shape of generated credentials.
 */
export function looksLikeSecret(value: string): boolean {
  if (TOKEN_PREFIXES.test(value) || PEM_BLOCK.test(value)) return true;
  if (value.length < 20 || /[\s./:]/.test(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(value)).length;
  return classes >= 2 && /[0-9]/.test(value);
}

/**
 * Whether a value that passes as an env var NAME (`^[A-Z_][A-Z0-9_]*$`) is more likely a pasted
 * credential: a known token prefix (AWS key ids are upper-case and digits), or a long run of
 * letters and digits with no `_` between words, which names have and generated keys do not.
 */
export function looksLikeSecretEnvName(name: string): boolean {
  if (TOKEN_PREFIXES.test(name)) return true;
  return name.length >= 20 && !name.includes("_") && /[0-9]/.test(name) && /[A-Z]/.test(name);
}
