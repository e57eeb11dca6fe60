/**
 * `--format github`: GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`),
 * which annotate the YAML lines in a pull request without code scanning. Files are named relative to
 * the repository root, as the annotations need.
 */
import type { Diagnostic } from "../../engine/config/diagnostics.js";
import type { CheckReport } from "./check-report.js";
import { countViolations } from "./check-report.js";
import { plural } from "./observed-summary.js";

/** Where a file is relative to the repository root (undefined: outside it, then annotated without a file). */
export type RootPath = (file: string) => string | undefined;

/** A workflow command's message: `%`, CR and LF escaped, as the runner's command parser expects. */
function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A workflow command's property value: also `:` and `,`, which delimit properties. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** One annotation command. */
export function annotation(
  level: "error" | "warning",
  where: { file: string | undefined; line: number; column: number },
  title: string,
  message: string,
): string {
  const props = [
    ...(where.file === undefined ? [] : [`file=${escapeProperty(where.file)}`, `line=${where.line}`, `col=${where.column}`]),
    `title=${escapeProperty(title)}`,
  ];
  return `::${level} ${props.join(",")}::${escapeData(message)}`;
}

/** `check --format github`: one annotation per violation (mandatory → error, advisory → warning), then a summary line. */
export function formatCheckGithub(report: CheckReport, rootPath: RootPath): string {
  const lines = report.violations.map((v) =>
    annotation(
      v.enforcement === "mandatory" ? "error" : "warning",
      { file: rootPath(v.location.file), line: v.location.line, column: v.location.column },
      `sourcelinks ${v.ruleId}`,
      v.message,
    ),
  );
  const { mandatory, advisory } = countViolations(report);
  lines.push(`sourcelinks check: ${plural(mandatory, "mandatory violation")}, ${plural(advisory, "advisory violation")}.`);
  return `${lines.join("\n")}\n`;
}

/** `validate --format github`: one error annotation per configuration problem. */
export function formatDiagnosticsGithub(diagnostics: readonly Diagnostic[], rootPath: RootPath): string {
  return `${diagnostics.map((d) => annotation("error", { file: rootPath(d.file), line: d.line, column: d.column }, "sourcelinks validate", d.message)).join("\n")}\n`;
}
