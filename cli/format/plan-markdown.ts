/**
 * `plan --format markdown`: a pull-request comment that fits GitHub's 65,536-character cap at any
 * size. Counts first; then the resources with something to do, largest first, as table rows and
 * then as folded `<details>` with every request; unchanged resources are only counted. What does not
 * fit is counted in an "N more" note that points at the full JSON plan.
 */
import { entryDesired, entryKind } from "./entry-labels.js";
import { formatLocation } from "../location.js";
import type { PlanStep } from "../../engine/reconcile/steps/plan-step.js";
import { HELD_PROPOSALS_TITLE, HELD_TITLE, heldLines, heldProposalLines, proposedFileDiff } from "./held.js";
import type { PlanRun, PlannedEntry } from "../../engine/reconcile/run/entries.js";
import { observedSummary, plural } from "./observed-summary.js";
import { cell, code, html } from "./markdown.js";
import { markdownAutolink, markdownText } from "./escape.js";
import { MarkdownBudget, sizeOf } from "./markdown-budget.js";
import { countSteps, entriesOf, summarize, type PlanCounts, type PlanSummary } from "./plan-summary.js";
import { API_CATEGORIES, CATEGORY_TITLES, KEPT_TITLE, categoryOf, describeKept, describeStep, isApiStep, manualStepsOf } from "./steps.js";

/** Room kept for the closing note and the file list, whatever the lists above take. */
const CLOSING_RESERVE = 2_000;

/** Options of the markdown plan. */
export interface PlanMarkdownOptions {
  /** The most characters the comment may have (default: under GitHub's cap, see markdown-budget.ts). */
  maxChars?: number;
}

/** The markdown plan. */
export function formatPlanMarkdown(run: PlanRun, options: PlanMarkdownOptions = {}): string {
  const s = summarize(run);
  const out = new MarkdownBudget(options.maxChars);
  const withWork = entriesOf(run)
    .map((entry) => ({ entry, counts: countSteps(entry) }))
    // Artifacts kept for another live link are shown too: a reviewer must see why they stay.
    // A step recorded done that the run observes otherwise is shown too: it is a finding, not a pass.
    .filter(
      ({ entry, counts }) =>
        counts.apiSteps > 0 || counts.manualSteps > 0 || counts.manualStepsObservedOtherwise > 0 || (entry.plan.kept ?? []).length > 0,
    )
    // Largest first, config order among equals (sort is stable).
    .sort((a, b) => b.counts.apiSteps + b.counts.manualSteps - (a.counts.apiSteps + a.counts.manualSteps));
  const unchanged = s.resources - withWork.length;

  out.add([
    "## sourcelinks plan",
    "",
    s.hasChanges
      ? `**${plural(s.apiSteps, "request")}** on ${s.resourcesWithChanges} of ${plural(s.resources, "resource")}` +
        (s.manualSteps > 0 ? `, plus ${plural(s.manualSteps, "manual step")}.` : ".")
      : `**No changes.** ${plural(s.resources, "resource")} match the configuration` +
        (s.manualSteps > 0 ? `; ${plural(s.manualSteps, "manual step")} pending.` : "."),
    "",
    ...manualLedgerLine(s),
    "| Build service | Revocations | Webhooks | Deploy keys | Manual | Unchanged resources |",
    "| ---: | ---: | ---: | ---: | ---: | ---: |",
    `| ${s.buildServiceCalls} | ${s.providerRevocations} | ${s.webhookDeletions} | ${s.deployKeyDeletions} | ${s.manualSteps} | ${unchanged} |`,
    "",
    ...(s.replacementBuildSteps === undefined
      ? []
      : [`Replacement builds: ${plural(s.replacementBuildSteps, "step")} on ${plural(s.builds ?? 0, "file")}.`, ""]),
  ]);
  out.add(heldSection(run));

  let rowsShown = 0;
  if (withWork.length > 0) {
    out.tryAdd(
      [
        "| Resource | Desired | Observed | Build service | Revocations | Webhooks | Deploy keys | Manual |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
      ],
      CLOSING_RESERVE,
    );
    for (const { entry, counts } of withWork) {
      if (!out.tryAdd([row(entry, counts)], CLOSING_RESERVE)) break;
      rowsShown++;
    }
    out.add([""]);
  }

  let detailsShown = 0;
  let stepsNotShown = 0;
  for (const { entry, counts } of withWork.slice(0, rowsShown)) {
    const block = details(entry, counts, out.room(CLOSING_RESERVE));
    if (block === null || !out.tryAdd(block.lines, CLOSING_RESERVE)) break;
    detailsShown++;
    stepsNotShown += block.omitted;
  }

  const closing: string[] = [];
  const rowsLeft = withWork.length - rowsShown;
  const detailsLeft = rowsShown - detailsShown;
  if (rowsLeft > 0 || detailsLeft > 0 || stepsNotShown > 0) {
    const hidden = withWork.slice(rowsShown).reduce((n, w) => n + w.counts.apiSteps, 0);
    const parts = [
      rowsLeft > 0 ? `**${rowsLeft} more ${rowsLeft === 1 ? "resource" : "resources"}** with ${plural(hidden, "request")}` : null,
      detailsLeft > 0 ? `the details of ${plural(detailsLeft, "resource")} listed above` : null,
      stepsNotShown > 0 ? plural(stepsNotShown, "step") + " inside the details shown" : null,
    ].filter((p) => p !== null);
    closing.push(
      `${parts.join(", ")}: not shown, to keep this comment under GitHub's 65,536-character limit. ` +
        "The full plan is the JSON artifact (`sourcelinks plan --format json`, or the file `sourcelinks plan --out` saved).",
      "",
    );
  }
  if (unchanged > 0) closing.push(`${plural(unchanged, "resource")} unchanged (counted, not listed).`, "");
  if (run.files.length > 0) {
    const files = `<sub>From ${run.files.map(code).join(", ")}.</sub>`;
    closing.push(files.length <= CLOSING_RESERVE / 2 ? files : `<sub>From ${plural(run.files.length, "file")}.</sub>`, "");
  }
  out.add(closing);
  return out.text();
}

function row(entry: PlannedEntry, c: PlanCounts): string {
  const desired = entryDesired(entry);
  return (
    `| ${cell(`${entryKind(entry, true)} ${code(entry.plan.name)}`)} | ${desired} | ${cell(markdownText(observedSummary(entry)))} | ` +
    `${c.buildServiceCalls} | ${c.providerRevocations} | ${c.webhookDeletions} | ${c.deployKeyDeletions} | ${c.manualSteps} |`
  );
}

/**
 * One resource's folded details within `room` characters: every request while they fit, then a
 * count of the rest. Null when not even its heading fits.
 */
function details(entry: PlannedEntry, c: PlanCounts, room: number): { lines: string[]; omitted: number } | null {
  const title =
    `${entryKind(entry)} ${entry.plan.name}: ${plural(c.apiSteps, "request")}` +
    (c.manualSteps > 0 ? `, ${plural(c.manualSteps, "manual step")}` : "");
  const head = [`<details><summary>${html(title)}</summary>`, ""];
  if (entry.location) head.push(`Declared at ${code(formatLocation(entry.location))}.`, "");
  const tail = ["</details>", ""];
  // Room for the heading, the closing tag and a "N more" line.
  let left = room - sizeOf(head) - sizeOf(tail) - 120;
  if (left < 0) return null;
  const body: string[] = [];
  let omitted = 0;
  const take = (lines: string[], steps: number): void => {
    const cost = sizeOf(lines);
    if (omitted === 0 && cost <= left) {
      body.push(...lines);
      left -= cost;
    } else omitted += steps;
  };
  const apiSteps = entry.plan.steps.filter(isApiStep);
  for (const category of API_CATEGORIES) {
    const steps = apiSteps.filter((s) => categoryOf(s) === category);
    if (steps.length === 0) continue;
    take([`**${CATEGORY_TITLES[category]}**`, ""], 0);
    for (const step of steps)
      take([`- ${markdownText(describeStep(step))}: ${code(`${step.request.method} ${step.request.url}`)}`, ...diffBlock(step)], 1);
    take([""], 0);
  }
  const manual = manualStepsOf(entry.plan.steps);
  if (manual.length > 0) {
    take([`**${CATEGORY_TITLES.manual}**`, ""], 0);
    manual.forEach((m, i) =>
      take([`${i + 1}. ${markdownText(m.summary)}`, `   ${markdownText(m.uiPath)}: ${markdownAutolink(m.url)}`, `   id: ${code(m.id)}`], 1),
    );
    take([""], 0);
  }
  const recorded = recordedStepLines(entry);
  if (recorded.length > 0) take(recorded, 0);
  const kept = entry.plan.kept ?? [];
  if (kept.length > 0) {
    take([`**${KEPT_TITLE}**`, ""], 0);
    for (const item of kept) take([`- ${markdownText(describeKept(item))}`], 1);
    take([""], 0);
  }
  if (omitted > 0) body.push(`- … ${plural(omitted, "more step")}: see the JSON plan.`, "");
  return { lines: [...head, ...body, ...tail], omitted };
}

/** The proposals held back, then the revocations kept back until their builds are verified, each located; nothing when none is. */
function heldSection(run: PlanRun): string[] {
  const proposals = heldProposalLines(run);
  const out = proposals.length === 0 ? [] : [`### ${HELD_PROPOSALS_TITLE}`, "", ...proposals.map((p) => `- ${markdownText(p)}`), ""];
  if (run.held === undefined || run.held.length === 0) return out;
  return [
    ...out,
    `### ${HELD_TITLE}`,
    "",
    ...heldLines(run.held).flatMap((h) => [`- ${markdownText(h.link)}`, ...h.builds.map((b) => `  - waits for ${markdownText(b)}`)]),
    "",
  ];
}

/** A proposed file's diff as a fenced `diff` block, its fence longer than any backtick run inside. */
function diffBlock(step: PlanStep): string[] {
  const lines = proposedFileDiff(step);
  if (lines.length === 0) return [];
  const longest = Math.max(2, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((r) => r.length))));
  const fence = "`".repeat(longest + 1);
  return ["", `  ${fence}diff`, ...lines.map((l) => `  ${l}`), `  ${fence}`, ""];
}

/** The manual steps recorded in the YAML, when any: how many are done by hand, and how many were observed otherwise. */
function manualLedgerLine(s: PlanSummary): string[] {
  if (s.manualStepsDone === 0 && s.manualStepsObservedOtherwise === 0) return [];
  const otherwise = s.manualStepsObservedOtherwise > 0 ? `; ${s.manualStepsObservedOtherwise} recorded done, but observed otherwise` : "";
  return [`Manual steps recorded in \`manualSteps\`: ${s.manualStepsDone} done by hand${otherwise}.`, ""];
}

/** One resource's steps recorded in manualSteps, by id: done by hand, or recorded done but observed otherwise. */
function recordedStepLines(entry: PlannedEntry): string[] {
  const done = entry.doneByHand ?? [];
  const otherwise = entry.observedOtherwise ?? [];
  if (done.length === 0 && otherwise.length === 0) return [];
  return [
    "**Recorded in manualSteps**",
    "",
    ...done.map((d) => `- ${code(d.step.id)}: done by hand ${d.done} by ${markdownText(d.by)} (not verifiable by API)`),
    ...otherwise.map(
      (d) =>
        `- ${code(d.step.id)}: recorded done ${d.done} by ${markdownText(d.by)}, **but observed otherwise**: ${markdownText(d.observed)}`,
    ),
    "",
  ];
}
