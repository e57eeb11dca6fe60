/**
 * A GitHub App installation without a permission an operation needs. GitHub answers such a request
 * with 403 "Resource not accessible by integration" and names what would be accepted in the header
 * `x-accepted-github-permissions` (https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api#resource-not-accessible);
 * this error says so in those words, rather than letting the 403 read as a missing repository.
 */
import { HttpError } from "../http-error.js";
import { parseAcceptedPermissions } from "./app-permissions.js";

/** The header GitHub names the accepted permissions in, e.g. `repository_hooks=read`. */
export const ACCEPTED_PERMISSIONS_HEADER = "x-accepted-github-permissions";

/** An installation lacks the permission a request needs. */
export class MissingPermissionError extends HttpError {
  /** The owner whose installation made the request. */
  readonly owner: string;
  /** The permissions GitHub accepts, known names and levels only (`repository_hooks=read`), or null when it named none. */
  readonly permission: string | null;

  constructor(init: {
    owner: string;
    permission: string | null;
    needed: string;
    method: string;
    url: string;
    detail: string | null;
    secrets: readonly string[];
  }) {
    super({ status: 403, service: "github", method: init.method, url: init.url, detail: init.detail, secrets: init.secrets });
    this.owner = init.owner;
    this.permission = init.permission;
    const which = init.permission === null ? "a permission GitHub did not name" : `permission ${init.permission}`;
    this.message =
      `github: the GitHub App installation for ${init.owner} lacks ${which} (needed to ${init.needed}); ${this.method} ${this.url} answered HTTP 403` +
      `${this.detail ? `: ${this.detail}` : ""}. Add the permission in the app's settings (Permissions & events), then approve it on the installation of ${init.owner}`;
  }
}

/**
 * The accepted permissions a 403 named (`a=read; b=write` lists alternatives, written with ` or `),
 * known permission names and levels only, or null: the header is a server's text, printed nowhere else.
 */
export function acceptedPermissions(headers: Record<string, unknown> | undefined): string | null {
  const value = headers?.[ACCEPTED_PERMISSIONS_HEADER];
  return typeof value === "string" ? parseAcceptedPermissions(value) : null;
}
