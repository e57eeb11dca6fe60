/**
 * The route tables the sandbox serves, by mount: the one place they are listed. A service's router
 * registers its own routes (github/routes.ts and the like); a mount under a service's prefix is served
 * as that service (`/github/...` with GitHub's limits and headers).
 */
import { adminRouter, type SandboxControl } from "./admin/routes.js";
import { bitbucketRouter } from "./bitbucket/routes.js";
import { buildServiceRouter } from "./build-service/routes.js";
import { runCiOnCommits } from "./ci/subscribe.js";
import { dockerHubRouter } from "./docker-hub/routes.js";
import type { ServiceName } from "./counters.js";
import type { GraphqlDeps } from "./github/graphql-routes.js";
import { githubRouter } from "./github/routes.js";
import type { Router } from "./router.js";
import { serviceOf } from "./services.js";

/** A router and the service it is served as. */
export interface Mounted {
  router: Router;
  /** null for the admin API. */
  service: ServiceName | null;
}

/** The admin API, the services (GitHub's GraphQL charged through `graphql`) and `extra` routers (tests), longest mount first so the most specific wins. */
export function mountRouters(control: SandboxControl, graphql: GraphqlDeps, extra: readonly Router[] = []): Mounted[] {
  // Pushes and merges through the git routes run the replacement CI (sandbox/ci/).
  runCiOnCommits();
  const services = [githubRouter(graphql), bitbucketRouter(), buildServiceRouter(), dockerHubRouter(), ...extra];
  return [
    { router: adminRouter(control), service: null },
    ...services.map((router) => ({ router, service: serviceOf(router.mount) })),
  ].sort((a, b) => b.router.mount.length - a.router.mount.length);
}

/** The mount serving `path`, if any. */
export function findMount(mounted: readonly Mounted[], path: string): Mounted | undefined {
  return mounted.find((m) => path === m.router.mount || path.startsWith(`${m.router.mount}/`));
}
