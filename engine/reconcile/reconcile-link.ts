/** observe → plan → execute → observe for one link: the operation behind the provider's create/update/delete and `apply`. */
import type { LinkSpec } from "../model/spec.js";
import type { OperationContext } from "./context.js";
import { type ExecutionHooks, type ExecutionResult, executePlan } from "./execute.js";
import type { ObservedLink } from "../model/observed.js";
import type { PlanStep, ResourcePlan } from "./steps/plan-step.js";
import { observeLink } from "./observe-link.js";
import { planLink } from "./plan-link.js";

/** The outcome of reconciling one link: the observation after execution, what ran, and the plan it followed. */
export interface LinkReconciliation {
  observed: ObservedLink;
  result: ExecutionResult;
  plan: ResourcePlan;
}

/**
 * Brings the live link to `spec` and re-observes so the outputs reflect reality. A failed step does not
 * throw: it is in `result.failed`, and re-running converges.
 */
export async function reconcileLink(ctx: OperationContext, spec: LinkSpec, hooks?: ExecutionHooks): Promise<LinkReconciliation> {
  const plan = planLink(spec, await observeLink(ctx, spec), ctx);
  const result = await executePlan(ctx, plan, hooks);
  const observed = withGrantsRevokedBy(result.done, await observeLink(ctx, spec));
  return { observed, result, plan };
}

/**
 * Once this run revoked a grant by API, the service holds no token to check it with, so a fresh
 * observation can only say `unverifiable`; what this run did is the evidence that it is revoked.
 */
export function withGrantsRevokedBy(done: readonly PlanStep[], observed: ObservedLink): ObservedLink {
  const revoked = new Set(done.flatMap((s) => (s.kind === "revoke-grant" ? [`revoke-grant:${s.provider}:${s.account}`] : [])));
  if (revoked.size === 0) return observed;
  const key = (account: string | null): string => `revoke-grant:${observed.provider}:${account}`;
  const out: ObservedLink = {
    ...observed,
    pendingManualSteps: observed.pendingManualSteps.filter((m) => !revoked.has(m.id)),
  };
  if (revoked.has(key(observed.account)) && observed.providerGrant === "unverifiable") out.providerGrant = "revoked";
  if (observed.supersededLinks) {
    out.supersededLinks = observed.supersededLinks.map((old) =>
      revoked.has(key(old.account)) && old.providerGrant === "unverifiable" ? { ...old, providerGrant: "revoked" } : old,
    );
  }
  return out;
}
