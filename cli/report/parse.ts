/**
 * Reading a JSON report back (`report --merge`): the text must be a `sourcelinks.report/v1` report
 * valid against schema/report.schema.json, else invalid input (exit 2) naming the file and what is wrong.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import schema from "../../schema/report.schema.json" with { type: "json" };
import { CliError, ExitCode } from "../exit-codes.js";
import { parseIsoDate } from "./days-left.js";
import { REPORT_API_VERSION, type RetirementReport } from "./model.js";

/** Errors named per file: the first few are enough to see what the file is. */
const MAX_ERRORS = 5;

let compiled: ValidateFunction | undefined;

/** The schema's validator, compiled on first use (only `--merge` needs it). */
function validator(): ValidateFunction {
  compiled ??= new Ajv2020({ allErrors: true, strict: true }).compile(schema);
  return compiled;
}

/** Parses and validates one report file's text. */
export function parseReport(text: string, file: string): RetirementReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      ExitCode.invalidInput,
      `${file}: not a sourcelinks report: not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  // Another of sourcelinks' JSON files (a plan, a check report) is named as such, not by its fifty schema errors.
  const apiVersion =
    value !== null && typeof value === "object" && !Array.isArray(value) ? (value as { apiVersion?: unknown }).apiVersion : undefined;
  if (apiVersion !== REPORT_API_VERSION) {
    const found = apiVersion === undefined ? "has no apiVersion" : `has apiVersion ${JSON.stringify(apiVersion)}`;
    throw new CliError(
      ExitCode.invalidInput,
      `${file}: not a sourcelinks report: it ${found}, expected "${REPORT_API_VERSION}" (as sourcelinks report --format json writes it)`,
    );
  }
  const validate = validator();
  if (!validate(value)) {
    const what = `${file}: not a sourcelinks report (apiVersion ${REPORT_API_VERSION}, as sourcelinks report --format json writes it)`;
    const errors = validate.errors ?? [];
    const lines = errors.slice(0, MAX_ERRORS).map((e) => `${file}: ${describe(e)}`);
    if (errors.length > MAX_ERRORS) lines.push(`${file}: … and ${errors.length - MAX_ERRORS} more`);
    throw new CliError(ExitCode.invalidInput, [what, ...lines]);
  }
  const report = value as RetirementReport;
  // The schema checks the dates' shape; a day that does not exist (2026-02-30) is caught here.
  const badDate = [report.asOf, ...report.sources.map((s) => s.asOf)].find((d) => parseIsoDate(d) === null);
  if (badDate !== undefined)
    throw new CliError(ExitCode.invalidInput, `${file}: not a sourcelinks report: ${badDate} is not a calendar date`);
  return report;
}

/** One schema error as `at /owners/0/artifacts/1/state: must be equal to one of the allowed values (in-use, leftover, orphaned)`. */
function describe(error: ErrorObject): string {
  const at = error.instancePath === "" ? "(the top level)" : error.instancePath;
  const params = error.params as { allowedValues?: unknown[]; additionalProperty?: string; allowedValue?: unknown };
  const detail =
    params.allowedValues !== undefined
      ? ` (${params.allowedValues.map(String).join(", ")})`
      : params.additionalProperty !== undefined
        ? ` (${params.additionalProperty})`
        : params.allowedValue !== undefined
          ? ` (${JSON.stringify(params.allowedValue)})`
          : "";
  return `at ${at}: ${error.message ?? "is invalid"}${detail}`;
}
