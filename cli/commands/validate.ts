/** `sourcelinks validate FILE... [--format text|github]`: schema and semantics only, no network (exit 0, or 2 with located errors). */
import { Option, type Command } from "commander";
import { ConfigError } from "../../engine/config/index.js";
import { CliError, ExitCode, type ExitCodeValue } from "../exit-codes.js";
import { formatDiagnosticsGithub } from "../format/check-github.js";
import { plural } from "../format/observed-summary.js";
import type { CliIo } from "../io.js";
import { loadConfig } from "../load-config.js";
import { pathFromRoot, repositoryRoot } from "../repository-root.js";

/** Output formats of `validate`. */
export type ValidateFormat = "text" | "github";

/** Runs `validate`. With `github`, each error is also a workflow-command annotation on stdout. */
export async function runValidate(
  files: string[],
  io: CliIo,
  format: ValidateFormat = "text",
  cwd: string = process.cwd(),
): Promise<ExitCodeValue> {
  try {
    const { config } = await loadConfig(files);
    io.out(
      `${files.join(", ")}: valid (${plural(config.links.length, "link")}, ${plural(config.orgAccess.length, "org access entry", "org access entries")})`,
    );
    return ExitCode.ok;
  } catch (error) {
    if (format !== "github" || !(error instanceof CliError) || !(error.cause instanceof ConfigError)) throw error;
    const root = await repositoryRoot(cwd);
    io.out(formatDiagnosticsGithub(error.cause.diagnostics, (file) => pathFromRoot(file, cwd, root)));
    throw error;
  }
}

/** Adds `validate` to the program. */
export function registerValidate(program: Command, io: CliIo, finish: (code: ExitCodeValue) => void, cwd: string = process.cwd()): void {
  program
    .command("validate")
    .description("check configuration files against the schema and the semantic rules, without any network access")
    .argument("<file...>", "sourcelinks/v1 YAML files; they merge, and duplicates are errors")
    .addOption(
      new Option("--format <format>", "also print errors as GitHub Actions annotations (github)")
        .choices(["text", "github"])
        .default("text"),
    )
    .addHelpText(
      "after",
      `
Exit codes: 0 valid, 2 invalid (each problem on stderr as FILE:LINE:COL: message; with --format github
also on stdout as ::error file=…,line=…,col=…:: annotations, paths relative to the git repository root).

Examples:
  $ sourcelinks validate sourcelinks.yaml
  $ sourcelinks validate base.yaml teams/*.yaml
  $ sourcelinks validate sourcelinks/*.yaml --format github`,
    )
    .action(async (files: string[], options: { format: ValidateFormat }) => finish(await runValidate(files, io, options.format, cwd)));
}
