/** How each kind of planned entry is named in every plan format: its kind word and its desired state. */
import type { PlannedEntry } from "../../engine/reconcile/run/entries.js";

/** `link`, `org access` or `sweep` (`short`: `org` for org access, as table rows read). */
export function entryKind(entry: PlannedEntry, short = false): string {
  if (entry.resource === "link") return "link";
  if (entry.resource === "sweep") return "sweep";
  return short ? "org" : "org access";
}

/** The declared state: a link's `state`, an org's `access`, and for a sweep what it declares (`no-orphans`). */
export function entryDesired(entry: PlannedEntry): string {
  if (entry.resource === "link") return entry.spec.state;
  if (entry.resource === "sweep") return "no-orphans";
  return entry.spec.access;
}
