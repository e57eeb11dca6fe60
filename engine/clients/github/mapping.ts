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

/** The fields of GitHub's `repository` object a sweep reads. */
export interface GitHubRepositoryWire {
  /** What stays when the repository is renamed or transferred. */
  id: number;
  full_name: string;
  archived?: boolean;
  private?: boolean;
}

/** The fields of GitHub's `deploy-key` object the client reads. */
export interface GitHubDeployKeyWire {
  id: number;
  title: string;
  read_only: boolean;
}

/**
 * What the ETag cache keeps of a page of hooks: the fields `toObservedWebhook` reads. GitHub's hook
 * object carries five URLs and timestamps besides; a sweep's cache of 5,000 listings kept whole held
 * tens of megabytes in memory and on disk for nothing.
 */
export function keptHookFields(data: unknown): GitHubHookWire[] {
  return (data as GitHubHookWire[]).map((hook) => ({
    id: hook.id,
    active: hook.active,
    events: hook.events,
    config: { url: hook.config.url, secret: hook.config.secret, insecure_ssl: hook.config.insecure_ssl },
    last_response: hook.last_response ?? null,
  }));
}

/** What the ETag cache keeps of a page of repositories: a page of 100 full repository objects is about 600 KB. */
export function keptRepositoryFields(data: unknown): GitHubRepositoryWire[] {
  return (data as GitHubRepositoryWire[]).map((r) => ({
    id: r.id,
    full_name: r.full_name,
    archived: r.archived === true,
    private: r.private === true,
  }));
}

/** What the ETag cache keeps of a page of `GET /installation/repositories` (`{ total_count, repositories }`). */
export function keptInstallationRepositoryFields(data: unknown): unknown {
  const page = data as { total_count?: unknown; repositories?: unknown };
  if (typeof page !== "object" || page === null || !Array.isArray(page.repositories)) return data;
  return { total_count: page.total_count, repositories: keptRepositoryFields(page.repositories) };
}

/** What the ETag cache keeps of a page of deploy keys: the fields `toObservedDeployKey` reads. */
export function keptDeployKeyFields(data: unknown): GitHubDeployKeyWire[] {
  return (data as GitHubDeployKeyWire[]).map((key) => ({ id: key.id, title: key.title, read_only: key.read_only }));
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
