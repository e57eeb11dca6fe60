/**
 * What one run observed of the build service's leftovers. A delete is sent only for a webhook or
 * deploy key in here, seen with the same URL or title: a plan from another run, a stale id or a
 * hand-edited step cannot reach anything this run did not look at.
 */
import type { ProviderKind } from "../config/types.js";

/** The webhooks and deploy keys one operation context observed, by provider, repository and id. */
export class SeenInRun {
  readonly #webhooks = new Map<string, string>();
  readonly #deployKeys = new Map<string, string>();

  /** Records a build-service webhook as observed, with its URL. */
  recordWebhook(provider: ProviderKind, repository: string, id: string, url: string): void {
    this.#webhooks.set(key(provider, repository, id), url);
  }

  /** Records a build-service deploy key as observed, with its title. */
  recordDeployKey(provider: ProviderKind, repository: string, id: string, title: string): void {
    this.#deployKeys.set(key(provider, repository, id), title);
  }

  /** The URL the webhook had when this run observed it, or undefined when it did not. */
  webhookUrl(provider: ProviderKind, repository: string, id: string): string | undefined {
    return this.#webhooks.get(key(provider, repository, id));
  }

  /** The title the deploy key had when this run observed it, or undefined when it did not. */
  deployKeyTitle(provider: ProviderKind, repository: string, id: string): string | undefined {
    return this.#deployKeys.get(key(provider, repository, id));
  }
}

function key(provider: ProviderKind, repository: string, id: string): string {
  return `${provider}\u0000${repository}\u0000${id}`;
}
