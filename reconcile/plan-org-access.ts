/** The pure planner of one org access entry: set it through the build service when possible, else a manual step. */
import type { LinkSpec, OrgAccessSpec } from "../config/types.js";
import type { OperationContext } from "./context.js";
import { appName } from "./grant-policy.js";
import { orgAccessStep } from "./manual-steps.js";
import type { ObservedOrgAccess, PlanStep, ResourcePlan } from "./model.js";

/** Plans `spec` from `observed`; `links` is accepted for symmetry with the observation and future means. */
export function planOrgAccess(spec: OrgAccessSpec, observed: ObservedOrgAccess, ctx: OperationContext, _links: readonly LinkSpec[] = []): ResourcePlan {
  const plan: ResourcePlan = { resource: "orgAccess", name: `${spec.provider}/${spec.org}`, steps: [] };
  if (observed.access === spec.access) return plan;
  const bs = ctx.clients.buildService;
  const via = observed.via ?? null;
  const step: PlanStep =
    bs !== null && via !== null
      ? { kind: "set-org-access", request: bs.describe("setOrgAccess", via.namespace, via.linkId, spec.org), org: spec.org, access: spec.access, namespace: via.namespace, linkId: via.linkId }
      : { kind: "manual", step: orgAccessStep(spec.org, appName(ctx, spec.app), spec.access) };
  plan.steps.push(step);
  return plan;
}
