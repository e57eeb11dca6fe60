/** Typed errors of the operations: a step that must not or cannot be sent, or a missing client. */
import { SourcelinksError } from "../model/errors.js";

/** Why an operation refused to act. */
export type ReconcileErrorCode =
  | "missing-client"
  | "missing-credentials"
  | "foreign-webhook"
  | "foreign-deploy-key"
  | "request-mismatch"
  | "not-automatable"
  | "unobserved"
  | "missing-owner";

/** An operation refused to act; the message says what to configure or why the step is unsafe. */
export class ReconcileError extends SourcelinksError {
  override readonly name = "ReconcileError";
  readonly kind = "operational";

  constructor(
    readonly code: ReconcileErrorCode,
    message: string,
  ) {
    super(message);
  }
}
