/**
 * Replacement builds end to end, for `plan`, `apply` and tests: observe each proposal target's
 * repository, plan its steps (pure), and send a plan's steps through their kinds, judging every step's
 * refusal before the first request so a plan that cannot be sent whole sends nothing.
 */
import { proposalTargets, type ProposalTarget } from "../builds/proposal.js";
import type { BuildSpec } from "../model/build-spec.js";
import type { ObservedReplacement } from "../model/replacement.js";
import type { ReplacementStep } from "../model/replacement-steps.js";
import type { OperationContext } from "./context.js";
import { ReconcileError } from "./errors.js";
import { observeReplacement } from "./observe-replacement.js";
import { planReplacement } from "./plan-replacement.js";
import { executePlan, type ExecutionResult } from "./execute.js";
import { requestMismatch } from "./steps/support.js";
import { stepKind } from "./steps/registry.js";
import type { PlanStep, ResourcePlan } from "./steps/plan-step.js";

/** Whether `step` is one of a replacement build's steps (its kind's category is `replacement-build`). */
export function isReplacementStep(step: PlanStep): step is ReplacementStep {
  return step.kind !== "manual" && stepKind(step).category === "replacement-build";
}

/** One replacement's target, what its repository holds, and its steps. */
export interface ReplacementPlan {
  target: ProposalTarget;
  observed: ObservedReplacement;
  steps: ReplacementStep[];
}

/** Observes and plans every declared build's proposal (one per rendered file). */
export async function planReplacements(ctx: OperationContext, builds: readonly BuildSpec[]): Promise<ReplacementPlan[]> {
  const out: ReplacementPlan[] = [];
  for (const target of proposalTargets(builds)) {
    const observed = await observeReplacement(ctx, target);
    const api = ctx.apis[target.provider] ?? "";
    out.push({ target, observed, steps: planReplacement(target, observed, api) });
  }
  return out;
}

/** Every step's refusal in this run (its kind's, or a request it would not send), in plan order: empty when the whole plan may be sent. */
export function replacementRefusals(
  ctx: OperationContext,
  steps: readonly ReplacementStep[],
): { step: ReplacementStep; error: ReconcileError }[] {
  return steps.flatMap((step) => {
    const kind = stepKind(step);
    let error: ReconcileError | null;
    try {
      error = kind.refusal(step, ctx) ?? requestMismatch(step, kind.request(step, ctx));
    } catch (cause) {
      if (cause instanceof ReconcileError) error = cause;
      else throw cause;
    }
    return error === null ? [] : [{ step, error }];
  });
}

/** The resource plan of one replacement, as `apply` and the plan formats take it. */
export function replacementResourcePlan(plan: ReplacementPlan): ResourcePlan {
  return { resource: "build", name: `${plan.target.provider}:${plan.target.repository}/${plan.target.path}`, steps: plan.steps };
}

/**
 * Sends `steps` in order through the step kinds' registry, stopping at the first failure. Throws the
 * first refusal before anything is sent (a missing env var, a request this run would not send).
 */
export async function executeReplacementSteps(ctx: OperationContext, steps: readonly ReplacementStep[]): Promise<ExecutionResult> {
  const refused = replacementRefusals(ctx, steps)[0];
  if (refused) throw refused.error;
  return executePlan(ctx, { resource: "build", name: "replacement", steps: [...steps] });
}
