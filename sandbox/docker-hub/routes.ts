/**
 * The sandbox's Docker Hub API subset (hub.docker.com), mounted at `/dockerhub`: `POST /v2/auth/token`,
 * a repository, its tags (a page, or one by name) with `tag_last_pushed`, in Docker Hub's shapes,
 * each answer carrying the caller's `X-RateLimit-*` headers (rate-limit.ts).
 */
import { MOUNTS } from "../env.js";
import { json, Router, type RouteContext, type RouteHandler, type RouteResponse } from "../router.js";
import type { DockerHubRepositoryState, DockerHubTagState } from "../world.js";
import { bearerOf, hubError, issueToken } from "./auth.js";
import { DockerHubRateLimit } from "./rate-limit.js";
import { dockerHubOf, findRepository } from "./registry.js";

/** Docker Hub's default and largest `page_size`. */
const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 100;

/** The Docker Hub routes; each sandbox has its own rate-limit windows. */
export function dockerHubRouter(): Router {
  const limits = new DockerHubRateLimit();
  const limited =
    (handler: RouteHandler): RouteHandler =>
    async (ctx) => {
      const bearer = bearerOf(ctx);
      const { limit, windowSeconds } = dockerHubOf(ctx.world).rateLimit;
      const caller = typeof bearer === "string" ? "anonymous" : `user:${bearer.username}`;
      const decision = limits.take(caller, limit, windowSeconds, ctx.clock);
      const answer = decision.refused ? hubError(429, "Too Many Requests") : await handler(ctx);
      return { ...answer, headers: { ...answer.headers, ...decision.headers } };
    };
  return new Router(MOUNTS.dockerHub)
    .add("POST", "/v2/auth/token", limited(issueToken))
    .add("GET", "/v2/namespaces/:namespace/repositories/:repository", limited(withRepository((_ctx, repo) => json(200, repoWire(repo)))))
    .add("GET", "/v2/namespaces/:namespace/repositories/:repository/tags", limited(withRepository(listTags)))
    .add(
      "GET",
      "/v2/namespaces/:namespace/repositories/:repository/tags/:tag",
      limited(
        withRepository((ctx, repo) => {
          const tag = repo.tags.find((t) => t.name === ctx.params["tag"]);
          return tag ? json(200, tagWire(repo, tag)) : hubError(404, "httperror 404: tag not found");
        }),
      ),
    );
}

/** Runs `handler` on the repository of the path when the caller may read it: 401 for a bad bearer, 404 for a repository it may not see. */
function withRepository(handler: (ctx: RouteContext, repo: DockerHubRepositoryState) => RouteResponse): RouteHandler {
  return (ctx) => {
    const bearer = bearerOf(ctx);
    if (bearer === "invalid") return hubError(401, "authentication required: the bearer token is not valid or has expired");
    const namespace = ctx.params["namespace"]!;
    const repo = findRepository(ctx.world, namespace, ctx.params["repository"]!);
    const user = bearer === "anonymous" ? undefined : dockerHubOf(ctx.world).users.find((u) => u.username === bearer.username);
    const readable = repo !== undefined && (!repo.private || user?.namespaces.includes(namespace) === true);
    return readable ? handler(ctx, repo) : hubError(404, "httperror 404: object not found");
  };
}

/** `GET …/tags?page=&page_size=&ordering=`: Docker Hub's page `{count, next, previous, results}`. */
function listTags(ctx: RouteContext, repo: DockerHubRepositoryState): RouteResponse {
  const size = Math.min(positive(ctx.url.searchParams.get("page_size")) ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const page = positive(ctx.url.searchParams.get("page")) ?? 1;
  const ordering = ctx.url.searchParams.get("ordering");
  const tags = [...repo.tags];
  if (ordering === "last_updated" || ordering === "-last_updated") tags.sort((a, b) => b.lastPushed.localeCompare(a.lastPushed));
  else if (ordering === "name") tags.sort((a, b) => a.name.localeCompare(b.name));
  const at = (n: number): string => {
    const url = new URL(ctx.url);
    url.searchParams.set("page", String(n));
    url.searchParams.set("page_size", String(size));
    return url.toString();
  };
  const results = tags.slice((page - 1) * size, page * size).map((t) => tagWire(repo, t));
  return json(200, {
    count: tags.length,
    next: page * size < tags.length ? at(page + 1) : null,
    previous: page > 1 ? at(page - 1) : null,
    results,
  });
}

function positive(value: string | null): number | null {
  if (value === null) return null;
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : null;
}

/** A repository as `GET /v2/namespaces/{ns}/repositories/{repo}` answers it. */
function repoWire(repo: DockerHubRepositoryState): Record<string, unknown> {
  const lastUpdated = repo.tags.reduce<string | null>((max, t) => (max === null || t.lastPushed > max ? t.lastPushed : max), null);
  return {
    user: repo.namespace,
    name: repo.name,
    namespace: repo.namespace,
    repository_type: "image",
    status: 1,
    status_description: "active",
    description: "",
    is_private: repo.private,
    star_count: 0,
    pull_count: 0,
    last_updated: lastUpdated,
    affiliation: "",
    media_types: ["application/vnd.oci.image.index.v1+json"],
    content_types: ["image"],
  };
}

/** A tag as Docker Hub's tag endpoints answer it. */
function tagWire(repo: DockerHubRepositoryState, tag: DockerHubTagState): Record<string, unknown> {
  return {
    name: tag.name,
    last_updated: tag.lastPushed,
    last_updater_username: repo.namespace,
    full_size: 0,
    v2: true,
    tag_status: "active",
    tag_last_pulled: null,
    tag_last_pushed: tag.lastPushed,
    media_type: "application/vnd.oci.image.index.v1+json",
    content_type: "image",
    digest: tag.digest,
    images: [],
  };
}
