/**
 * The permissions a GitHub App can be granted, by the names GitHub uses on the wire
 * (https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps), and the
 * reading of the `x-accepted-github-permissions` header into them. The header is a server's text:
 * only known names with known levels are kept, so nothing else a server put in it is ever printed.
 */

/** Every GitHub App permission name: repository, organization and account permissions. */
const KNOWN_PERMISSIONS: ReadonlySet<string> = new Set([
  // Repository permissions.
  "actions",
  "administration",
  "attestations",
  "checks",
  "codespaces",
  "contents",
  "dependabot_secrets",
  "deployments",
  "discussions",
  "environments",
  "issues",
  "merge_queues",
  "metadata",
  "packages",
  "pages",
  "pull_requests",
  "repository_advisories",
  "repository_custom_properties",
  "repository_hooks",
  "repository_projects",
  "secret_scanning_alerts",
  "secrets",
  "security_events",
  "single_file",
  "statuses",
  "vulnerability_alerts",
  "workflows",
  // Organization permissions.
  "members",
  "organization_administration",
  "organization_announcement_banners",
  "organization_copilot_seat_management",
  "organization_custom_org_roles",
  "organization_custom_properties",
  "organization_custom_roles",
  "organization_events",
  "organization_hooks",
  "organization_packages",
  "organization_personal_access_token_requests",
  "organization_personal_access_tokens",
  "organization_plan",
  "organization_projects",
  "organization_secrets",
  "organization_self_hosted_runners",
  "organization_user_blocking",
  "team_discussions",
  // Account permissions.
  "email_addresses",
  "followers",
  "git_ssh_keys",
  "gpg_keys",
  "interaction_limits",
  "profile",
  "starring",
]);

/** The levels a permission is granted at. */
const LEVELS: ReadonlySet<string> = new Set(["read", "write", "admin"]);

/** One `name=level` of the header, when both are known; else null. */
function knownPermission(item: string): string | null {
  const match = /^([a-z_]+)=([a-z]+)$/.exec(item.trim());
  if (!match) return null;
  const [, name = "", level = ""] = match;
  return KNOWN_PERMISSIONS.has(name) && LEVELS.has(level) ? `${name}=${level}` : null;
}

/**
 * The permissions a header value accepts, written for people: alternatives (separated by `;`) joined
 * with ` or `, the permissions of one alternative (separated by `,`) with ` and `. An alternative
 * with anything but known names and levels is left out whole; null when none is left.
 */
export function parseAcceptedPermissions(value: string): string | null {
  const alternatives: string[] = [];
  for (const alternative of value.split(";")) {
    if (alternative.trim() === "") continue;
    const items = alternative.split(",").map(knownPermission);
    if (items.some((item) => item === null)) continue;
    const written = items.join(" and ");
    if (!alternatives.includes(written)) alternatives.push(written);
  }
  return alternatives.length === 0 ? null : alternatives.join(" or ");
}
