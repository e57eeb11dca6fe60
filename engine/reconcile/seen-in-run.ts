/**
 * What one run observed of the build service's leftovers. A delete is sent only for a webhook or
 * deploy key in here, seen with the same URL or title: a plan from another run, a stale id or a
 * hand-edited step cannot reach anything this run did not look at. `apply` checks a whole plan
 * against it before sending anything; the executor checks each step again before it is sent.
 */
import type { ProviderKind } from "../model/spec.js";
import type { SweepObservation } from "../model/sweep.js";
import type { ObservedRepository } from "../model/observed.js";

/** What an observed thing is: a repository's webhook, a repository's deploy key, an org's own webhook. */
export type SeenKind = "hook" | "key" | "org-hook";

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

  /**
   * Whether this run observed the thing (`where`: its repository, or its org for `org-hook`) with this
   * id, and with the URL (webhooks) or title (deploy keys) given.
   */
  has(provider: ProviderKind, where: string, kind: SeenKind, id: string, target: string): boolean {
    return this.#seen.get(key(provider, where, kind, id)) === target;
  }
}

function key(provider: ProviderKind, repository: string, kind: SeenKind, id: string): string {
  return `${provider}\u0000${repository}\u0000${kind}\u0000${id}`;
}
