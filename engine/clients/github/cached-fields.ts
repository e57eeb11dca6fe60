/**
 * What the ETag cache keeps of each listing it caches: the fields the client reads (mapping.ts), not
 * GitHub's whole objects. The cache holds every page of a run in memory and on disk; a sweep of 5,000
 * repositories cached whole was 30 MB of repository pages and hook objects read for a dozen fields.
 * Chosen by endpoint, since Octokit's paginator passes no per-request option on to the pages it follows.
 */
import { keptDeployKeyFields, keptHookFields, keptInstallationRepositoryFields, keptRepositoryFields } from "./mapping.js";

/** Trimmers by endpoint key (endpoint-key.ts). */
const KEPT: ReadonlyMap<string, (data: unknown) => unknown> = new Map<string, (data: unknown) => unknown>([
  ["/repos/{}/{}/hooks", keptHookFields],
  ["/orgs/{}/hooks", keptHookFields],
  ["/repos/{}/{}/keys", keptDeployKeyFields],
  ["/orgs/{}/repos", keptRepositoryFields],
  ["/users/{}/repos", keptRepositoryFields],
  ["/user/repos", keptRepositoryFields],
]);

/** Trimmers of listings GitHub wraps in an object (Octokit's paginator unwraps them after the cache). */
const KEPT_OBJECTS: ReadonlyMap<string, (data: unknown) => unknown> = new Map([
  ["/installation/repositories", keptInstallationRepositoryFields],
]);

/** What the cache stores of an answer from `endpoint`: the fields read, or the whole answer for an endpoint not listed. */
export function cachedFields(endpoint: string, data: unknown): unknown {
  const keep = KEPT.get(endpoint);
  if (keep) return Array.isArray(data) ? keep(data) : data;
  const keepObject = KEPT_OBJECTS.get(endpoint);
  return keepObject ? keepObject(data) : data;
}
