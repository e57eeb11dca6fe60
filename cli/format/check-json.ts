/**
 * `check --format json`: `apiVersion: sourcelinks.check/v1`, the counts, and every violation with its
 * rule, enforcement, resource, subject, message, fix, JSON pointer and YAML location.
 */
import type { SourceLocation } from "../../engine/config/loaded-config.js";
import { countViolations, type CheckReport } from "./check-report.js";

/** The `apiVersion` of the JSON check report. */
export const CHECK_API_VERSION = "sourcelinks.check/v1";

/** One violation of the JSON report. */
export interface CheckViolationJson {
  ruleId: string;
  enforcement: "mandatory" | "advisory";
  resource: string;
  subject: string;
  message: string;
  fix: string;
  pointer: string | null;
  location: SourceLocation;
}

/** The JSON report. */
export interface CheckJson {
  apiVersion: typeof CHECK_API_VERSION;
  files: string[];
  live: boolean;
  summary: { mandatory: number; advisory: number; passed: boolean };
  violations: CheckViolationJson[];
}

/** The report as a value. */
export function checkToJson(report: CheckReport): CheckJson {
  const counts = countViolations(report);
  return {
    apiVersion: CHECK_API_VERSION,
    files: report.files,
    live: report.live,
    summary: { ...counts, passed: counts.mandatory === 0 },
    violations: report.violations.map((v) => ({
      ruleId: v.ruleId,
      enforcement: v.enforcement,
      resource: v.resource,
      subject: v.subject,
      message: v.message,
      fix: v.fix,
      pointer: v.pointer ?? null,
      location: v.location,
    })),
  };
}

/** `check --format json` output. */
export function formatCheckJson(report: CheckReport): string {
  return `${JSON.stringify(checkToJson(report), null, 2)}\n`;
}
