/** `report --format json`: the report as schema/report.schema.json describes it (the input of `report --merge`). */
import type { RetirementReport } from "./model.js";

/** The JSON text, pretty-printed, one trailing newline. */
export function renderReportJson(report: RetirementReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
