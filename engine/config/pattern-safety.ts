/**
 * Refuses webhook URL and deploy key title patterns broad enough to match what does not belong to
 * the build service. Revocation DELETES every webhook and deploy key the patterns match
 * (model/patterns.ts: the whole string must match, `*` runs within one path segment for
 * URLs and anywhere for titles), so a wildcard host or a bare `*` title would delete other
 * services' webhooks and people's keys. A URL pattern must name its scheme and host literally;
 * the wildcards belong in the path.
 */

/** The example shown in messages: Docker Hub's autobuild trigger (config/defaults.ts). */
const URL_EXAMPLE = "https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/";

/** Source providers' own hosts (and their subdomains): their webhooks are never a build service's. */
const PROVIDER_DOMAINS = ["github.com", "bitbucket.org"] as const;

/** Hosts `http://` is accepted for: a local build service (a sandbox, a test double). */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** A DNS name (labels of letters, digits and inner hyphens) or a bracketed IPv6 address, then an optional port. */
const HOST_AND_PORT =
  /^(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** Why a webhook URL pattern is too broad or malformed (the fix included), or undefined when it is safe. */
export function webhookUrlPatternProblem(pattern: string): string | undefined {
  const fix = `write the build service's webhook URL with its scheme and host spelled out and * only in the path, e.g. ${URL_EXAMPLE}`;
  if (/^[*\s/:]*$/.test(pattern)) return `would match every webhook URL (it is nothing but wildcards): ${fix}`;
  if (/[\s\p{C}]/u.test(pattern)) return `contains whitespace or a control character, which no webhook URL has: ${fix}`;
  const scheme = /^(https?):\/\//.exec(pattern);
  if (scheme === null) {
    const wildScheme = /^[^/]*\*[^/]*:\/\//.test(pattern);
    return wildScheme
      ? `has * in its scheme, so it could match webhooks with any scheme on any host: ${fix}`
      : `is not an absolute https:// URL pattern, so it could match webhook URLs on any host: ${fix}`;
  }
  const rest = pattern.slice(scheme[0].length);
  const authority = rest.split("/", 1)[0] ?? "";
  if (authority.includes("@")) {
    return `has user info (...@) before its host: a URL goes to the host after the @, so this could match webhooks on another host; remove it and ${fix}`;
  }
  if (authority.includes("*")) {
    return `has * in its host, so it could match webhooks on any host, not only the build service's: list each host of the build service as its own pattern, and ${fix}`;
  }
  if (!HOST_AND_PORT.test(authority))
    return `has no valid host after ${scheme[0]} (a host name or [IPv6] address, then an optional :port): ${fix}`;
  const host = authority.replace(/:\d+$/, "").toLowerCase();
  if (scheme[1] === "http" && !LOOPBACK.test(host)) {
    return `uses http:// for a host that is not loopback: build services deliver webhooks over https (http:// is accepted only for localhost, 127.0.0.1 and [::1]); use https://`;
  }
  const provider = PROVIDER_DOMAINS.find((domain) => host === domain || host.endsWith(`.${domain}`));
  if (provider !== undefined) {
    return `has host ${host}, which belongs to the source provider (${provider}), not to the build service: its webhooks deliver to the build service's own host; ${fix}`;
  }
  return undefined;
}

/** The literal prefix a deploy key title pattern needs before its first `*`. */
export const MIN_TITLE_PREFIX = 3;

/**
 * Why a deploy key title pattern is too broad, or undefined when it is safe. A title pattern must
 * start with the build service's own title prefix (at least 3 literal characters before any `*`):
 * the service names its keys (`Docker Hub Builder (acme/ci)`), while a leading `*` or a bare `*`
 * also matches the keys people and other services add.
 */
export function deployKeyTitlePatternProblem(pattern: string): string | undefined {
  const fix = `start the pattern with the build service's own key title, e.g. "Docker Hub Builder*"`;
  if (/[\p{C}]/u.test(pattern)) return `contains a control character, which no deploy key title has: ${fix}`;
  if (/^[*\s]*$/.test(pattern)) return `would match every deploy key (it is nothing but wildcards): ${fix}`;
  const prefix = (pattern.split("*", 1)[0] ?? "").trim();
  if (prefix.length < MIN_TITLE_PREFIX) {
    return `starts with ${prefix.length === 0 ? "a wildcard" : "too short a literal prefix"}, so it could match deploy keys that people and other services added: at least ${MIN_TITLE_PREFIX} literal characters must come before the first *; ${fix}`;
  }
  return undefined;
}
