/** Words shared by the markdown and HTML renderers of the report. Pure. */
import type {
  ArtifactState,
  NotProven,
  NotProvenReason,
  ReportArtifact,
  ReportLink,
  ReportOrgAccess,
  ReportOwner,
  ReportStepStatus,
  RetirementReport,
} from "./model.js";

/** How each artifact state is named in tables and legends. */
export const STATE_TITLES: Record<ArtifactState, string> = { "in-use": "in use", leftover: "leftover", orphaned: "orphaned" };

/** How each artifact kind is named. */
export const KIND_TITLES: Record<ReportArtifact["kind"], string> = {
  "repository-webhook": "webhook",
  "org-webhook": "org webhook",
  "deploy-key": "deploy key",
};

/** `n thing` or `n things`. */
export function count(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

/** The headline: days left (or past) until the retirement, as of the run's date. */
export function daysLeftText(report: RetirementReport): string {
  const d = report.daysLeft;
  if (d > 0) return `${count(d, "day")} left`;
  if (d === 0) return "retirement day";
  return `${count(-d, "day")} past retirement`;
}

/** Whether anything still needs doing, in one sentence. */
export function statusText(report: RetirementReport): string {
  if (report.summary.retired) {
    const byHand = report.summary.facts.recordedByHand.length;
    const recorded = byHand > 0 ? ` ${count(byHand, "fact")} of it recorded by hand, the rest verified by API.` : "";
    return `Retired: no live link, no active grant, no build-service webhook or deploy key, no open manual step.${recorded}`;
  }
  const s = report.summary;
  const parts = [
    s.links.linked + s.links.disabled > 0 ? count(s.links.linked + s.links.disabled, "live link") : null,
    s.grants.active > 0 ? count(s.grants.active, "active grant") : null,
    s.artifacts["in-use"] > 0 ? `${count(s.artifacts["in-use"], "artifact")} in use` : null,
    s.artifacts.leftover > 0 ? count(s.artifacts.leftover, "leftover") : null,
    s.artifacts.orphaned > 0 ? count(s.artifacts.orphaned, "orphan") : null,
    s.manualSteps.open > 0 ? count(s.manualSteps.open, "open manual step") : null,
  ].filter((p) => p !== null);
  // What the counts above do not say (a link whose unlinking is unproven, an owner not swept, …) is named too.
  const counted = new Set<NotProvenReason>(["live-links", "active-grants", "artifacts-left", "open-manual-steps"]);
  const others = s.notProven.filter((n) => !counted.has(n.reason)).map((n) => NOT_PROVEN_TITLES[n.reason]);
  if (parts.length === 0) return `Not yet retired: ${others.length > 0 ? others.join(", ") : "superseded records still live"}.`;
  return `Not yet retired: ${parts.join(", ")}${others.length > 0 ? `; not proven either: ${others.join(", ")}` : ""}.`;
}

/** How each reason retirement is not proven is named. */
export const NOT_PROVEN_TITLES: Record<NotProvenReason, string> = {
  "live-links": "live links (observed linked or disabled, or declared so where the state cannot be observed)",
  "unlinking-not-proven": "revoked links whose unlinking is neither observed nor recorded",
  "active-grants": "active grants",
  "grants-not-proven": "grants neither observed revoked nor recorded as revoked",
  "artifacts-left": "build-service webhooks and deploy keys still there",
  "unobserved-repositories": "declared repositories that answer 404 or that the token cannot read",
  "owners-not-swept": "owners of a revoked link's repositories that no sweep covers",
  "open-manual-steps": "open manual steps",
  "observed-otherwise": "manual steps recorded done, but observed otherwise",
};

/** Names shown per reason before an "and N more". */
const NAMES_SHOWN = 10;

/** One reason in words: `open manual steps (2): docker-hub-unlink:acme:github:x, …`. */
export function notProvenText(n: NotProven): string {
  const shown = n.names.slice(0, NAMES_SHOWN).join(", ");
  const more = n.names.length > NAMES_SHOWN ? `, and ${n.names.length - NAMES_SHOWN} more` : "";
  return `${NOT_PROVEN_TITLES[n.reason]} (${n.names.length}): ${shown}${more}`;
}

/** How each manual step status is named. */
export const STEP_STATUS_TITLES: Record<ReportStepStatus, string> = {
  open: "open",
  done: "recorded done by hand",
  "observed-otherwise": "recorded done, but observed otherwise",
  "not-needed": "recorded, no longer needed",
};

/** Artifacts of an owner by state. */
export function artifactCounts(owner: ReportOwner): Record<ArtifactState, number> {
  const c: Record<ArtifactState, number> = { "in-use": 0, leftover: 0, orphaned: 0 };
  for (const a of owner.artifacts) c[a.state]++;
  return c;
}

/** `granted (declared granted, via build-service)`, `denied (not declared, via probe)`, or `not observed`. */
export function orgAccessText(access: ReportOrgAccess | null): string {
  if (access === null) return "not observed";
  const declared =
    access.declared === null ? "not declared" : access.declared === access.observed ? "as declared" : `declared ${access.declared}`;
  return `${access.observed} (${declared}, via ${access.observedVia})`;
}

/** `linked`, or `revoked (declared linked)` when the live state differs from the YAML. */
export function linkStateText(link: ReportLink): string {
  return link.observedState === link.declaredState ? link.observedState : `${link.observedState} (declared ${link.declaredState})`;
}

/** Open manual steps of a link or org. */
export function openSteps(steps: readonly { status: ReportStepStatus }[]): number {
  return steps.filter((s) => s.status === "open").length;
}

/** What the sweeps of one owner read: repositories swept and foreign webhooks left alone, summed over its sweeps. */
export function sweptTotals(owner: ReportOwner): { repositories: number; foreignWebhooks: number } {
  return {
    repositories: owner.sweeps.reduce((n, sweep) => n + sweep.repositoriesSwept, 0),
    foreignWebhooks: owner.sweeps.reduce((n, sweep) => n + sweep.foreignWebhookCount, 0),
  };
}
