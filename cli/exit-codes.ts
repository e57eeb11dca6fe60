/**
 * The exit codes of docs/cli.md, the code of each kind of error, and the CLI's own error type.
 * Usage errors from commander, config errors and refused dangerous inputs all exit 2;
 * anything that went wrong talking to a service exits 1.
 */
import { SourcelinksError, type ErrorKind } from "../engine/model/errors.js";

/** Every exit code the CLI uses. */
export const ExitCode = {
  /** Success (and `plan --detailed-exitcode` with nothing to change). */
  ok: 0,
  /** Operational error: an API or network failure, or a step of `apply` that failed. */
  operational: 1,
  /** Invalid input: YAML, schema, semantics, usage, or a refused dangerous run (mass revocation, no `--yes`). */
  invalidInput: 2,
  /** `check` found a mandatory policy violation. */
  policyViolation: 3,
  /** `plan --detailed-exitcode` found changes to apply. */
  changesPending: 4,
  /** `apply` stopped on SIGINT (128 + 2, as a shell reports it) after saying what was done and what remains. */
  interrupted: 130,
} as const;

/** One of the values of {@link ExitCode}. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code of each kind of error: the user's to fix exits 2, anything else 1. */
export const EXIT_CODE_OF_KIND: Readonly<Record<ErrorKind, ExitCodeValue>> = {
  input: ExitCode.invalidInput,
  operational: ExitCode.operational,
  internal: ExitCode.operational,
};

/**
 * An error the CLI reports and exits with, its lines already written for the terminal. `lines` are
 * printed on stderr as they are, one per line (in `FILE:LINE:COL: message` form when a location is known).
 */
export class CliError extends SourcelinksError {
  override readonly name = "CliError";
  readonly kind: "input" | "operational";
  readonly lines: readonly string[];

  constructor(
    exitCode: typeof ExitCode.invalidInput | typeof ExitCode.operational,
    lines: string | readonly string[],
    options?: { cause?: unknown },
  ) {
    const all = typeof lines === "string" ? [lines] : lines;
    super(all.join("\n"), options);
    this.kind = exitCode === ExitCode.invalidInput ? "input" : "operational";
    this.lines = all;
  }

  /** The code the CLI exits with: its kind's. */
  get exitCode(): ExitCodeValue {
    return EXIT_CODE_OF_KIND[this.kind];
  }
}
