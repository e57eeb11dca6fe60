/** The outcome of `check`, located in the YAML: the input of every check format. */
import type { SourceLocation } from "../../engine/config/loaded-config.js";
import type { Violation } from "../../policies/rules/index.js";

/** A violation with where its offending node was declared. */
export interface LocatedViolation extends Violation {
  location: SourceLocation;
}

/** What `check` found. */
export interface CheckReport {
  files: string[];
  /** Whether the live world was observed (`--live`) or only the config was checked. */
  live: boolean;
  violations: LocatedViolation[];
}

/** Counts by enforcement. */
export function countViolations(report: CheckReport): { mandatory: number; advisory: number } {
  let mandatory = 0;
  for (const v of report.violations) if (v.enforcement === "mandatory") mandatory++;
  return { mandatory, advisory: report.violations.length - mandatory };
}
