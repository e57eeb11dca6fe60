/**
 * Observing an org's OAuth App access policy without the build service: a probe with the app's
 * token, or the GitHub Enterprise Cloud audit log (`org.oauth_app_access_approved|denied|requested`).
 */
import type { OrgAccessState } from "../../model/spec.js";
import { HttpError } from "../http-error.js";
import type { Secret } from "../../model/secret.js";
import type { OrgAccessProbe } from "../types.js";
import type { GitHubContext } from "./context.js";
import { MissingGitHubTokenError } from "./errors.js";

/** The signal of an unapproved app (docs/build-services.md): a substring, not the whole message. */
export const OAUTH_RESTRICTION_SIGNAL = "has enabled OAuth App access restrictions";

const AUDIT_ACTIONS = {
  "org.oauth_app_access_approved": "granted",
  "org.oauth_app_access_denied": "denied",
  "org.oauth_app_access_requested": "requested",
} as const satisfies Record<string, OrgAccessState | "requested">;

/** One audit log event, as far as this client reads it. */
interface AuditEvent {
  action?: string;
  oauth_application_client_id?: string;
  created_at?: number;
}

/** Org access observation for GitHub. */
export class GitHubOrgAccessProbe implements OrgAccessProbe {
  constructor(private readonly ctx: GitHubContext) {}

  /** `GET /orgs/{org}/repos?per_page=1` with the app's token: 403 with the restriction signal → denied, 200 → granted. */
  async probe(org: string, appToken: Secret): Promise<"granted" | "denied"> {
    // An OAuth token read from the build service at run time: from now on, every answer and error is redacted of it.
    this.ctx.secretSet.add(appToken);
    const octokit = this.ctx.octokit(appToken, { cache: false, secrets: () => this.ctx.secrets() });
    const request = { method: "GET", url: this.ctx.url(`/orgs/${encodeURIComponent(org)}/repos?per_page=1`) };
    try {
      await this.ctx.call(request, () => octokit.request("GET /orgs/{org}/repos", { org, per_page: 1 }));
      return "granted";
    } catch (error) {
      if (error instanceof HttpError && error.status === 403 && (error.detail ?? "").includes(OAUTH_RESTRICTION_SIGNAL)) return "denied";
      throw error;
    }
  }

  /**
   * The newest `org.oauth_app_access_*` event for the app in the org's audit log; null when the log
   * is unavailable (404/403: not Enterprise Cloud, or not an owner) or holds no such event.
   */
  async fromAuditLog(org: string, clientId: string): Promise<OrgAccessState | "requested" | null> {
    const octokit = await this.ctx.forOwner(org);
    if (!octokit) throw new MissingGitHubTokenError(`reading the audit log of ${org}`);
    // Repeated `action:` qualifiers are alternatives in audit log search.
    const phrase = Object.keys(AUDIT_ACTIONS)
      .map((a) => `action:${a}`)
      .join(" ");
    const request = { method: "GET", url: this.ctx.url(`/orgs/${encodeURIComponent(org)}/audit-log`) };
    let events: AuditEvent[];
    try {
      const response = await this.ctx.call(request, () =>
        octokit.request("GET /orgs/{org}/audit-log", { org, phrase, order: "desc", per_page: 100 }),
      );
      events = response.data as AuditEvent[];
    } catch (error) {
      if (error instanceof HttpError && (error.status === 404 || error.status === 403)) return null;
      throw error;
    }
    const newest = events
      .filter((e) => e.oauth_application_client_id === clientId && e.action !== undefined && e.action in AUDIT_ACTIONS)
      .sort((a, b) => (b.created_at ?? 0) - (a.created_at ?? 0))[0];
    return newest ? AUDIT_ACTIONS[newest.action as keyof typeof AUDIT_ACTIONS] : null;
  }
}
