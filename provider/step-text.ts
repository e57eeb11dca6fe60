/**
 * Plain-language descriptions of plan steps and of a stopped execution, for the errors the provider
 * raises: what was done, what failed and what remains, so a person can tell where a revoke stands.
 */
import type { ExecutionResult } from "../engine/reconcile/operations.js";
import type { PlanStep } from "../engine/reconcile/steps/plan-step.js";
import { describeStep } from "../engine/reconcile/steps/registry.js";

/**
 * One step in words, with the request it sends: the description every face uses, without webhook
 * targets (a trigger URL lets anyone start builds, secret-outputs.ts), then API URLs and ids only
 * (requests carry no credentials).
 */
function stepText(step: PlanStep): string {
  if (step.kind === "manual") return `manual step: ${step.step.summary} (${step.step.uiPath}, ${step.step.url})`;
  return `${describeStep(step, { showTargets: false })} (${step.request.method} ${step.request.url})`;
}

function list(steps: readonly PlanStep[]): string {
  return steps.length === 0 ? "nothing" : steps.map((s) => `\n  - ${stepText(s)}`).join("");
}

/**
 * The message of a stopped execution: which step failed and why, what was done, what remains.
 * `what` names the resource and operation, e.g. `SourceProviderLink "legacy-builds" delete (revoke)`.
 */
export function stoppedExecutionMessage(what: string, result: ExecutionResult, redact: (text: string) => string): string {
  const failed = result.failed;
  if (failed === null) return `${what} completed`;
  return redact(
    `${what} stopped: ${stepText(failed.step)} failed: ${failed.error.message}` +
      `\nDone: ${list(result.done)}` +
      `\nRemaining (not attempted): ${list([failed.step, ...result.remaining])}` +
      `\nEvery step is idempotent: run the same command again to finish.`,
  );
}
