/**
 * `GET /repositories/{workspace}`: a workspace's repositories, paged as Bitbucket pages them
 * (https://developer.atlassian.com/cloud/bitbucket/rest/api-group-repositories/#api-repositories-workspace-get).
 * A caller sees the repositories of its own workspaces (a repository access token: its one repository).
 */
import type { RouteHandler } from "../router.js";
import { authenticate } from "./auth.js";
import { bbError, paged, repoHref } from "./wire.js";

/** `GET /repositories/{workspace}`. */
export const listWorkspaceRepositories: RouteHandler = (ctx) => {
  const caller = authenticate(ctx);
  if ("status" in caller) return caller;
  const workspace = ctx.params["workspace"]!;
  const known =
    ctx.world.bitbucket.repos.some((r) => r.workspace === workspace) ||
    ctx.world.bitbucket.users.some((u) => u.workspaces.includes(workspace));
  if (!known) return bbError(404, `No workspace with identifier '${workspace}'.`);
  const visible = caller.workspaces.includes(workspace)
    ? ctx.world.bitbucket.repos.filter((r) => r.workspace === workspace && (caller.repository === null || caller.repository === r.slug))
    : [];
  const values = visible.map((repo) => ({
    type: "repository",
    uuid: repo.uuid,
    full_name: `${repo.workspace}/${repo.slug}`,
    name: repo.slug,
    slug: repo.slug,
    is_private: true,
    workspace: { type: "workspace", slug: repo.workspace },
    links: { self: { href: repoHref(ctx, repo) } },
  }));
  return paged(ctx, values);
};
