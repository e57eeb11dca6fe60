/**
 * Drift in words. When what a resource last observed differs from what it declares, the planner's
 * steps say what `pulumi up` will send; `driftFacts` turns them into the facts that differ
 * (`webhook 1007 still on acme/api`), the `drift` output a preview shows. Manual steps are not
 * drift: no API can do them, so `pulumi up` would change nothing.
 */
import type { PlanStep } from "../engine/reconcile/steps/plan-step.js";
import { isApiStep, stepKind } from "../engine/reconcile/steps/registry.js";
import type { SweptArtifact } from "../engine/model/sweep.js";

/** One step as the fact it would change, or null for a manual step. */
function factOf(step: PlanStep): string | null {
  return isApiStep(step) ? stepKind(step).drift(step) : null;
}

/** The drifted facts a plan repairs, in plan order. */
export function driftFacts(steps: readonly PlanStep[]): string[] {
  return steps.flatMap((s) => {
    const fact = factOf(s);
    return fact === null ? [] : [fact];
  });
}

/**
 * A sweep's drift: what it would delete (no live link covers it), by id and place only (a webhook's
 * target is a trigger URL, a capability). Archived repositories' artifacts are not drift: a manual step.
 */
export function sweepDriftFacts(artifacts: readonly SweptArtifact[]): string[] {
  return artifacts
    .filter((a) => !a.archived)
    .map((a) => {
      const what = a.kind === "deploy-key" ? "deploy key" : "webhook";
      const where = a.repository ?? `org ${a.owner}`;
      return `${what} ${a.id} on ${where} is ${a.classification}`;
    });
}
