/**
 * The GitHub REST subset the sandbox serves, mounted at `/github` so that Octokit's `baseUrl` is
 * `${baseUrl}/github`. Rate-limit headers and limits are applied by the sandbox server around these routes.
 */
import type { Router } from "../router.js";
import { registerAccountRoutes } from "./account-routes.js";
import { registerActionsRoutes } from "./actions-routes.js";
import { registerAppRoutes } from "./app-routes.js";
import { registerAuditLogRoutes } from "./audit-log-routes.js";
import { registerGitRoutes } from "./git-routes.js";
import { registerGraphqlRoutes, type GraphqlDeps } from "./graphql-routes.js";
import { registerHookRoutes } from "./hook-routes.js";
import { registerKeyRoutes } from "./key-routes.js";
import { registerOAuthAppRoutes } from "./oauth-app-routes.js";
import { registerPullRoutes } from "./pull-routes.js";
import { registerRepoRoutes } from "./repo-routes.js";
import { RepositoryRouter } from "./repository-ids.js";
import { registerSecretRoutes } from "./secret-routes.js";
import { registerUserRepoRoutes } from "./user-repo-routes.js";

/** The GitHub router (mount `/github`); `POST /graphql` is served when the server hands it its limiter. */
export function githubRouter(graphql?: GraphqlDeps): Router {
  // Every repository route is served by id as well, where GitHub redirects a renamed repository's old name.
  const router = new RepositoryRouter("/github");
  registerAccountRoutes(router);
  registerActionsRoutes(router);
  registerAppRoutes(router);
  registerAuditLogRoutes(router);
  registerGitRoutes(router);
  registerHookRoutes(router);
  registerKeyRoutes(router);
  registerOAuthAppRoutes(router);
  registerPullRoutes(router);
  registerRepoRoutes(router);
  registerSecretRoutes(router);
  registerUserRepoRoutes(router);
  if (graphql) registerGraphqlRoutes(router, graphql);
  return router;
}
