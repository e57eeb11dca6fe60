/**
 * The `sourcelinks` program: commander wiring, and the one place errors become exit codes.
 * Usage errors exit 2 (commander's own exit is overridden); any other error exits by its kind
 * (engine/model/errors.ts): input 2, operational and internal 1. Every error goes to stderr, results to stdout.
 */
import { Command, CommanderError } from "commander";
import { errorKind, type ErrorKind } from "../engine/model/errors.js";
import { terminalText } from "./format/escape.js";
import { registerApply } from "./commands/apply.js";
import { registerBuilds } from "./commands/builds.js";
import { registerCheck } from "./commands/check.js";
import { registerExport } from "./commands/export.js";
import { registerPlan } from "./commands/plan.js";
import { registerReport } from "./commands/report.js";
import { registerSandbox } from "./commands/sandbox.js";
import { registerValidate } from "./commands/validate.js";
import { CliError, EXIT_CODE_OF_KIND, ExitCode, type ExitCodeValue } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { packageInfo } from "./version.js";

/** Builds the program; each command reports its exit code through `finish`. */
export function createProgram(io: CliIo, finish: (code: ExitCodeValue) => void, cwd: string): Command {
  const program = new Command("sourcelinks");
  program
    .description(
      "Declarative links between build services and source providers: validate, plan, apply, check, report, export, sandbox, builds",
    )
    .version(packageInfo().version)
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, "")), writeErr: (s) => io.err(s.replace(/\n$/, "")) })
    // Inherited by every subcommand created below: commander throws instead of exiting.
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      `
Exit codes: 0 success; 1 API or network error; 2 invalid input (YAML, schema, usage, refused run);
3 mandatory policy violation (check); 4 changes pending (plan --detailed-exitcode).

Environment: credentials come from the variables the YAML names. SOURCELINKS_BUILD_API_URL,
SOURCELINKS_GITHUB_API_URL and SOURCELINKS_BITBUCKET_API_URL override the API URLs;
SOURCELINKS_HTTP_TIMEOUT sets the per-request timeout in seconds (default 30);
SOURCELINKS_ETAG_CACHE moves the GitHub ETag cache file, or disables it with "off".

Examples:
  $ sourcelinks validate sourcelinks.yaml
  $ sourcelinks plan sourcelinks.yaml --format markdown
  $ sourcelinks apply sourcelinks.yaml --yes
  $ sourcelinks check sourcelinks.yaml --live --format sarif > sourcelinks.sarif`,
    );
  registerValidate(program, io, finish, cwd);
  registerPlan(program, io, finish);
  registerApply(program, io, finish);
  registerCheck(program, io, finish, cwd);
  registerReport(program, io, finish);
  registerExport(program, io, finish);
  registerSandbox(program, io, finish);
  registerBuilds(program, io, finish);
  return program;
}

/** Runs the CLI on `argv` (without `node` and the script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo, cwd: string = process.cwd()): Promise<ExitCodeValue> {
  let code: ExitCodeValue = ExitCode.ok;
  const program = createProgram(io, (c) => (code = c), cwd);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (error) {
    return report(error, io);
  }
}

/** Prints an error on stderr and picks its exit code. */
function report(error: unknown, io: CliIo): ExitCodeValue {
  if (error instanceof CommanderError) {
    // Help and version are successes; everything else commander throws is a usage error it already printed.
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return ExitCode.ok;
    return ExitCode.invalidInput;
  }
  const kind = errorKind(error);
  // Lines quote servers' messages: each stays one visible line, so a body cannot forge a FILE:LINE:COL line.
  for (const line of failureLines(error, kind)) io.err(terminalText(line));
  return EXIT_CODE_OF_KIND[kind];
}

/** What stderr says of an error: a `CliError`'s own lines, else its message, an internal one's marked as such (never a stack with request objects in it). */
function failureLines(error: unknown, kind: ErrorKind): readonly string[] {
  if (error instanceof CliError) return error.lines;
  const message = error instanceof Error ? error.message : String(error);
  return [`sourcelinks: ${kind === "internal" ? "internal error: " : ""}${message}`];
}
