/**
 * Every kind of step that sends a request, in one list: the executor, `apply`'s whole-plan check, the
 * plan formats and the provider's messages look a step's kind up here. A new kind is its module and
 * one line in `STEP_KINDS` (and its entry in `schema/plan.schema.json`).
 */
import type { ManualStep } from "../../model/manual-step.js";
import type { PlannedRequest } from "../../model/plan.js";
import { ReconcileError } from "../errors.js";
import type { PlanSettings } from "../plan-settings.js";
import { addRepositoryKind } from "./add-repository.js";
import { deleteDeployKeyKind } from "./delete-deploy-key.js";
import { deleteOrgWebhookKind } from "./delete-org-webhook.js";
import { deleteWebhookKind } from "./delete-webhook.js";
import { linkKind } from "./link.js";
import { revokeGrantKind } from "./revoke-grant.js";
import { setOrgAccessKind } from "./set-org-access.js";
import { setStateKind } from "./set-state.js";
import type { DescribeOptions, StepCategory, StepChecks, StepKind } from "./step-kind.js";
import { unlinkKind } from "./unlink.js";
import { ciSecretKind } from "./ci-secret.js";
import { enablePipelinesKind } from "./enable-pipelines.js";
import { orgSecretRepositoryKind } from "./org-secret-repository.js";
import { proposalBranchKind } from "./proposal-branch.js";
import { proposalFileKind } from "./proposal-file.js";
import { proposalPullRequestKind } from "./proposal-pull-request.js";

/** The kinds of steps that send a request. */
export const STEP_KINDS = [
  linkKind,
  setStateKind,
  unlinkKind,
  addRepositoryKind,
  revokeGrantKind,
  deleteWebhookKind,
  deleteDeployKeyKind,
  deleteOrgWebhookKind,
  setOrgAccessKind,
  proposalBranchKind,
  proposalFileKind,
  proposalPullRequestKind,
  ciSecretKind,
  orgSecretRepositoryKind,
  enablePipelinesKind,
] as const;

/** The step type a kind describes. */
type StepOf<K> = K extends StepKind<infer S> ? S : never;

/** A step that sends a request: one of the registered kinds' steps. */
export type ApiStep = StepOf<(typeof STEP_KINDS)[number]>;

/** A step no API covers: a person does it (what to click, where). */
export interface ManualPlanStep {
  kind: "manual";
  step: ManualStep;
}

/** One change `apply` (or the provider) makes. Steps of one resource run in order; the first failure stops that resource. */
export type PlanStep = ApiStep | ManualPlanStep;

// Each kind takes only its own steps; looked up by a step's own `kind`, it is only ever given those.
const byKind = new Map<string, StepKind<ApiStep>>(STEP_KINDS.map((k) => [k.kind, k as unknown as StepKind<ApiStep>]));

/**
 * The kind of a step. A kind this build does not know (a saved plan from a newer one) is an error:
 * such a step must fail, never pass as done with nothing sent.
 */
export function stepKind(step: ApiStep): StepKind<ApiStep> {
  const kind = byKind.get(step.kind);
  if (kind === undefined) throw new ReconcileError("request-mismatch", `Unknown step kind ${step.kind}.`);
  return kind;
}

/** Whether a step sends a request. */
export function isApiStep(step: PlanStep): step is ApiStep {
  return step.kind !== "manual";
}

/** The group a plan lists a step under. */
export function categoryOf(step: PlanStep): StepCategory {
  return isApiStep(step) ? stepKind(step).category : "manual";
}

/** Plans show webhook targets; text that lands in Pulumi state or errors does not. */
const SHOW_TARGETS: DescribeOptions = { showTargets: true };

/** One sentence saying what a step does, naming everything it touches (a manual step: its summary). */
export function describeStep(step: PlanStep, options: DescribeOptions = SHOW_TARGETS): string {
  return isApiStep(step) ? stepKind(step).describe(step, options) : step.step.summary;
}

/** Why this run may not send `step` (not observed in it, not the build service's), or null. */
export function stepRefusal(step: ApiStep, checks: StepChecks): ReconcileError | null {
  return stepKind(step).refusal(step, checks);
}

/** The request `step`'s fields address on this run's APIs (throws `missing-client` when the run has none). */
export function addressedRequest(step: ApiStep, settings: PlanSettings): PlannedRequest {
  return stepKind(step).request(step, settings);
}
