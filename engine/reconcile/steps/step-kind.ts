/**
 * The contract of one kind of plan step. Each kind (`link`, `unlink`, `delete-webhook`, …) is one module
 * in this folder that owns everything about it: the step's shape, the request its planner puts in the
 * step, the guard that refuses to send it (not observed in this run, not the build service's), how it is
 * sent, and how every face describes it. `registry.ts` lists the kinds; the executor, `apply`'s
 * whole-plan check, the plan formats and the provider's messages all go through it, so adding a kind
 * is its module, a line in the registry, and its entry in `schema/plan.schema.json`.
 */
import type { PlannedRequest } from "../../model/plan.js";
import type { OperationContext } from "../context.js";
import type { ReconcileError } from "../errors.js";

/** The groups a plan lists its steps under, in this order, manual steps last. */
export type StepCategory =
  | "build-service"
  | "provider-revocation"
  | "webhook-deletion"
  | "deploy-key-deletion"
  | "replacement-build"
  | "manual";

/** What every step that sends a request carries. */
export interface SentStep {
  kind: string;
  /** The request the executor sends, exactly as planned: no step sends what the plan did not show. */
  request: PlannedRequest;
}

/** What earlier steps of one plan's execution produced for later ones (a created link's id). */
export interface ExecutionState {
  createdLinkId: string | null;
}

/** How a description may name what a step touches: a public plan shows webhook targets, a provider error does not. */
export interface DescribeOptions {
  /** False where the text lands in Pulumi state or logs: a webhook's target URL lets anyone start builds. */
  showTargets: boolean;
}

/** One kind of step: everything the engine and the faces need to know about it. */
export interface StepKind<S extends SentStep> {
  readonly kind: S["kind"];
  readonly category: Exclude<StepCategory, "manual">;
  /** One sentence naming everything the step touches; the CLI's plans and the provider's errors both use it. */
  describe(step: S, options: DescribeOptions): string;
  /** The step's fields in the JSON plan (besides `kind`, `category`, `description` and `request`). */
  json(step: S): Record<string, unknown>;
  /**
   * Why this run may not send the step (the target was not observed in this run, is not the build
   * service's), or null. Pure, so `apply` judges a whole plan with it before anything is sent, and the
   * executor again right before each request.
   */
  refusal(step: S, ctx: OperationContext): ReconcileError | null;
  /** Sends `step.request` through the context's clients. Idempotent: a re-run after a crash converges. */
  send(step: S, ctx: OperationContext, state: ExecutionState): Promise<void>;
}
