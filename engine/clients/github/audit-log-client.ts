/**
 * Reading a GitHub Enterprise Cloud org's audit log for what changed on its repositories:
 * https://docs.github.com/en/enterprise-cloud@latest/rest/orgs/orgs#get-the-audit-log-for-an-organization.
 * A refresh falls back to a full read on any refusal, so the log is asked once per page and never
 * retried: a 429 or 5xx is a reason to read in full now, not to wait (the log allows 1,750 queries an hour).
 */
import { HttpError } from "../http-error.js";
import type { AuditLogClient, AuditLogEvent, AuditLogRead, OwnerRepository } from "../types.js";
import type { GitHubContext } from "./context.js";
import { MissingGitHubTokenError } from "./errors.js";
import type { GitHubRepositoryWire } from "./mapping.js";
import type { GitHubOctokit } from "./octokit.js";

/** The categories whose events change what a sweep reads: webhooks, deploy keys, repositories. */
export const WATCHED_ACTIONS = "action:hook action:public_key action:repo";

/** Pages of events read at most in one refresh (10,000 events); more is a full read's worth anyway. */
const MAX_PAGES = 100;

/** An audit log event as GitHub sends it, as far as it is read. */
interface AuditEventWire {
  _document_id?: string;
  action?: string;
  created_at?: number;
  "@timestamp"?: number;
  repo?: string;
  old_name?: string;
}

/** The audit log of GitHub orgs, through the owner's installation or the configured token. */
export class GitHubAuditLogClient implements AuditLogClient {
  #login: Promise<string> | null = null;

  constructor(private readonly ctx: GitHubContext) {}

  async actingAs(owner: string): Promise<string> {
    const app = this.ctx.app();
    // The installation too: an app uninstalled and installed again may have missed what happened in between.
    if (app !== null) return `app:${app.appId}/installation:${await app.installationOf(owner)}`;
    this.#login ??= this.#ownLogin(owner);
    this.#login.catch(() => (this.#login = null));
    return `user:${(await this.#login).toLowerCase()}`;
  }

  async #ownLogin(owner: string): Promise<string> {
    const octokit = await this.#octokit(owner);
    const { data } = await this.ctx.call({ method: "GET", url: this.ctx.url("/user") }, () => octokit.request("GET /user"));
    return (data as { login: string }).login;
  }

  async eventsSince(org: string, since: number | null): Promise<AuditLogRead> {
    const octokit = await this.#octokit(org);
    const phrase =
      since === null ? WATCHED_ACTIONS : `${WATCHED_ACTIONS} created:>=${new Date(since).toISOString().replace(/\.\d{3}Z$/, "Z")}`;
    const url = this.ctx.url(`/orgs/${encodeURIComponent(org)}/audit-log`);
    // No retries: a refusal means a full read now (see the module comment). Octokit's paginator does
    // not pass per-request options on, so the pages are followed here, by the Link header's `after` cursor.
    const noRetry = { request: { retries: 0 } };
    const events: AuditLogEvent[] = [];
    let serverTime: number | null = null;
    let pages = 0;
    try {
      let page = await this.ctx.call({ method: "GET", url }, () =>
        octokit.request("GET /orgs/{org}/audit-log", { org, phrase, order: "asc", per_page: since === null ? 1 : 100, ...noRetry }),
      );
      for (;;) {
        pages++;
        serverTime ??= Date.parse(String(page.headers.date ?? "")) || null;
        for (const wire of page.data as AuditEventWire[]) {
          const event = toEvent(wire);
          if (event) events.push(event);
        }
        const next = /<([^<>]+)>;\s*rel="next"/.exec(page.headers.link ?? "")?.[1];
        if (since === null || next === undefined) break;
        // More events than a refresh reads is a full read's worth; a Link header pointing off this
        // org's log is not followed. Either way, the events are not all known.
        if (pages >= MAX_PAGES)
          return { ok: false, status: 200, reason: `more than ${(MAX_PAGES * 100).toLocaleString("en-US")} events since the last run` };
        if (!next.startsWith(url)) return { ok: false, status: 200, reason: "a next page outside the org's audit log" };
        page = await this.ctx.call({ method: "GET", url }, () => octokit.request(`GET ${next}`, noRetry));
      }
    } catch (error) {
      if (error instanceof HttpError) return { ok: false, status: error.status };
      throw error;
    }
    // A server that sends no date gives no cursor to trust: as if the log had not answered.
    if (serverTime === null) return { ok: false, status: 0 };
    return { ok: true, events, serverTime, pages };
  }

  async repository(name: string): Promise<OwnerRepository | null> {
    const [owner = "", repo = ""] = name.split("/");
    const octokit = await this.#octokit(owner);
    const url = this.ctx.url(`/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`);
    try {
      const { data } = await this.ctx.call({ method: "GET", url }, () => octokit.request("GET /repos/{owner}/{repo}", { owner, repo }));
      const r = data as GitHubRepositoryWire;
      return { repository: r.full_name, id: String(r.id), archived: r.archived === true, private: r.private === true };
    } catch (error) {
      if (error instanceof HttpError && error.isGone) return null;
      throw error;
    }
  }

  async #octokit(owner: string): Promise<GitHubOctokit> {
    const octokit = await this.ctx.forOwner(owner);
    if (!octokit) throw new MissingGitHubTokenError(`reading the audit log of ${owner}`);
    return octokit;
  }
}

/** The event a refresh reads of one wire event; null for one without an action or a time. */
function toEvent(wire: AuditEventWire): AuditLogEvent | null {
  const at = wire.created_at ?? wire["@timestamp"];
  if (typeof wire.action !== "string" || typeof at !== "number") return null;
  return {
    id: String(wire._document_id ?? `${wire.action}:${at}:${wire.repo ?? ""}`),
    action: wire.action,
    at,
    repo: typeof wire.repo === "string" && wire.repo.length > 0 ? wire.repo : null,
    oldName: typeof wire.old_name === "string" && wire.old_name.length > 0 ? wire.old_name : null,
  };
}
