/**
 * The sandbox's Bitbucket Cloud 2.0 subset, mounted at `/bitbucket/2.0`: the current user, a
 * repository, its webhooks and deploy keys, its files and pull requests (src-routes.ts) and Pipelines
 * settings (pipelines-routes.ts), with Bitbucket's pages and error bodies.
 */
import { createHash } from "node:crypto";
import type { RouteHandler } from "../router.js";
import { Router, json } from "../router.js";
import { authenticate, withRepository } from "./auth.js";
import { createDeployKey, deleteDeployKey, getDeployKey, listDeployKeys } from "./deploy-keys.js";
import { createHook, deleteHook, getHook, listHooks, updateHook } from "./hooks.js";
import { listPipelines } from "./pipelines-runs.js";
import { createVariable, getPipelinesConfig, listVariables, putPipelinesConfig, updateVariable } from "./pipelines-routes.js";
import { createPull, declinePull, getBranch, getPull, getSrc, listPulls, mergePull, postSrc, updatePull } from "./src-routes.js";
import { gitOf } from "../git/model.js";
import { repoHref } from "./wire.js";
import { listWorkspaceRepositories } from "./workspace-repositories.js";

/** Mount point of Bitbucket in the sandbox. */
export const BITBUCKET_MOUNT = "/bitbucket/2.0";

/** `GET /user`: the authenticated account. */
const getUser: RouteHandler = (ctx) => {
  const user = authenticate(ctx);
  if ("status" in user) return user;
  const uuid = stableUuid(`user:${user.username}`);
  return json(200, {
    type: "user",
    username: user.username,
    display_name: user.username,
    uuid,
    account_id: `sbx:${user.username}`,
    links: { self: { href: `${ctx.mountUrl}/users/${encodeURIComponent(uuid)}` } },
  });
};

/** `GET /repositories/{workspace}/{repo_slug}`. */
const getRepository = withRepository((ctx, repo) =>
  json(200, {
    type: "repository",
    uuid: repo.uuid,
    full_name: `${repo.workspace}/${repo.slug}`,
    name: repo.slug,
    slug: repo.slug,
    is_private: true,
    scm: "git",
    workspace: { type: "workspace", slug: repo.workspace },
    mainbranch: { type: "branch", name: gitOf(repo, repo.slug).defaultBranch },
    links: { self: { href: repoHref(ctx, repo) } },
  }),
);

/** The Bitbucket routes. */
export function bitbucketRouter(): Router {
  return new Router(BITBUCKET_MOUNT)
    .add("GET", "/user", getUser)
    .add("GET", "/repositories/:workspace", listWorkspaceRepositories)
    .add("GET", "/repositories/:workspace/:repo_slug", getRepository)
    .add("GET", "/repositories/:workspace/:repo_slug/hooks", listHooks)
    .add("POST", "/repositories/:workspace/:repo_slug/hooks", createHook)
    .add("GET", "/repositories/:workspace/:repo_slug/hooks/:uid", getHook)
    .add("PUT", "/repositories/:workspace/:repo_slug/hooks/:uid", updateHook)
    .add("DELETE", "/repositories/:workspace/:repo_slug/hooks/:uid", deleteHook)
    .add("GET", "/repositories/:workspace/:repo_slug/pipelines", listPipelines)
    .add("GET", "/repositories/:workspace/:repo_slug/deploy-keys", listDeployKeys)
    .add("POST", "/repositories/:workspace/:repo_slug/deploy-keys", createDeployKey)
    .add("GET", "/repositories/:workspace/:repo_slug/deploy-keys/:key_id", getDeployKey)
    .add("DELETE", "/repositories/:workspace/:repo_slug/deploy-keys/:key_id", deleteDeployKey)
    .add("POST", "/repositories/:workspace/:repo_slug/src", postSrc)
    .add("GET", "/repositories/:workspace/:repo_slug/src/:commit/*path", getSrc)
    .add("GET", "/repositories/:workspace/:repo_slug/refs/branches/*name", getBranch)
    .add("GET", "/repositories/:workspace/:repo_slug/pullrequests", listPulls)
    .add("POST", "/repositories/:workspace/:repo_slug/pullrequests", createPull)
    .add("GET", "/repositories/:workspace/:repo_slug/pullrequests/:pull_id", getPull)
    .add("PUT", "/repositories/:workspace/:repo_slug/pullrequests/:pull_id", updatePull)
    .add("POST", "/repositories/:workspace/:repo_slug/pullrequests/:pull_id/merge", mergePull)
    .add("POST", "/repositories/:workspace/:repo_slug/pullrequests/:pull_id/decline", declinePull)
    .add("GET", "/repositories/:workspace/:repo_slug/pipelines_config", getPipelinesConfig)
    .add("PUT", "/repositories/:workspace/:repo_slug/pipelines_config", putPipelinesConfig)
    .add("GET", "/repositories/:workspace/:repo_slug/pipelines_config/variables", listVariables)
    .add("POST", "/repositories/:workspace/:repo_slug/pipelines_config/variables", createVariable)
    .add("PUT", "/repositories/:workspace/:repo_slug/pipelines_config/variables/:variable_uuid", updateVariable);
}

/** A brace-wrapped UUID derived from `seed`, so an account keeps its uuid across restarts. */
function stableUuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `{${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}}`;
}
