/** observe → plan → execute → observe for one org access entry. */
import type { LinkSpec, OrgAccessSpec } from "../model/spec.js";
import type { OperationContext } from "./context.js";
import { type ExecutionHooks, type ExecutionResult, executePlan } from "./execute.js";
import type { ObservedOrgAccess } from "../model/observed.js";
import type { ResourcePlan } from "./steps/plan-step.js";
import { observeOrgAccess } from "./observe-org-access.js";
import { planOrgAccess } from "./plan-org-access.js";

/** The outcome of reconciling one org access entry. */
export interface OrgAccessReconciliation {
  observed: ObservedOrgAccess;
  result: ExecutionResult;
  plan: ResourcePlan;
}

/** Brings `spec`'s org access to the declared value where an API allows, and re-observes. */
export async function reconcileOrgAccess(
  ctx: OperationContext,
  spec: OrgAccessSpec,
  links: readonly LinkSpec[],
  hooks?: ExecutionHooks,
): Promise<OrgAccessReconciliation> {
  const plan = planOrgAccess(spec, await observeOrgAccess(ctx, spec, links), ctx, links);
  const result = await executePlan(ctx, plan, hooks);
  return { observed: await observeOrgAccess(ctx, spec, links), result, plan };
}
