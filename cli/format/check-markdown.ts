/** `check --format markdown`: a pull-request comment, mandatory violations first. */
import { formatLocation } from "../location.js";
import { cell, code } from "./markdown.js";
import { markdownText } from "./escape.js";
import { plural } from "./observed-summary.js";
import { countViolations, type CheckReport } from "./check-report.js";

/** The markdown report. */
export function formatCheckMarkdown(report: CheckReport): string {
  const { mandatory, advisory } = countViolations(report);
  const scope = report.live ? "configuration and live state" : "configuration";
  const lines = ["## sourcelinks check", ""];
  if (report.violations.length === 0) {
    lines.push(`**No policy violations** (${scope} checked).`, "");
    return `${lines.join("\n")}\n`;
  }
  lines.push(
    `${mandatory > 0 ? "**Failed:**" : "**Passed with warnings:**"} ${plural(mandatory, "mandatory violation")}, ${plural(advisory, "advisory violation")} (${scope} checked).`,
    "",
    "| Level | Rule | Resource | Subject | Where | Fix |",
    "| --- | --- | --- | --- | --- | --- |",
  );
  const ordered = [...report.violations].sort((a, b) => (a.enforcement === b.enforcement ? 0 : a.enforcement === "mandatory" ? -1 : 1));
  for (const v of ordered) {
    lines.push(
      `| ${v.enforcement} | ${code(v.ruleId)} | ${cell(markdownText(v.resource))} | ${cell(markdownText(v.subject))} | ${code(formatLocation(v.location))} | ${cell(markdownText(v.fix))} |`,
    );
  }
  lines.push("", "<details><summary>Messages</summary>", "");
  for (const v of ordered) lines.push(`- ${code(v.ruleId)}: ${markdownText(v.message)}`);
  lines.push("", "</details>", "");
  return `${lines.join("\n")}\n`;
}
