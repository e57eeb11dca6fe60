/**
 * `plan` for people: per resource, what was observed and each request apply would send, grouped as
 * build-service calls, provider-side revocations, webhook and deploy-key deletions, then the manual
 * steps with their UI path and URL.
 */
import type { PlanStep } from "../../engine/reconcile/steps/plan-step.js";
import { formatLocation } from "../location.js";
import { HELD_PROPOSALS_TITLE, HELD_TITLE, heldLines, heldProposalLines, proposedFileDiff } from "./held.js";
import type { PlanRun, PlannedEntry } from "../../engine/reconcile/run/entries.js";
import { entryDesired, entryKind } from "./entry-labels.js";
import { terminalText } from "./escape.js";
import { observedSummary, plural } from "./observed-summary.js";
import { countSteps, entriesOf, summarize, type PlanSummary } from "./plan-summary.js";
import {
  API_CATEGORIES,
  CATEGORY_TITLES,
  KEPT_TITLE,
  SENT_BY_TITLE,
  categoryOf,
  describeKept,
  describeStep,
  isApiStep,
  manualStepsOf,
} from "./steps.js";

/** The text plan. */
export function formatPlanText(run: PlanRun): string {
  const lines: string[] = [];
  for (const entry of entriesOf(run)) lines.push(...resourceLines(entry), "");
  if (run.held !== undefined && run.held.length > 0) {
    lines.push(`${HELD_TITLE}:`);
    for (const h of heldLines(run.held)) lines.push(`  ${h.link}`, ...h.builds.map((b) => `    waits for ${b}`));
    lines.push("");
  }
  const proposals = heldProposalLines(run);
  if (proposals.length > 0) lines.push(`${HELD_PROPOSALS_TITLE}:`, ...proposals.map((p) => `  ${p}`), "");
  lines.push(summaryLine(summarize(run)));
  // Each line is one line on the terminal: remote text in it (titles, URLs) cannot break or control it.
  return `${lines.map(terminalText).join("\n")}\n`;
}

function resourceLines(entry: PlannedEntry): string[] {
  const kind = entryKind(entry);
  const desired = entryDesired(entry);
  const where = entry.location ? `  (${formatLocation(entry.location)})` : "";
  const counts = countSteps(entry);
  const status = counts.apiSteps === 0 ? "no changes" : plural(counts.apiSteps, "change");
  const lines = [`${kind} ${entry.plan.name}: ${desired}, ${status}${where}`, `  observed: ${observedSummary(entry)}`];
  // A revoked link's vanished repository is not refused (missing-names.ts): the rest of its cleanup goes
  // on, but nothing there is observed, so a person fixes the name or records it gone (a manual step below).
  if (entry.resource === "link" && entry.spec.state === "revoked") {
    for (const r of entry.observed.repositories)
      if (!r.exists)
        lines.push(`  repository ${r.repository} answers 404 (deleted, misnamed, or hidden from the token): nothing there is observed`);
  }
  const apiSteps = entry.plan.steps.filter(isApiStep);
  for (const category of API_CATEGORIES) {
    const steps = apiSteps.filter((s) => categoryOf(s) === category);
    if (steps.length === 0) continue;
    lines.push(`  ${CATEGORY_TITLES[category]}:`);
    for (const step of steps)
      lines.push(
        `    ${marker(step)} ${describeStep(step)}`,
        `        ${step.request.method} ${step.request.url}`,
        ...proposedFileDiff(step).map((d) => `        ${d}`),
      );
  }
  const manual = manualStepsOf(entry.plan.steps);
  if (manual.length > 0) {
    lines.push(`  ${CATEGORY_TITLES.manual} (apply cannot do these):`);
    manual.forEach((m, i) =>
      lines.push(
        `    ${i + 1}. ${m.summary}`,
        `       where: ${m.uiPath}`,
        `       url:   ${m.url}`,
        `       id:    ${m.id} (once done, record it under manualSteps)`,
      ),
    );
  }
  lines.push(...recordedLines(entry));
  const kept = entry.plan.kept ?? [];
  if (kept.length > 0) {
    lines.push(`  ${KEPT_TITLE}:`);
    for (const item of kept) lines.push(`    = ${describeKept(item)}`);
  }
  const sentBy = entry.plan.sentBy ?? [];
  if (sentBy.length > 0) {
    lines.push(`  ${SENT_BY_TITLE}:`);
    for (const { step, by } of sentBy) lines.push(`    = ${describeStep(step)}: sent once, by link ${by}`);
  }
  return lines;
}

/** The entry's steps recorded in manualSteps: done by hand, and those the run observed otherwise. */
function recordedLines(entry: PlannedEntry): string[] {
  const lines: string[] = [];
  const done = entry.doneByHand ?? [];
  if (done.length > 0) {
    lines.push("  done by hand (recorded in manualSteps, not verifiable by API):");
    for (const d of done) lines.push(`    - ${d.step.id}: done ${d.done} by ${d.by}`);
  }
  const otherwise = entry.observedOtherwise ?? [];
  if (otherwise.length > 0) {
    lines.push("  recorded done, but observed otherwise (still to do):");
    for (const d of otherwise) {
      lines.push(`    ! ${d.step.id}: recorded done ${d.done} by ${d.by}, but ${d.observed}`);
      if (d.step.summary !== "") lines.push(`       ${d.step.summary}`, `       where: ${d.step.uiPath}`, `       url:   ${d.step.url}`);
    }
  }
  return lines;
}

/** `+` creates, `~` changes in place, `-` removes. */
function marker(step: PlanStep): string {
  if (step.kind === "link" || step.kind === "add-repository") return "+";
  if (categoryOf(step) === "replacement-build") return step.kind === "proposal-pull-request" && step.number !== null ? "~" : "+";
  if (step.kind === "set-state" || step.kind === "set-org-access") return "~";
  return "-";
}

function summaryLine(s: PlanSummary): string {
  const manual = manualSummary(s);
  if (!s.hasChanges) return `No changes: ${plural(s.resources, "resource")} match the configuration${manual}.`;
  return (
    `Plan: ${plural(s.apiSteps, "request")} on ${s.resourcesWithChanges} of ${plural(s.resources, "resource")}: ` +
    `${plural(s.buildServiceCalls, "build-service call")}, ${plural(s.providerRevocations, "provider revocation")}, ` +
    `${plural(s.webhookDeletions, "webhook deletion")}, ${plural(s.deployKeyDeletions, "deploy key deletion")}` +
    `${s.replacementBuildSteps === undefined ? "" : `, ${plural(s.replacementBuildSteps, "replacement-build step")}`}${manual}.`
  );
}

/** `; 2 manual steps to do by hand, 3 recorded done, 1 recorded done but observed otherwise`: the ledger's counts. */
function manualSummary(s: PlanSummary): string {
  const parts: string[] = [];
  if (s.manualSteps > 0) parts.push(`${plural(s.manualSteps, "manual step")} to do by hand`);
  if (s.manualStepsDone > 0) parts.push(`${s.manualStepsDone} recorded done`);
  if (s.manualStepsObservedOtherwise > 0) parts.push(`${s.manualStepsObservedOtherwise} recorded done but observed otherwise`);
  return parts.length === 0 ? "" : `; ${parts.join(", ")}`;
}
