/**
 * `check --format markdown`: a pull-request comment that fits GitHub's 65,536-character cap at any
 * size. Counts per rule first; then the violations, mandatory first and the largest rules first, as
 * table rows while they fit; what does not fit is counted in an "N more" note that points at the
 * full JSON report.
 */
import type { LocatedViolation } from "./check-report.js";
import { formatLocation } from "../location.js";
import { cell, code } from "./markdown.js";
import { markdownText } from "./escape.js";
import { MarkdownBudget } from "./markdown-budget.js";
import { plural } from "./observed-summary.js";
import { countViolations, type CheckReport } from "./check-report.js";

/** Room kept for the closing note, whatever the table takes. */
const CLOSING_RESERVE = 1_000;

/** Options of the markdown report. */
export interface CheckMarkdownOptions {
  /** The most characters the comment may have (default: under GitHub's cap, see markdown-budget.ts). */
  maxChars?: number;
}

/** The markdown report. */
export function formatCheckMarkdown(report: CheckReport, options: CheckMarkdownOptions = {}): string {
  const { mandatory, advisory } = countViolations(report);
  const scope = report.live ? "configuration and live state" : "configuration";
  const out = new MarkdownBudget(options.maxChars);
  out.add(["## sourcelinks check", ""]);
  if (report.violations.length === 0) {
    out.add([`**No policy violations** (${scope} checked).`, ""]);
    return out.text();
  }
  const groups = byRule(report.violations);
  out.add([
    `${mandatory > 0 ? "**Failed:**" : "**Passed with warnings:**"} ${plural(mandatory, "mandatory violation")}, ${plural(advisory, "advisory violation")} (${scope} checked).`,
    "",
    "| Level | Rule | Violations |",
    "| --- | --- | ---: |",
    ...groups.map((g) => `| ${g.enforcement} | ${code(g.ruleId)} | ${g.violations.length} |`),
    "",
  ]);

  let shown = 0;
  out.tryAdd(["| Level | Rule | Resource | Subject | Where | Fix |", "| --- | --- | --- | --- | --- | --- |"], CLOSING_RESERVE);
  const ordered = groups.flatMap((g) => g.violations);
  for (const v of ordered) {
    if (
      !out.tryAdd(
        [
          `| ${v.enforcement} | ${code(v.ruleId)} | ${cell(markdownText(v.resource))} | ${cell(markdownText(v.subject))} | ${code(formatLocation(v.location))} | ${cell(markdownText(v.fix))} |`,
        ],
        CLOSING_RESERVE,
      )
    )
      break;
    shown++;
  }
  out.add([""]);

  // The messages repeat what the table says in prose: worth showing only when the whole table fit.
  let messages = 0;
  if (shown === ordered.length && out.tryAdd(["<details><summary>Messages</summary>", ""], CLOSING_RESERVE)) {
    for (const v of ordered) {
      if (!out.tryAdd([`- ${code(v.ruleId)}: ${markdownText(v.message)}`], CLOSING_RESERVE)) break;
      messages++;
    }
    out.add(["", "</details>", ""]);
  }

  const left = ordered.length - shown;
  if (left > 0 || messages < ordered.length) {
    out.add([
      (left > 0
        ? `**${left} more ${left === 1 ? "violation" : "violations"}** not listed`
        : `${plural(ordered.length - messages, "message")} not shown`) +
        ", to keep this comment under GitHub's 65,536-character limit. The full report is the JSON artifact (`sourcelinks check --format json`).",
      "",
    ]);
  }
  return out.text();
}

/** Violations grouped by rule: mandatory rules first, then the largest groups, then rule id. */
function byRule(violations: readonly LocatedViolation[]): { ruleId: string; enforcement: string; violations: LocatedViolation[] }[] {
  const groups = new Map<string, { ruleId: string; enforcement: string; violations: LocatedViolation[] }>();
  for (const v of violations) {
    const key = `${v.enforcement}\u0000${v.ruleId}`;
    const group = groups.get(key) ?? { ruleId: v.ruleId, enforcement: v.enforcement, violations: [] };
    group.violations.push(v);
    groups.set(key, group);
  }
  const rank = (e: string): number => (e === "mandatory" ? 0 : 1);
  return [...groups.values()].sort(
    (a, b) =>
      rank(a.enforcement) - rank(b.enforcement) ||
      b.violations.length - a.violations.length ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );
}
