/**
 * The one base of the errors sourcelinks throws on purpose. Its kind says who has to act, so a face
 * reports every error in one place by its kind rather than by its class: the CLI exits 2 for `input`
 * and 1 for the others, and prints an `internal` error as one (as it does anything that is not one of these).
 */

/**
 * Who has to act: `input` the user (a file, a flag, an environment variable, a credential not set),
 * `operational` whoever runs the services, the network or the access (a refusal, an outage, a limit),
 * `internal` sourcelinks itself (a state its own checks should have made impossible).
 */
export type ErrorKind = "input" | "operational" | "internal";

/** An error of sourcelinks; each subclass states its kind (or takes it, when its cause decides). */
export abstract class SourcelinksError extends Error {
  abstract readonly kind: ErrorKind;
}

/** A state sourcelinks' own checks should have made impossible: a bug to report, not something the user can fix. */
export class InternalError extends SourcelinksError {
  override readonly name = "InternalError";
  readonly kind = "internal";
}

/** The kind of anything thrown: a `SourcelinksError`'s own, `internal` for anything else (an error no code expected). */
export function errorKind(error: unknown): ErrorKind {
  return error instanceof SourcelinksError ? error.kind : "internal";
}
