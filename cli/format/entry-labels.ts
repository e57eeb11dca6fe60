/** How each kind of planned entry is named in every plan format: its kind word and its desired state. */
import type { PlannedEntry } from "../../engine/reconcile/run/entries.js";

/** `link`, `org access`, `sweep` or `build` (`short`: `org` for org access, as table rows read). */
export function entryKind(entry: PlannedEntry, short = false): string {
  if (entry.resource === "link") return "link";
  if (entry.resource === "sweep") return "sweep";
  if (entry.resource === "build") return "build";
  return short ? "org" : "org access";
}

/** The declared state: a link's `state`, an org's `access`, and for a sweep what it declares (`no-orphans`). */
export function entryDesired(entry: PlannedEntry): string {
  if (entry.resource === "link") return entry.spec.state;
  if (entry.resource === "sweep") return "no-orphans";
  // A replacement build is done once its first run built and pushed every tag.
  if (entry.resource === "build") return "verified";
  return entry.spec.access;
}
