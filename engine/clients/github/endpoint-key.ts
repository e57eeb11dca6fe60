/**
 * The endpoint key a request is paced under: its route template (`/repos/{owner}/{repo}/hooks`), the
 * unit GitHub's per-endpoint secondary limit counts. Pages after the first arrive as absolute URLs
 * from `Link` headers, so those are mapped back to the template they came from.
 */

/** Route templates this client sends; absolute URLs are matched against them. */
const TEMPLATES = [
  "/repos/{owner}/{repo}/hooks",
  "/repos/{owner}/{repo}/hooks/{hook_id}",
  "/repos/{owner}/{repo}/keys",
  "/repos/{owner}/{repo}/keys/{key_id}",
  "/orgs/{org}/repos",
  "/orgs/{org}/hooks",
  "/orgs/{org}/hooks/{hook_id}",
  "/users/{username}/repos",
  "/user/repos",
  "/installation/repositories",
  "/orgs/{org}/audit-log",
  "/applications/{client_id}/token",
  "/applications/{client_id}/grant",
  "/repos/{owner}/{repo}",
  "/repos/{owner}/{repo}/git/refs",
  "/repos/{owner}/{repo}/pulls",
  "/repos/{owner}/{repo}/pulls/{pull_number}",
  "/repos/{owner}/{repo}/actions/secrets",
  "/repos/{owner}/{repo}/actions/secrets/{secret_name}",
  "/orgs/{org}/actions/secrets/{secret_name}",
  "/orgs/{org}/actions/secrets/{secret_name}/repositories",
  "/orgs/{org}/actions/secrets/{secret_name}/repositories/{repository_id}",
].map((t) => ({ template: t, parts: t.split("/").filter(Boolean) }));

/** The endpoint key of a request URL (template or absolute), relative to the API's base path. */
export function endpointKey(url: string, baseUrl: string): string {
  if (url.includes("{")) return normalize(url.split("?")[0]!);
  let path: string;
  try {
    path = new URL(url, baseUrl).pathname;
  } catch {
    return url.split("?")[0]!;
  }
  const basePath = new URL(baseUrl).pathname.replace(/\/$/, "");
  if (basePath && path.startsWith(basePath)) path = path.slice(basePath.length);
  const parts = path.split("/").filter(Boolean);
  for (const { template, parts: tparts } of TEMPLATES) {
    if (tparts.length === parts.length && tparts.every((t, i) => t.startsWith("{") || t === parts[i])) return normalize(template);
  }
  return path;
}

/** Parameter names do not matter: `/hooks/{hook_id}` and `/hooks/{id}` are one endpoint. */
function normalize(template: string): string {
  return template.replace(/\{[^}]*\}/g, "{}");
}

/** Endpoints that answer a JSON array (a list page), as endpoint keys. */
const LIST_ENDPOINTS: ReadonlySet<string> = new Set([
  "/repos/{}/{}/hooks",
  "/repos/{}/{}/keys",
  "/orgs/{}/repos",
  "/orgs/{}/hooks",
  "/users/{}/repos",
  "/user/repos",
  "/orgs/{}/audit-log",
  "/repos/{}/{}/pulls",
]);

/** Whether a GET of `url` answers a list page: its body must then be a JSON array, never empty or `null`. */
export function isListEndpoint(url: string, baseUrl: string): boolean {
  return LIST_ENDPOINTS.has(endpointKey(url, baseUrl));
}
