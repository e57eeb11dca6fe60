/**
 * Runs a plan's steps in order, stopping at the first failure. Every step is idempotent, so re-running
 * (after a crash, a 5xx, a timeout) converges: a 404 on delete means already gone, unlinking an unlinked
 * link is done, creating a link that already exists adopts it. Each step goes through its kind
 * (steps/registry.ts): its refusal first (observed in this run, the build service's), then the request
 * its fields address on this run's APIs is compared with the one the plan described, so no step sends
 * a request the plan did not show; only then is it sent.
 */
import type { OperationContext } from "./context.js";
import type { PlanStep, ResourcePlan } from "./steps/plan-step.js";
import { stepKind } from "./steps/registry.js";
import type { ExecutionState } from "./steps/step-kind.js";
import { requestMismatch } from "./steps/support.js";

/** What an execution did: steps done (manual ones skipped), the failed one, and those not attempted. */
export interface ExecutionResult {
  done: PlanStep[];
  /** Manual steps: nothing to send, reported for a person to do. */
  skipped: PlanStep[];
  failed: { step: PlanStep; error: Error } | null;
  remaining: PlanStep[];
  /** True when `shouldStop` ended the run before `remaining`: nothing failed, the rest was not attempted. */
  stopped?: boolean;
  /** The id of the link a `link` step of this plan created or adopted, for steps of other plans that act through it. */
  createdLinkId?: string;
}

/** Progress callbacks, e.g. for the CLI's progress display, and when to stop. */
export interface ExecutionHooks {
  onStep?(step: PlanStep, outcome: "done" | "skipped" | "failed", error?: Error): void;
  /**
   * Asked before each step: true stops the run there (an interrupted `apply`). A request in flight is
   * never abandoned: stopping between steps leaves every step either done or not attempted.
   */
  shouldStop?(): boolean;
}

/** Runs `plan`'s steps in order and stops at the first failed step. Never throws for a step's failure. */
export async function executePlan(ctx: OperationContext, plan: ResourcePlan, hooks: ExecutionHooks = {}): Promise<ExecutionResult> {
  const result: ExecutionResult = { done: [], skipped: [], failed: null, remaining: [] };
  const state: ExecutionState = { createdLinkId: null };
  for (const [index, step] of plan.steps.entries()) {
    if (hooks.shouldStop?.() === true) {
      result.remaining = plan.steps.slice(index);
      result.stopped = true;
      return result;
    }
    if (step.kind === "manual") {
      result.skipped.push(step);
      hooks.onStep?.(step, "skipped");
      continue;
    }
    try {
      const kind = stepKind(step);
      const refused = kind.refusal(step, ctx) ?? requestMismatch(step, kind.request(step, ctx));
      if (refused !== null) throw refused;
      await kind.send(step, ctx, state);
      if (state.createdLinkId !== null) result.createdLinkId = state.createdLinkId;
    } catch (cause) {
      const error = cause instanceof Error ? cause : new Error(String(cause));
      result.failed = { step, error };
      result.remaining = plan.steps.slice(index + 1);
      hooks.onStep?.(step, "failed", error);
      return result;
    }
    result.done.push(step);
    hooks.onStep?.(step, "done");
  }
  return result;
}
