/**
 * The exit codes of docs/cli.md and the one error type that carries a chosen code to `main`.
 * Usage errors from commander, config errors and refused dangerous inputs all exit 2;
 * anything that went wrong talking to a service exits 1.
 */

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

/**
 * An error the CLI reports and exits with. `lines` are printed on stderr as they are, one per line
 * (already in `FILE:LINE:COL: message` form when a location is known).
 */
export class CliError extends Error {
  override readonly name = "CliError";
  readonly exitCode: ExitCodeValue;
  readonly lines: readonly string[];

  constructor(exitCode: ExitCodeValue, lines: string | readonly string[], options?: { cause?: unknown }) {
    const all = typeof lines === "string" ? [lines] : lines;
    super(all.join("\n"), options);
    this.exitCode = exitCode;
    this.lines = all;
  }
}
