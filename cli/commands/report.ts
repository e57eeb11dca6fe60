/**
 * `sourcelinks report FILE... [--format html|markdown|json] [--out FILE] [--as-of YYYY-MM-DD]`: the live
 * evidence for a team's retirement from the build service, observed exactly as `check --live` observes
 * it; and `sourcelinks report --merge REPORT.json...`: one report from the JSON reports of sharded runs.
 */
import { Option, type Command } from "commander";
import { cliOperationContext } from "../context.js";
import { addRefreshOptions, type RefreshOptions } from "../refresh-options.js";
import { CliError, ExitCode, type ExitCodeValue } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import { readInputFile } from "../input-file.js";
import { checkOutPath, writeOutFile } from "../out-file.js";
import { loadConfig } from "../load-config.js";
import { buildReport } from "../report/build.js";
import { isoDate, parseIsoDate } from "../report/days-left.js";
import { mergeReports, type ReportFile } from "../report/merge.js";
import type { RetirementReport } from "../report/model.js";
import { parseReport } from "../report/parse.js";
import { renderReportHtml } from "../report/render-html.js";
import { renderReportJson } from "../report/render-json.js";
import { renderReportMarkdown } from "../report/render-markdown.js";
import { observeAll, observeUndeclaredOrgs } from "../run.js";

/** Output formats of `report`. */
export type ReportFormat = "html" | "markdown" | "json";

/** Options of `report`. */
export interface ReportOptions extends RefreshOptions {
  format: ReportFormat;
  out?: string;
  /** The run's date (`YYYY-MM-DD`); default today (UTC). */
  asOf?: string;
  /** FILE... are JSON reports to merge, not configuration. */
  merge?: boolean;
}

/** Runs `report`: 0 once the report is written (it is evidence, not a gate: `check --live` gates). */
export async function runReport(
  files: string[],
  options: ReportOptions,
  io: CliIo,
  now: () => Date = () => new Date(),
): Promise<ExitCodeValue> {
  if (options.out !== undefined) await checkOutPath(options.out, files);
  const report = options.merge ? await mergeFiles(files, options) : await liveReport(files, options, io, now);
  const text =
    options.format === "json"
      ? renderReportJson(report)
      : options.format === "markdown"
        ? renderReportMarkdown(report)
        : renderReportHtml(report);
  if (options.out === undefined) {
    io.out(text);
    return ExitCode.ok;
  }
  await writeOutFile(options.out, text, "report", io.outFiles);
  io.progress(`sourcelinks: report written to ${options.out}`);
  return ExitCode.ok;
}

/** Observes the live world of `files` as `check --live` does and builds its report. */
async function liveReport(files: string[], options: ReportOptions, io: CliIo, now: () => Date): Promise<RetirementReport> {
  const asOf = options.asOf ?? isoDate(now());
  if (parseIsoDate(asOf) === null)
    throw new CliError(ExitCode.invalidInput, `sourcelinks: --as-of ${asOf}: not a calendar date (YYYY-MM-DD)`);
  const loaded = await loadConfig(files);
  const ctx = cliOperationContext(loaded.config, io.env, options);
  const observation = await observeAll(loaded, ctx, io);
  const undeclaredOrgs = await observeUndeclaredOrgs(loaded, ctx, io);
  const sweeps = observation.sweeps.map((entry) => entry.observed);
  const sweepSteps = new Map(observation.sweeps.map((entry) => [entry.spec.name, entry.spec.manualSteps ?? []]));
  // Declared builds: their verdicts become the Continuity section.
  const continuity =
    observation.verdicts === undefined ? {} : { continuity: { builds: loaded.config.builds ?? [], verdicts: observation.verdicts } };
  return buildReport({
    asOf,
    files: loaded.files,
    links: observation.links,
    orgs: observation.orgs,
    undeclaredOrgs,
    sweeps,
    sweepSteps,
    ...continuity,
  });
}

/** Reads, validates and merges JSON reports; every bad file is named before the run exits 2. */
async function mergeFiles(files: string[], options: ReportOptions): Promise<RetirementReport> {
  if (options.asOf !== undefined)
    throw new CliError(
      ExitCode.invalidInput,
      "sourcelinks: --as-of does not apply to --merge: a merged report keeps the dates of its runs",
    );
  const parsed: ReportFile[] = [];
  const problems: string[] = [];
  for (const file of files) {
    try {
      parsed.push({ file, report: parseReport(readInputFile(file, "report"), file) });
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      problems.push(...error.lines);
    }
  }
  if (problems.length > 0) throw new CliError(ExitCode.invalidInput, problems);
  return mergeReports(parsed);
}

/** Adds `report` to the program. */
export function registerReport(program: Command, io: CliIo, finish: (code: ExitCodeValue) => void): void {
  addRefreshOptions(program.command("report"))
    .description("the live evidence for retiring the build service: links, grants, leftovers, orphans, manual steps, org access, days left")
    .argument("<file...>", "sourcelinks/v1 YAML files (with --merge: JSON reports)")
    .addOption(new Option("--format <format>", "output format").choices(["html", "markdown", "json"]).default("html"))
    .option("--out <file>", "write the report to FILE instead of stdout")
    .option("--as-of <date>", "the run's date, YYYY-MM-DD (default: today, UTC): the days left count from it")
    .option("--merge", "FILE... are JSON reports (one per sharded run, e.g. per org): merge them into one report")
    .addHelpText(
      "after",
      `
The report observes the live world read-only, exactly as check --live does, and shows per
build-service namespace the links by state, their provider grants (active, revoked, unverifiable) and
manual steps (open, and recorded as done in the YAML's manualSteps), and per provider owner the
build service's webhooks and deploy keys (in use, leftover on a revoked or disabled link's
repositories, orphaned where a sweep found them), the org's third-party access, and the days left
until Docker Hub autobuilds retire on 2027-04-01.

Formats: html (default) is one self-contained page (no network access when opened; printable);
markdown fits GitHub's 65,536-character comment limit, counting what it leaves out; json follows
schema/report.schema.json (apiVersion sourcelinks.report/v1) and is what --merge reads.

--merge: sharded runs (one CI job per org) each write --format json; one job merges them. A link,
org or sweep reported by two files must be identical in both; an artifact reported twice counts once.
A file that is not a valid report is named with what is wrong (exit 2).

Exit codes: 0 report written, 1 API or network error, 2 invalid input (YAML, a bad --as-of, a bad report file).

Examples:
  $ sourcelinks report sourcelinks.yaml --out retirement.html
  $ sourcelinks report sourcelinks.yaml --format markdown > comment.md
  $ sourcelinks report org-a.yaml --format json --out org-a.report.json
  $ sourcelinks report --merge org-a.report.json org-b.report.json --format html --out retirement.html`,
    )
    .action(async (files: string[], options: ReportOptions) => finish(await runReport(files, options, io)));
}
