/**
 * The contract of one kind of plan step. Each kind (`link`, `unlink`, `delete-webhook`, …) is one module
 * in this folder that owns everything about it: the step's shape, the request its planner puts in the
 * step, the guard that refuses to send it (not observed in this run, not the build service's), how it is
 * sent, and how every face describes it. `registry.ts` lists the kinds; the executor, `apply`'s
 * whole-plan check, the plan formats and the provider's messages all go through it, so adding a kind
 * is its module, a line in the registry, and its entry in `schema/plan.schema.json`.
 */
import type { PlannedRequest } from "../../model/plan.js";
import type { PatternMatcher } from "../../model/patterns.js";
import type { OperationContext } from "../context.js";
import type { ReconcileError } from "../errors.js";
import type { PlanSettings } from "../plan-settings.js";
import type { SeenInRun } from "../seen-in-run.js";

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

/**
 * What a refusal is judged on: what this run observed and the build service's patterns, compiled once
 * per run. An `OperationContext` is one; `apply`'s whole-plan check builds one from the run's observations.
 */
export interface StepChecks {
  seen: SeenInRun;
  /** The build service's webhooks, by URL. */
  webhooks: PatternMatcher;
  /** The build service's deploy keys, by title. */
  deployKeys: PatternMatcher;
  /**
   * Reads a CI secret's value from its env var (an `OperationContext`'s): a step that sets a secret whose
   * variable is unset is refused. Absent where the run cannot tell (then only sending finds out).
   */
  secretValue?: (envVar: string) => string | undefined;
}

/** One kind of step: everything the engine and the faces need to know about it. */
export interface StepKind<S extends SentStep> {
  readonly kind: S["kind"];
  readonly category: Exclude<StepCategory, "manual">;
  /** One sentence naming everything the step touches; the CLI's plans and the provider's errors both use it. */
  describe(step: S, options: DescribeOptions): string;
  /** The step's fields in the JSON plan (besides `kind`, `category`, `description` and `request`), in output order. */
  json(step: S): Record<string, unknown>;
  /** What differs in the world while the step is still to send (`webhook 7 still on acme/api`), or null when it names nothing observed. */
  drift(step: S): string | null;
  /**
   * What the step acts on when two resources' plans can name the same thing (one grant, one webhook):
   * the run sends it once. Absent for kinds whose steps are each resource's own.
   */
  sharedKey?(step: S): string;
  /**
   * The request the step's fields address on this run's APIs, built as its planner builds it. The
   * executor refuses a step whose `request` is not this one (a hand-edited or foreign plan). Throws a
   * `ReconcileError` (`missing-client`) when the run has no API for it.
   */
  request(step: S, settings: PlanSettings): PlannedRequest;
  /**
   * Why this run may not send the step (the target was not observed in this run, is not the build
   * service's), or null. Pure, so `apply` judges a whole plan with it before anything is sent, and the
   * executor again right before each request.
   */
  refusal(step: S, checks: StepChecks): ReconcileError | null;
  /** Sends `step.request` through the context's clients. Idempotent: a re-run after a crash converges. */
  send(step: S, ctx: OperationContext, state: ExecutionState): Promise<void>;
}
