/** GitHub wire objects mapped to the shared observed model (engine/model/observed.ts). */
import type { ObservedDeployKey, ObservedWebhook } from "../../model/observed.js";

/** The fields of GitHub's `hook` object the client reads. */
export interface GitHubHookWire {
  id: number;
  active: boolean;
  events: string[];
  config: { url?: string; secret?: string; insecure_ssl?: string | number };
  last_response?: { code: number | null; status: string | null; message: string | null } | null;
}

/** The fields of GitHub's `deploy-key` object the client reads. */
export interface GitHubDeployKeyWire {
  id: number;
  title: string;
  read_only: boolean;
}

/** A hook as observed: GitHub shows `secret: "********"` only when one is set; `insecure_ssl` is `"1"` when off. */
export function toObservedWebhook(hook: GitHubHookWire): ObservedWebhook {
  const last = hook.last_response ?? null;
  return {
    id: String(hook.id),
    url: hook.config.url ?? "",
    active: hook.active,
    events: [...hook.events],
    hasSecret: typeof hook.config.secret === "string" && hook.config.secret.length > 0,
    insecureSsl: String(hook.config.insecure_ssl ?? "0") === "1",
    lastResponse: last === null ? null : { code: last.code, status: last.status ?? "unknown", message: last.message },
  };
}

/** A deploy key as observed. */
export function toObservedDeployKey(key: GitHubDeployKeyWire): ObservedDeployKey {
  return { id: String(key.id), title: key.title, readOnly: key.read_only };
}
