/**
 * The sandbox's `reference` build service (schema/build-service.openapi.yaml), mounted at
 * `/build/api/build/v1`. Paths end in `/` like Django's; the router also accepts them without it.
 */
import { Router } from "../router.js";
import { createLink, deleteLink, getCredentials, getLink, listLinks, listRepositories, patchLink, putRepository } from "./links.js";
import { listNamespaces } from "./namespaces.js";
import { getOrgAccess, putOrgAccess } from "./org-access.js";

/** Mount point of the build service in the sandbox. */
export const BUILD_SERVICE_MOUNT = "/build/api/build/v1";

/** The build service's routes. */
export function buildServiceRouter(): Router {
  return new Router(BUILD_SERVICE_MOUNT)
    .add("GET", "/namespaces/", listNamespaces)
    .add("GET", "/:namespace/links/", listLinks)
    .add("POST", "/:namespace/links/", createLink)
    .add("GET", "/:namespace/links/:id/", getLink)
    .add("PATCH", "/:namespace/links/:id/", patchLink)
    .add("DELETE", "/:namespace/links/:id/", deleteLink)
    .add("GET", "/:namespace/links/:id/credentials/", getCredentials)
    .add("GET", "/:namespace/links/:id/repositories/", listRepositories)
    .add("PUT", "/:namespace/links/:id/repositories/:owner/:name/", putRepository)
    .add("GET", "/:namespace/links/:id/orgs/:org/access/", getOrgAccess)
    .add("PUT", "/:namespace/links/:id/orgs/:org/access/", putOrgAccess);
}
