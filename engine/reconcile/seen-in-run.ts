/**
 * What one run observed of the build service's leftovers. A delete is sent only for a webhook or
 * deploy key in here, seen with the same URL or title: a plan from another run, a stale id or a
 * hand-edited step cannot reach anything this run did not look at. `apply` checks a whole plan
 * against it before sending anything; the executor checks each step again before it is sent.
 */
import type { ProviderKind } from "../model/spec.js";
import type { SweepObservation } from "../model/sweep.js";
import type { ObservedRepository } from "../model/observed.js";
import type { PlanStep } from "../model/plan.js";

/** A step that deletes a webhook (of a repository or an org) or a deploy key. */
export type DeleteStep = Extract<PlanStep, { kind: "delete-webhook" | "delete-deploy-key" | "delete-org-webhook" }>;

/** The webhooks and deploy keys one operation context observed, by provider, repository and id. */
export class SeenInRun {
  /** URL of each observed webhook, title of each observed deploy key. */
  readonly #seen = new Map<string, string>();

  /** Records the build service's webhooks and deploy keys observed on one repository. */
  record(provider: ProviderKind, observed: ObservedRepository): void {
    for (const hook of observed.webhooks) this.#seen.set(key(provider, observed.repository, "hook", hook.id), hook.url);
    for (const deployKey of observed.deployKeys) this.#seen.set(key(provider, observed.repository, "key", deployKey.id), deployKey.title);
  }

  /** Records the build service's artifacts a sweep observed: repository webhooks, deploy keys and org webhooks. */
  recordSweep(observed: SweepObservation): void {
    for (const a of observed.artifacts) {
      if (a.kind === "org-webhook") this.#seen.set(key(a.provider, a.owner, "org-hook", a.id), a.target);
      else if (a.repository !== null)
        this.#seen.set(key(a.provider, a.repository, a.kind === "deploy-key" ? "key" : "hook", a.id), a.target);
    }
  }

  /** Whether this run observed what `step` deletes, with the URL or title the step names. */
  observed(step: DeleteStep): boolean {
    switch (step.kind) {
      case "delete-webhook":
        return this.#seen.get(key(step.provider, step.repository, "hook", step.hookId)) === step.url;
      case "delete-deploy-key":
        return this.#seen.get(key(step.provider, step.repository, "key", step.keyId)) === step.title;
      case "delete-org-webhook":
        return this.#seen.get(key(step.provider, step.org, "org-hook", step.hookId)) === step.url;
    }
  }
}

function key(provider: ProviderKind, repository: string, kind: "hook" | "key" | "org-hook", id: string): string {
  return `${provider}\u0000${repository}\u0000${kind}\u0000${id}`;
}
