/**
 * Bitbucket Cloud 2.0 wire types the client reads (developer.atlassian.com/cloud/bitbucket/rest:
 * `webhook_subscription`, `deploy_key`, paginated collections, the error object) and their mapping
 * to the shared observed model.
 */
import type { ObservedDeployKey, ObservedWebhook } from "../../model/observed.js";

/** A paginated collection: `next` is an absolute URL present only when another page exists. */
export interface BitbucketPageWire<T> {
  pagelen: number;
  size?: number;
  page?: number;
  next?: string;
  previous?: string;
  values: T[];
}

/** `webhook_subscription`, the fields the client uses. */
export interface BitbucketHookWire {
  uuid: string;
  url: string;
  description?: string;
  subject_type: string;
  active: boolean;
  events: string[];
  skip_cert_verification?: boolean;
  secret_set?: boolean;
  created_at?: string;
}

/** `deploy_key`, the fields the client uses. */
export interface BitbucketDeployKeyWire {
  id: number;
  key: string;
  label: string;
  type: "deploy_key";
  created_on?: string;
}

/** A webhook as observed: the id keeps its braces, since that is what the hook URL takes (URL-encoded). */
export function toObservedWebhook(hook: BitbucketHookWire): ObservedWebhook {
  return {
    id: hook.uuid,
    url: hook.url,
    active: hook.active,
    events: hook.events,
    hasSecret: hook.secret_set === true,
    insecureSsl: hook.skip_cert_verification === true,
    // Bitbucket's API does not expose the last delivery on the subscription.
    lastResponse: null,
  };
}

/** A deploy key as observed: Bitbucket deploy keys are always read-only (they grant clone access only). */
export function toObservedDeployKey(key: BitbucketDeployKeyWire): ObservedDeployKey {
  return { id: String(key.id), title: key.label, readOnly: true };
}

/** Bitbucket's error text: `{"type": "error", "error": {"message": "…"}}`. */
export function bitbucketErrorMessage(body: unknown): string | null {
  if (typeof body !== "object" || body === null) return null;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== "object" || error === null) return null;
  const message = (error as { message?: unknown }).message;
  return typeof message === "string" ? message : null;
}
