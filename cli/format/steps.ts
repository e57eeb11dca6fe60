/**
 * How a plan step reads in every plan format: its category (the groups docs/cli.md asks the plan to
 * show) and one sentence saying what it does, both from the step's kind (engine/reconcile/steps/),
 * so text, markdown, JSON and the provider's messages never disagree.
 */
import type { KeptItem } from "../../engine/model/plan.js";
import type { PlanStep } from "../../engine/reconcile/steps/plan-step.js";
import type { StepCategory } from "../../engine/reconcile/steps/step-kind.js";
import type { ManualStep } from "../../engine/model/manual-step.js";

export { categoryOf, describeStep, isApiStep } from "../../engine/reconcile/steps/registry.js";
export type { StepCategory } from "../../engine/reconcile/steps/step-kind.js";
export type { ApiStep } from "../../engine/reconcile/steps/plan-step.js";

/** The categories of API steps, in the order the plans list them. */
export const API_CATEGORIES: readonly Exclude<StepCategory, "manual">[] = [
  "build-service",
  "provider-revocation",
  "webhook-deletion",
  "deploy-key-deletion",
  "replacement-build",
];

/** Headings of the categories, in the order a plan lists them. */
export const CATEGORY_TITLES: Record<StepCategory, string> = {
  "build-service": "Build service",
  "provider-revocation": "Provider-side revocations",
  "webhook-deletion": "Webhooks to delete",
  "deploy-key-deletion": "Deploy keys to delete",
  "replacement-build": "Replacement builds",
  manual: "Manual steps",
};

/** The manual steps of a plan, once each (by id). */
export function manualStepsOf(steps: readonly PlanStep[]): ManualStep[] {
  const seen = new Map<string, ManualStep>();
  for (const step of steps) if (step.kind === "manual" && !seen.has(step.step.id)) seen.set(step.step.id, step.step);
  return [...seen.values()];
}

/** Heading of what a revocation keeps because other live links use it. */
export const KEPT_TITLE = "Kept (other live links use them)";

/** Heading of the steps a resource needs that another resource's plan sends (one request for one thing). */
export const SENT_BY_TITLE = "Shared with another revoked link (sent once, in its plan)";

/** One sentence naming what is kept and which live links keep it. */
export function describeKept(item: KeptItem): string {
  const by = `still used by ${item.keptFor.join(", ")}`;
  switch (item.kind) {
    case "webhook":
      return `keep webhook ${item.hookId} on ${item.repository} (${item.url}): ${by}, building from ${item.repository}`;
    case "deploy-key":
      return `keep deploy key ${item.keyId} "${item.title}" on ${item.repository}: ${by}, building from ${item.repository}`;
    case "grant":
      if (item.reason === "relink")
        return `keep ${item.provider} account ${item.account}'s OAuth grant: a relink leaves the previous account's grant alone, since one grant covers every link of the account, also in namespaces this run cannot see${item.keptFor.length > 0 ? ` (${by})` : ""}; set onRelink.revokePreviousGrant: true on the link to revoke it`;
      return `keep ${item.provider} account ${item.account}'s OAuth grant (one grant covers every link of the account): ${by}`;
  }
}
