/** `check` for people and editors: one `FILE:LINE:COL: level rule: message` line per violation. */
import { formatLocation } from "../location.js";
import { terminalText } from "./escape.js";
import { plural } from "./observed-summary.js";
import { countViolations, type CheckReport } from "./check-report.js";

/** The text report. */
export function formatCheckText(report: CheckReport): string {
  const lines = report.violations.map(
    (v) => `${formatLocation(v.location)}: ${v.enforcement === "mandatory" ? "error" : "warning"} [${v.ruleId}] ${v.message}`,
  );
  const { mandatory, advisory } = countViolations(report);
  const scope = report.live ? "configuration and live state" : "configuration";
  lines.push(
    report.violations.length === 0
      ? `No policy violations (${scope} checked).`
      : `${plural(mandatory, "mandatory violation")}, ${plural(advisory, "advisory violation")} (${scope} checked).`,
  );
  // Violation messages quote remote text (URLs, titles): one terminal line each, whatever it holds.
  return `${lines.map(terminalText).join("\n")}\n`;
}
