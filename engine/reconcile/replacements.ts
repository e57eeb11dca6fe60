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
import type { ReconcileError } from "./errors.js";
import { observeReplacement } from "./observe-replacement.js";
import { planReplacement } from "./plan-replacement.js";
import { ciSecretKind } from "./steps/ci-secret.js";
import { enablePipelinesKind } from "./steps/enable-pipelines.js";
import { orgSecretRepositoryKind } from "./steps/org-secret-repository.js";
import { proposalBranchKind } from "./steps/proposal-branch.js";
import { proposalFileKind } from "./steps/proposal-file.js";
import { proposalPullRequestKind } from "./steps/proposal-pull-request.js";
import type { StepKind } from "./steps/step-kind.js";

/** The replacement build's step kinds, by kind (each module meets the step-kind contract). */
export const REPLACEMENT_STEP_KINDS = {
  "proposal-branch": proposalBranchKind,
  "proposal-file": proposalFileKind,
  "proposal-pull-request": proposalPullRequestKind,
  "ci-secret": ciSecretKind,
  "org-secret-repository": orgSecretRepositoryKind,
  "enable-pipelines": enablePipelinesKind,
} as const satisfies { [K in ReplacementStep["kind"]]: StepKind<Extract<ReplacementStep, { kind: K }>> };

/** The kind module of a step. */
export function replacementKindOf<S extends ReplacementStep>(step: S): StepKind<S> {
  return REPLACEMENT_STEP_KINDS[step.kind] as unknown as StepKind<S>;
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

/** Every step's refusal in this run, in plan order: empty when the whole plan may be sent. */
export function replacementRefusals(
  ctx: OperationContext,
  steps: readonly ReplacementStep[],
): { step: ReplacementStep; error: ReconcileError }[] {
  return steps.flatMap((step) => {
    const error = replacementKindOf(step).refusal(step, ctx);
    return error === null ? [] : [{ step, error }];
  });
}

/** What sending a replacement's steps did. */
export interface ReplacementExecution {
  done: ReplacementStep[];
  failed: { step: ReplacementStep; error: Error } | null;
  remaining: ReplacementStep[];
}

/**
 * Sends `steps` in order, stopping at the first failure. Throws the first refusal before anything is
 * sent (a missing env var, a request this run would not send).
 */
export async function executeReplacementSteps(ctx: OperationContext, steps: readonly ReplacementStep[]): Promise<ReplacementExecution> {
  const refused = replacementRefusals(ctx, steps)[0];
  if (refused) throw refused.error;
  const result: ReplacementExecution = { done: [], failed: null, remaining: [] };
  const state = { createdLinkId: null };
  for (const [index, step] of steps.entries()) {
    try {
      await replacementKindOf(step).send(step, ctx, state);
    } catch (cause) {
      result.failed = { step, error: cause instanceof Error ? cause : new Error(String(cause)) };
      result.remaining = steps.slice(index + 1);
      return result;
    }
    result.done.push(step);
  }
  return result;
}
