/**
 * Plain-language descriptions of plan steps and of a stopped execution, for the errors the provider
 * raises: what was done, what failed and what remains, so a person can tell where a revoke stands.
 */
import type { ExecutionResult } from "../engine/reconcile/operations.js";
import type { PlanStep } from "../engine/model/plan.js";

/** One step in words, with the request it sends (API URLs and ids only: requests carry no credentials, and no webhook target is named). */
export function describeStep(step: PlanStep): string {
  switch (step.kind) {
    case "link":
      return `link ${step.provider} account ${step.account}${step.team !== null ? ` for team ${step.team}` : ""} in ${step.namespace} (${step.request.method} ${step.request.url})`;
    case "set-state":
      return `set link ${step.linkId === "" ? "(new)" : step.linkId} in ${step.namespace} to ${step.state} (${step.request.method} ${step.request.url})`;
    case "unlink":
      return `unlink ${step.linkId} in ${step.namespace} (${step.request.method} ${step.request.url})`;
    case "add-repository":
      return `make ${step.repository} an autobuild source of link ${step.linkId === "" ? "(new)" : step.linkId} in ${step.namespace} (${step.request.method} ${step.request.url})`;
    case "revoke-grant":
      return `revoke ${step.account}'s ${step.provider} grant of OAuth app ${step.clientId} (${step.request.method} ${step.request.url})`;
    case "delete-webhook":
      // Never the webhook's target: a trigger URL lets anyone start builds (secret-outputs.ts).
      return `delete webhook ${step.hookId} on ${step.repository} (${step.request.method} ${step.request.url})`;
    case "delete-deploy-key":
      return `delete deploy key ${step.keyId} ("${step.title}") on ${step.repository} (${step.request.method} ${step.request.url})`;
    case "delete-org-webhook":
      return `delete webhook ${step.hookId} of org ${step.org} (${step.request.method} ${step.request.url})`;
    case "set-org-access":
      return `set ${step.org}'s third-party access to ${step.access} (${step.request.method} ${step.request.url})`;
    case "manual":
      return `manual step: ${step.step.summary} (${step.step.uiPath}, ${step.step.url})`;
  }
}

function list(steps: readonly PlanStep[]): string {
  return steps.length === 0 ? "nothing" : steps.map((s) => `\n  - ${describeStep(s)}`).join("");
}

/**
 * The message of a stopped execution: which step failed and why, what was done, what remains.
 * `what` names the resource and operation, e.g. `SourceProviderLink "legacy-builds" delete (revoke)`.
 */
export function stoppedExecutionMessage(what: string, result: ExecutionResult, redact: (text: string) => string): string {
  const failed = result.failed;
  if (failed === null) return `${what} completed`;
  return redact(
    `${what} stopped: ${describeStep(failed.step)} failed: ${failed.error.message}` +
      `\nDone: ${list(result.done)}` +
      `\nRemaining (not attempted): ${list([failed.step, ...result.remaining])}` +
      `\nEvery step is idempotent: run the same command again to finish.`,
  );
}
