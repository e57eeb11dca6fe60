/**
 * Audit log search as GitHub answers it (pure): the `action:` and `created:` qualifiers of a phrase
 * (https://docs.github.com/en/enterprise-cloud@latest/organizations/keeping-your-organization-secure/managing-security-settings-for-your-organization/reviewing-the-audit-log-for-your-organization#search-based-on-time-of-action),
 * what is visible now (retention, the log's delay), the order and the `after` cursor.
 */
import { SourcelinksError } from "../../engine/model/errors.js";
import type { GitHubAuditEventState } from "../world.js";

/** GitHub keeps 180 days of web (non-Git) events. */
export const RETENTION_DAYS = 180;

/** A parsed phrase: alternatives of `action:` (empty: any) and every `created:` bound (all must hold). */
export interface AuditPhrase {
  actions: string[];
  created: ((ms: number) => boolean)[];
}

/** A phrase GitHub would refuse (422). */
export class AuditPhraseError extends SourcelinksError {
  override readonly name = "AuditPhraseError";
  readonly kind = "input";
}

/**
 * Parses `action:` (exact, a category such as `hook` for `hook.*`, or a `*` prefix; repeated ones are
 * alternatives) and `created:` (`>=`, `>`, `<=`, `<`, a date or time, or a `A..B` range; a bare date
 * is the whole day). Other qualifiers are ignored, as the sandbox does not index them.
 */
export function parsePhrase(phrase: string | null): AuditPhrase {
  const out: AuditPhrase = { actions: [], created: [] };
  for (const term of (phrase ?? "").split(/\s+/).filter((t) => t.length > 0)) {
    if (term.startsWith("action:")) out.actions.push(term.slice("action:".length));
    else if (term.startsWith("created:")) out.created.push(createdBound(term.slice("created:".length)));
  }
  return out;
}

function createdBound(raw: string): (ms: number) => boolean {
  const range = /^(.+)\.\.(.+)$/.exec(raw);
  if (range) {
    const from = instant(range[1]!, "start");
    const to = instant(range[2]!, "end");
    return (ms) => ms >= from && ms <= to;
  }
  const op = /^(>=|<=|>|<)?(.+)$/.exec(raw)!;
  const value = op[2]!;
  switch (op[1]) {
    case ">=":
      return (
        (at) => (ms: number) =>
          ms >= at
      )(instant(value, "start"));
    case ">":
      return (
        (at) => (ms: number) =>
          ms > at
      )(instant(value, "end"));
    case "<=":
      return (
        (at) => (ms: number) =>
          ms <= at
      )(instant(value, "end"));
    case "<":
      return (
        (at) => (ms: number) =>
          ms < at
      )(instant(value, "start"));
    default: {
      const from = instant(value, "start");
      const to = instant(value, "end");
      return (ms) => ms >= from && ms <= to;
    }
  }
}

/** Epoch ms of a date (`YYYY-MM-DD`, its first or last millisecond) or an ISO 8601 time. */
function instant(value: string, edge: "start" | "end"): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = Date.parse(`${value}T00:00:00Z`);
    if (Number.isFinite(day)) return edge === "start" ? day : day + 86_400_000 - 1;
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const at = Date.parse(value);
    if (Number.isFinite(at)) return at;
  }
  throw new AuditPhraseError(`created: "${value}" is not a date (YYYY-MM-DD) or an ISO 8601 time`);
}

/** Whether an action matches one `action:` value: exact, its category (`hook` for `hook.create`), or a `*` prefix. */
function actionMatches(wanted: string, action: string): boolean {
  if (wanted.endsWith("*")) return action.startsWith(wanted.slice(0, -1));
  return action === wanted || action.startsWith(`${wanted}.`);
}

/** One event with its place in the log (the index it was recorded at, the tiebreak of equal times). */
export interface PlacedEvent {
  event: GitHubAuditEventState;
  index: number;
  at: number;
}

/** What a query sees now: in retention, past the log's delay (`delayMs`), matching the phrase, in order. */
export function visibleEvents(
  log: readonly GitHubAuditEventState[],
  phrase: AuditPhrase,
  options: { nowMs: number; delayMs: number; retentionMs: number; ascending: boolean },
): PlacedEvent[] {
  const { nowMs, delayMs, retentionMs, ascending } = options;
  const placed: PlacedEvent[] = [];
  for (const [index, event] of log.entries()) {
    const at = Date.parse(event.created_at);
    if (at + delayMs > nowMs || at < nowMs - retentionMs) continue;
    if (phrase.actions.length > 0 && !phrase.actions.some((w) => actionMatches(w, event.action))) continue;
    if (!phrase.created.every((bound) => bound(at))) continue;
    placed.push({ event, index, at });
  }
  const sign = ascending ? 1 : -1;
  return placed.sort((a, b) => sign * (a.at - b.at || a.index - b.index));
}

/** The opaque cursor of an event's place (what GitHub's `after` takes): its time and index. */
export function cursorOf(e: PlacedEvent): string {
  return Buffer.from(`${e.at}:${e.index}`).toString("base64url");
}

/** The events after `cursor` in `ordered`'s order; all of them without a cursor; null for a cursor this log never issued. */
export function after(ordered: readonly PlacedEvent[], cursor: string | null, ascending: boolean): readonly PlacedEvent[] | null {
  if (cursor === null) return ordered;
  const m = /^(\d+):(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!m) return null;
  const at = Number(m[1]);
  const index = Number(m[2]);
  const sign = ascending ? 1 : -1;
  return ordered.filter((e) => sign * (e.at - at || e.index - index) > 0);
}
