/** How a sweep read its owner, in one line for plan, check and report. */
import type { SweepObservation, SweepRefresh } from "../../engine/model/sweep.js";
import { age } from "../../engine/reconcile/refresh-owner.js";

function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

/**
 * `refreshed from the audit log: 3 events, 2 repositories re-read; last full verification 2 h ago`, or
 * `full read: the audit log answered 404 (…)`; null when the run kept no refresh state.
 */
export function refreshSummary(refresh: SweepRefresh | undefined): string | null {
  if (refresh === undefined) return null;
  const since = refresh.lastFullVerificationAgeSeconds * 1000;
  const verified = refresh.mode === "full" ? "this run is a full verification" : `last full verification ${age(since)} ago`;
  const missed = refresh.missedEvents.length > 0 ? `; missed events: ${refresh.missedEvents.join("; ")}` : "";
  switch (refresh.mode) {
    case "full":
      return `full read (${refresh.fullBecause ?? "asked"}); ${verified}${missed}`;
    case "incremental":
      return `refreshed from the audit log: ${plural(refresh.events, "event")}, ${plural(refresh.reread, "repository", "repositories")} re-read; ${verified}`;
    case "rolling":
      return `rolling read (no audit log): ${plural(refresh.reread, "repository", "repositories")} re-read; ${verified}; staleness bound ${plural(refresh.stalenessBoundRuns ?? 0, "run")}`;
  }
}

/** One line per sweep that has a refresh note: `sweep NAME: …`. */
export function sweepRefreshLines(sweeps: readonly SweepObservation[]): string[] {
  return sweeps.flatMap((s) => {
    const line = refreshSummary(s.refresh);
    return line === null ? [] : [`sweep ${s.name}: ${line}`];
  });
}
