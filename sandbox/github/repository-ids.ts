/**
 * GitHub serves every repository route by id too (`/repositories/{repository_id}/…`): it is where
 * an old name redirects (respond.ts `redirect`). This router registers, beside each
 * `/repos/:owner/:repo…` route, its twin by id, which answers as the route for the repository's
 * current name (the same checks, permissions and answers).
 */
import { Router, type Method, type RouteHandler } from "../router.js";
import { notFound } from "./respond.js";

const BY_NAME = "/repos/:owner/:repo";
const BY_ID = "/repositories/:repository_id";

/** A router that serves each repository route by name and by id. */
export class RepositoryRouter extends Router {
  override add(method: Method, pattern: string, handler: RouteHandler): this {
    super.add(method, pattern, handler);
    if (pattern === BY_NAME || pattern.startsWith(`${BY_NAME}/`))
      super.add(method, `${BY_ID}${pattern.slice(BY_NAME.length)}`, byId(handler));
    return this;
  }
}

/** The handler of the route by name, called for the repository the id names, as if its current name had been asked for. */
function byId(handler: RouteHandler): RouteHandler {
  return (ctx) => {
    const raw = ctx.params.repository_id ?? "";
    const repo = /^\d+$/.test(raw) ? ctx.world.github.repos.find((r) => r.id === Number(raw)) : undefined;
    if (!repo) return notFound();
    const mount = new URL(ctx.mountUrl).pathname;
    const rest = ctx.url.pathname.slice(mount.length).split("/").slice(3).join("/");
    const url = new URL(ctx.url.toString());
    url.pathname = `${mount}/repos/${repo.owner}/${repo.name}${rest === "" ? "" : `/${rest}`}`;
    const { repository_id: _id, ...params } = ctx.params;
    return handler({ ...ctx, url, params: { ...params, owner: repo.owner, repo: repo.name } });
  };
}
