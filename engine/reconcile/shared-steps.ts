/**
 * Steps several links' plans would each send for one thing (pure). A provider grant is one per
 * (account, OAuth app) and a webhook or deploy key one per repository, however many revoked links
 * name them: the first link's plan (in configuration order) keeps the step, the others name it as
 * sent by that link, so a run sends, prints and counts it once.
 */
import type { PlanStep, ResourcePlan } from "./steps/plan-step.js";
import { isApiStep, stepKind } from "./steps/registry.js";

/** What a step acts on, for the kinds two links can share (their `sharedKey`); null for the others. */
function thingOf(step: PlanStep): string | null {
  if (!isApiStep(step)) return null;
  const kind = stepKind(step);
  return kind.sharedKey === undefined ? null : kind.sharedKey(step);
}

/** `plans` with each shared step left only in the first plan that has it; the others list it in `sentBy`. */
export function withSharedStepsOnce(plans: readonly ResourcePlan[]): ResourcePlan[] {
  const holders = new Map<string, string>();
  return plans.map((plan) => {
    const steps: PlanStep[] = [];
    const sentBy: NonNullable<ResourcePlan["sentBy"]> = [];
    for (const step of plan.steps) {
      const thing = thingOf(step);
      const holder = thing === null ? undefined : holders.get(thing);
      if (holder !== undefined && holder !== plan.name) {
        sentBy.push({ step, by: holder });
        continue;
      }
      if (thing !== null) holders.set(thing, plan.name);
      steps.push(step);
    }
    if (sentBy.length === 0) return plan;
    return { ...plan, steps, sentBy: [...(plan.sentBy ?? []), ...sentBy] };
  });
}
