/**
 * What the GitHub Enterprise Cloud audit log records: every write the sandbox sees on an org that has
 * one (the REST routes and `/_sandbox/act`) appends an event, stamped on the sandbox clock. Which
 * write makes which event follows GitHub's audit log events reference:
 * https://docs.github.com/en/enterprise-cloud@latest/admin/monitoring-activity-in-your-enterprise/reviewing-audit-logs-for-your-enterprise/audit-log-events-for-your-enterprise.
 */
import type { GitHubAuditEventState, GitHubAuditLogSettings, GitHubHookState, GitHubTokenState, World } from "../world.js";
import { findOrg } from "./auth.js";
import { stableId } from "./wire.js";

/** GitHub's audit log budget: 1,750 queries an hour per user and IP, no delay in the sandbox by default. */
export const DEFAULT_AUDIT_LOG_SETTINGS: GitHubAuditLogSettings = Object.freeze({ delaySeconds: 0, queriesPerHour: 1750 });

/** The audit log's settings in this world. */
export function auditLogSettings(world: World): GitHubAuditLogSettings {
  return { ...DEFAULT_AUDIT_LOG_SETTINGS, ...world.github.auditLogSettings };
}

/** An event as a route describes it; the time and actor are added when it is recorded. */
export type AuditEventFields = Omit<GitHubAuditEventState, "created_at" | "actor">;

/**
 * Appends an event to the log of `owner`'s org; nothing when the owner is a user or an org without
 * Enterprise Cloud's log. `nowMs`: the sandbox clock, so a test that moves the clock moves the events.
 */
export function recordAuditEvent(world: World, owner: string, actor: string, fields: AuditEventFields, nowMs: number): void {
  const org = findOrg(world, owner);
  if (!org?.auditLog) return;
  org.auditLog.push({ ...fields, created_at: new Date(nowMs).toISOString(), actor });
}

/**
 * The `oauth_application_id` GitHub puts on a `hook.*` event made with an OAuth app's token (the
 * sandbox's apps have client ids only, so the numeric id is derived from it); absent for other tokens.
 */
export function creatorApp(token: GitHubTokenState): { oauth_application_id?: number } {
  return token.kind === "oauth" && token.clientId !== null ? { oauth_application_id: stableId(`oauth-app:${token.clientId}`) } : {};
}

/** The `hook.*_changed` actions an update from `before` to `after` makes, one per kind of change. */
export function hookChangeActions(before: Pick<GitHubHookState, "active" | "events" | "config">, after: typeof before): string[] {
  const actions: string[] = [];
  const { secret: secretBefore, ...configBefore } = before.config;
  const { secret: secretAfter, ...configAfter } = after.config;
  if (JSON.stringify(configBefore) !== JSON.stringify(configAfter) || secretBefore !== secretAfter) actions.push("hook.config_changed");
  if ([...before.events].sort().join() !== [...after.events].sort().join()) actions.push("hook.events_changed");
  if (before.active !== after.active) actions.push("hook.active_changed");
  return actions;
}
