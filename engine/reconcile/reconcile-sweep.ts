/** observe → plan → execute → observe for one sweep: the operation behind the provider's `OrphanSweep` create and update. */
import type { PlanStep, ResourcePlan } from "./steps/plan-step.js";
import type { LinkSpec, SweepSpec } from "../model/spec.js";
import type { SweepObservation, SweptArtifact } from "../model/sweep.js";
import type { OperationContext } from "./context.js";
import { type ExecutionHooks, type ExecutionResult, executePlan } from "./execute.js";
import { observeSweep, SweepLinkWorld } from "./observe-sweep.js";
import { artifactsToRemove, planSweep } from "./plan-sweep.js";
import { inventoryScope } from "./refresh-owner.js";

/** Why the observation after a sweep's deletions reads in full: the audit log shows their events only after a delay. */
export const WROTE_TO_OWNER = "the last apply wrote to this owner's repositories";

/** The outcome of reconciling one sweep. */
export interface SweepReconciliation {
  plan: ResourcePlan;
  result: ExecutionResult;
  /** What the first observation found to remove that a done step deleted. */
  removed: SweptArtifact[];
  /** The observation after execution; null when a step failed (nothing more was read). */
  observed: SweepObservation | null;
}

/**
 * Deletes what no live link of `links` covers and observes again. A failed step does not throw: it is
 * in `result.failed`, and re-running converges; only a failed observation throws. `after` is the context
 * the second observation reads through (the provider's is a fresh one); after writes, its refresh reads in full.
 */
export async function reconcileSweep(
  ctx: OperationContext,
  spec: SweepSpec,
  links: readonly LinkSpec[],
  after: OperationContext = ctx,
  hooks?: ExecutionHooks,
): Promise<SweepReconciliation> {
  const before = await observeSweep(ctx, spec, new SweepLinkWorld(ctx, links));
  const plan = planSweep(spec, before, ctx);
  const result = await executePlan(ctx, plan, hooks);
  const removed = artifactsToRemove(before).filter((a) => deletedBy(a, result.done));
  if (result.failed !== null) return { plan, result, removed, observed: null };
  if (result.done.length > 0) after.refresh?.store.invalidate(inventoryScope(after, spec.provider), spec.owner, WROTE_TO_OWNER);
  return { plan, result, removed, observed: await observeSweep(after, spec, new SweepLinkWorld(after, links)) };
}

/** Whether a done step deleted `a`. */
function deletedBy(a: SweptArtifact, done: readonly PlanStep[]): boolean {
  return done.some((s) =>
    s.kind === "delete-org-webhook"
      ? a.kind === "org-webhook" && s.hookId === a.id && s.org === a.owner
      : s.kind === "delete-webhook"
        ? a.kind === "repository-webhook" && s.hookId === a.id && s.repository === a.repository
        : s.kind === "delete-deploy-key" && a.kind === "deploy-key" && s.keyId === a.id && s.repository === a.repository,
  );
}
