/**
 * `sourcelinks check FILE... [--format text|json|markdown|sarif|github] [--live]`: the shared policy rules
 * (policies/rules) over the config alone, or over the config plus the live world observed through the
 * same operations as `plan`. Exit 3 on a mandatory violation.
 */
import { Option, type Command } from "commander";
import { ConfigError } from "../../engine/config/index.js";
import type { LoadedConfig } from "../../engine/config/loaded-config.js";
import type { ObservedLink, ObservedOrgAccess } from "../../engine/model/observed.js";
import { evaluateAll, factsFromConfig, type ObservedWorld } from "../../policies/rules/index.js";
import { CliError, ExitCode, type ExitCodeValue } from "../exit-codes.js";
import { formatCheckGithub, formatDiagnosticsGithub } from "../format/check-github.js";
import { pathFromRoot, repositoryRoot } from "../repository-root.js";
import { parsePolicyConfig } from "../policy-config.js";
import { readInputFile } from "../input-file.js";
import { countViolations, type CheckReport } from "../format/check-report.js";
import { formatCheckJson } from "../format/check-json.js";
import { formatCheckMarkdown } from "../format/check-markdown.js";
import { formatCheckText } from "../format/check-text.js";
import { formatSarif } from "../format/sarif.js";
import { cliOperationContext } from "../context.js";
import { sweepRefreshLines } from "../format/sweep-refresh.js";
import type { SweepObservation } from "../../engine/model/sweep.js";
import { addRefreshOptions, type RefreshOptions } from "../refresh-options.js";
import type { CliIo } from "../io.js";
import { loadConfig, locateNearest } from "../load-config.js";
import { observeAll, observeUndeclaredOrgs } from "../run.js";

/** Output formats of `check`. */
export type CheckFormat = "text" | "json" | "markdown" | "sarif" | "github";

/** Options of `check`. */
export interface CheckOptions extends RefreshOptions {
  format: CheckFormat;
  live?: boolean;
  /** The policy pack config (`pulumi preview --policy-pack-config`), for the same levels as the pack. */
  policyConfig?: string;
}

/** Runs `check`: 0, or 3 when a mandatory rule is violated. */
export async function runCheck(files: string[], options: CheckOptions, io: CliIo, cwd: string): Promise<ExitCodeValue> {
  const evaluate =
    options.policyConfig === undefined ? {} : parsePolicyConfig(readInputFile(options.policyConfig, "policy config"), options.policyConfig);
  const root = options.format === "sarif" || options.format === "github" ? await repositoryRoot(cwd) : cwd;
  const loaded = await loadForFormat(files, options.format, io, { cwd, root });
  if (loaded === null) return ExitCode.invalidInput;
  const world: ObservedWorld = {};
  if (options.live) {
    const ctx = cliOperationContext(loaded.config, io.env, options);
    const observation = await observeAll(loaded, ctx, io);
    world.links = new Map<string, ObservedLink>(observation.links.map((e) => [e.spec.name, e.observed]));
    world.orgs = new Map<string, ObservedOrgAccess>(observation.orgs.map((e) => [e.spec.org, e.observed]));
    world.sweeps = new Map(observation.sweeps.map((e) => [e.spec.name, e.observed]));
    // Declared builds were verified by the same observation: rule replacement-before-revocation judges them.
    if (observation.verdicts !== undefined) world.replacements = observation.verdicts;
    world.undeclaredOrgs = await observeUndeclaredOrgs(loaded, ctx, io);
  }
  const violations = evaluateAll(factsFromConfig(loaded.config, world), evaluate);
  const report: CheckReport = {
    files: loaded.files,
    live: options.live === true,
    violations: violations.map((v) => ({ ...v, location: locateNearest(loaded, v.pointer) })),
  };
  const formatted =
    options.format === "sarif"
      ? formatSarif(report, { cwd, root })
      : options.format === "github"
        ? formatCheckGithub(report, (file) => pathFromRoot(file, cwd, root))
        : options.format === "json"
          ? formatCheckJson(report)
          : options.format === "markdown"
            ? formatCheckMarkdown(report)
            : formatCheckText(report);
  io.out(formatted);
  // How each swept owner was read: on stdout beside the text, on stderr where stdout is a machine format.
  const refresh = sweepRefreshLines([...(world.sweeps?.values() ?? [])].filter((s): s is SweepObservation => typeof s === "object"));
  for (const line of refresh) options.format === "text" ? io.out(line) : io.err(line);
  return countViolations(report).mandatory > 0 ? ExitCode.policyViolation : ExitCode.ok;
}

/**
 * Loads the config. For SARIF and GitHub annotations, configuration errors are results too: they are
 * written in the format (stdout) as well as on stderr, and the run exits 2 (null here).
 */
async function loadForFormat(
  files: string[],
  format: CheckFormat,
  io: CliIo,
  paths: { cwd: string; root: string },
): Promise<LoadedConfig | null> {
  try {
    return await loadConfig(files);
  } catch (error) {
    if (!(error instanceof CliError) || !(error.cause instanceof ConfigError) || (format !== "sarif" && format !== "github")) throw error;
    const diagnostics = error.cause.diagnostics;
    const empty: CheckReport = { files, live: false, violations: [] };
    io.out(
      format === "sarif"
        ? formatSarif(empty, paths, diagnostics)
        : formatDiagnosticsGithub(diagnostics, (file) => pathFromRoot(file, paths.cwd, paths.root)),
    );
    for (const line of error.lines) io.err(line);
    return null;
  }
}

/** Adds `check` to the program. */
export function registerCheck(program: Command, io: CliIo, finish: (code: ExitCodeValue) => void, cwd: string): void {
  addRefreshOptions(program.command("check"))
    .description("evaluate the policy rules on the configuration, or with --live on the configuration plus the live world")
    .argument("<file...>", "sourcelinks/v1 YAML files")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "markdown", "sarif", "github"]).default("text"))
    .option("--live", "observe the build service and providers (read-only) and check the live state too")
    .option("--policy-config <file>", "policy levels from the JSON that pulumi preview --policy-pack-config takes")
    .addHelpText(
      "after",
      `
Rules: revoked-link-has-no-webhooks, revocation-is-two-sided, team-link-uses-service-account,
disabled-link-webhooks-inactive, org-access-matches-declared, linked-repos-have-org-access,
webhook-hygiene, live-link-has-grant, live-link-builds-declared-repositories, pending-manual-steps,
no-orphaned-build-service-artifacts (with sweeps and --live), declared-repository-exists,
recorded-steps-match-observed and replacement-before-revocation (with --live). Mandatory violations are SARIF errors, advisory ones warnings;
SARIF 2.1.0 results point at the YAML line and column of the offending node, with paths relative to
the git repository's root; configuration errors are SARIF results too (rule valid-configuration).
--format github prints workflow-command annotations (::error file=…,line=…,col=…::) for repositories
without code scanning.

Exit codes: 0 no mandatory violation, 1 API or network error (--live), 2 invalid input, 3 mandatory violation.

Examples:
  $ sourcelinks check sourcelinks.yaml
  $ sourcelinks check sourcelinks.yaml --live --format markdown
  $ sourcelinks check sourcelinks.yaml --format sarif > sourcelinks.sarif
  $ sourcelinks check sourcelinks.yaml --live --format github
  $ sourcelinks check sourcelinks.yaml --live --policy-config policy-config.json`,
    )
    .action(async (files: string[], options: CheckOptions) => finish(await runCheck(files, options, io, cwd)));
}
