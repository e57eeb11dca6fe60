/**
 * What one run observed of the build service's leftovers. A delete is sent only for a webhook or
 * deploy key in here, seen with the same URL or title: a plan from another run, a stale id or a
 * hand-edited step cannot reach anything this run did not look at. `apply` checks a whole plan
 * against it before sending anything; the executor checks each step again before it is sent.
 */
import type { ProviderKind } from "../model/spec.js";
import type { ObservedRepository } from "../model/observed.js";
import type { PlanStep } from "../model/plan.js";

/** A step that deletes a webhook or a deploy key. */
export type DeleteStep = Extract<PlanStep, { kind: "delete-webhook" | "delete-deploy-key" }>;

/** The webhooks and deploy keys one operation context observed, by provider, repository and id. */
export class SeenInRun {
  /** URL of each observed webhook, title of each observed deploy key. */
  readonly #seen = new Map<string, string>();

  /** Records the build service's webhooks and deploy keys observed on one repository. */
  record(provider: ProviderKind, observed: ObservedRepository): void {
    for (const hook of observed.webhooks) this.#seen.set(key(provider, observed.repository, "hook", hook.id), hook.url);
    for (const deployKey of observed.deployKeys) this.#seen.set(key(provider, observed.repository, "key", deployKey.id), deployKey.title);
  }

  /** Whether this run observed what `step` deletes, with the URL or title the step names. */
  observed(step: DeleteStep): boolean {
    return step.kind === "delete-webhook"
      ? this.#seen.get(key(step.provider, step.repository, "hook", step.hookId)) === step.url
      : this.#seen.get(key(step.provider, step.repository, "key", step.keyId)) === step.title;
  }
}

function key(provider: ProviderKind, repository: string, kind: "hook" | "key", id: string): string {
  return `${provider}\u0000${repository}\u0000${kind}\u0000${id}`;
}
