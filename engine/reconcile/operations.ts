/**
 * The operations API: the one implementation of every operation, used by the Pulumi dynamic provider
 * and by the CLI's `plan`/`apply`. Observation reads, planning is pure, execution sends exactly the
 * planned requests.
 */
export { createOperationContext, type OperationContext, type OperationOverrides } from "./context.js";
export { linkObserver, OBSERVE_CONCURRENCY, observeLink, observeLinks } from "./observe-link.js";
export { planLink, CREATED_LINK_PLACEHOLDER } from "./plan-link.js";
export { planSettingsOf, resolvePlanSettings, type PlanSettings } from "./plan-settings.js";
export { executePlan, type ExecutionHooks, type ExecutionResult } from "./execute.js";
export { reconcileLink, type LinkReconciliation } from "./reconcile-link.js";
export { observeOrgAccess } from "./observe-org-access.js";
export { planOrgAccess } from "./plan-org-access.js";
export { reconcileOrgAccess, type OrgAccessReconciliation } from "./reconcile-org-access.js";
export { ReconcileError, type ReconcileErrorCode } from "./errors.js";
export { observeSweep, SweepLinkWorld } from "./observe-sweep.js";
export { RunReads } from "./run-reads.js";
export { inventoryOwner, type OwnerInventory } from "./inventory-owner.js";
export { planSweep, artifactsToRemove } from "./plan-sweep.js";
export { reconcileSweep, type SweepReconciliation } from "./reconcile-sweep.js";
