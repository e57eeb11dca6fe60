/**
 * Link endpoints of the sandbox's `reference` build service:
 * `/{namespace}/links/`, `/{namespace}/links/{id}/` and the link's credentials and repositories.
 */
import { randomUUID } from "node:crypto";
import type { AutobuildRepositoryWire, LinkCredentialsWire } from "./wire-types.js";
import type { RouteContext, RouteHandler, RouteResponse } from "../router.js";
import { json } from "../router.js";
import type { BuildServiceLinkState, World } from "../world.js";
import { authorize } from "./auth.js";
import { accountExists, issueGrant, oauthAppFor } from "./grants.js";
import { detail, linkWire, listEnvelope, notFound, pageParams } from "./wire.js";

const PROVIDERS = ["github", "bitbucket"] as const;

/** Wraps a handler that needs an authorized namespace and an existing link of it (else 401/403/404). */
export function withLink(handler: (ctx: RouteContext, link: BuildServiceLinkState) => RouteResponse): RouteHandler {
  return (ctx) => {
    const namespace = ctx.params["namespace"]!;
    const denied = authorize(ctx, namespace);
    if (denied) return denied;
    const link = ctx.world.buildService.links.find((l) => l.namespace === namespace && l.id === ctx.params["id"]);
    return link ? handler(ctx, link) : notFound();
  };
}

/** `GET /{namespace}/links/`: every link of the namespace, `unlinked` records included, oldest first. */
export const listLinks: RouteHandler = (ctx) => {
  const namespace = ctx.params["namespace"]!;
  const denied = authorize(ctx, namespace);
  if (denied) return denied;
  const page = pageParams(ctx);
  if ("status" in page) return page;
  const links = ctx.world.buildService.links.filter((l) => l.namespace === namespace).map((l) => linkWire(ctx, l));
  return json(200, listEnvelope(ctx, links, page));
};

/** `POST /{namespace}/links/`: links a provider account, issuing the OAuth grant on the provider side. */
export const createLink: RouteHandler = (ctx) => {
  const namespace = ctx.params["namespace"]!;
  const denied = authorize(ctx, namespace);
  if (denied) return denied;
  const input = parseNewLink(ctx.body);
  if (typeof input === "string") return detail(400, input);
  const { world } = ctx;
  const app = oauthAppFor(world, input.provider);
  if (!app) return detail(400, `The build service has no OAuth app registered with ${input.provider}.`);
  if (!accountExists(world, input.provider, input.account)) return detail(400, `Unknown ${input.provider} account "${input.account}".`);
  const clash = world.buildService.links.find(
    (l) =>
      l.namespace === namespace &&
      l.state !== "unlinked" &&
      l.provider === input.provider &&
      l.account === input.account &&
      l.team === input.team,
  );
  if (clash)
    return detail(
      409,
      `A link for ${input.provider} account "${input.account}"${input.team ? ` in team "${input.team}"` : ""} already exists (${clash.id}).`,
    );
  const now = new Date().toISOString();
  const link: BuildServiceLinkState = {
    id: randomUUID(),
    namespace,
    provider: input.provider,
    account: input.account,
    team: input.team,
    service_account: input.service_account,
    state: "enabled",
    created_at: now,
    updated_at: now,
    grantToken: issueGrant(world, input.provider, input.account, app),
    repositories: [],
  };
  world.buildService.links.push(link);
  const wire = linkWire(ctx, link);
  return json(201, wire, { location: new URL(wire.resource_uri, ctx.url).toString() });
};

/** `GET /{namespace}/links/{id}/`. */
export const getLink = withLink((ctx, link) => json(200, linkWire(ctx, link)));

/** `PATCH /{namespace}/links/{id}/` with `{state: enabled|disabled}`; an unlinked record cannot be revived (409). */
export const patchLink = withLink((ctx, link) => {
  const state = isRecord(ctx.body) ? ctx.body["state"] : undefined;
  if (state !== "enabled" && state !== "disabled") return detail(400, 'state must be "enabled" or "disabled".');
  if (link.state === "unlinked") return detail(409, "The link is unlinked; create a new link instead.");
  if (link.state !== state) {
    link.state = state;
    link.updated_at = new Date().toISOString();
  }
  return json(200, linkWire(ctx, link));
});

/**
 * `DELETE /{namespace}/links/{id}/`: marks the link `unlinked`, leaving the provider grant and the
 * webhooks in place like the real service. Idempotent: 204 again for an unlinked record.
 */
export const deleteLink = withLink((_ctx, link) => {
  if (link.state !== "unlinked") {
    link.state = "unlinked";
    link.updated_at = new Date().toISOString();
  }
  return { status: 204 };
});

/**
 * `GET /{namespace}/links/{id}/credentials/`: the token the link holds, 404 when it holds none. A token
 * revoked on the provider is still returned: the service learns of a revocation only by using the token,
 * so the app owner checks it with the provider (`POST /applications/{client_id}/token`).
 */
export const getCredentials = withLink((ctx, link) => {
  const app = oauthAppFor(ctx.world, link.provider);
  if (!app || link.grantToken === null) return notFound();
  const body: LinkCredentialsWire = { provider: link.provider, client_id: app.clientId, access_token: link.grantToken };
  return json(200, body);
});

/** `GET /{namespace}/links/{id}/repositories/`: the link's autobuild sources, paginated like links. */
export const listRepositories = withLink((ctx, link) => {
  const page = pageParams(ctx);
  if ("status" in page) return page;
  const repos: AutobuildRepositoryWire[] = link.repositories.map((repository) => ({
    repository,
    provider: link.provider,
    webhook_url: webhookUrl(ctx.world, link, repository),
  }));
  return json(200, listEnvelope(ctx, repos, page));
});

/**
 * `PUT /{namespace}/links/{id}/repositories/{owner}/{name}/`: makes a repository of the link's provider an
 * autobuild source of the link (201, or 200 when it already is one). An unknown repository is a 400, an
 * unlinked record a 409. Sets the record only: the service's webhook is what it already is.
 */
export const putRepository = withLink((ctx, link) => {
  if (link.state === "unlinked") return detail(409, "The link is unlinked; create a new link instead.");
  const owner = ctx.params["owner"]!;
  const name = ctx.params["name"]!;
  const lower = (s: string): string => s.toLowerCase();
  const found =
    link.provider === "github"
      ? ctx.world.github.repos.find((r) => lower(r.owner) === lower(owner) && lower(r.name) === lower(name))
      : ctx.world.bitbucket.repos.find((r) => lower(r.workspace) === lower(owner) && lower(r.slug) === lower(name));
  if (!found) return detail(400, `Unknown ${link.provider} repository "${owner}/${name}".`);
  const repository = "owner" in found ? `${found.owner}/${found.name}` : `${found.workspace}/${found.slug}`;
  const listed = link.repositories.some((r) => lower(r) === lower(repository));
  if (!listed) {
    link.repositories.push(repository);
    link.updated_at = new Date().toISOString();
  }
  const body: AutobuildRepositoryWire = { repository, provider: link.provider, webhook_url: webhookUrl(ctx.world, link, repository) };
  return json(listed ? 200 : 201, body);
});

/** The URL of the service's webhook on a repository: the installed one when present, else the one it would install. */
function webhookUrl(world: World, link: BuildServiceLinkState, repository: string): string {
  const base = world.buildService.webhookUrlBase;
  const [owner, name] = repository.split("/");
  const installed =
    link.provider === "github"
      ? world.github.repos.find((r) => r.owner === owner && r.name === name)?.hooks.map((h) => h.config.url)
      : world.bitbucket.repos.find((r) => r.workspace === owner && r.slug === name)?.hooks.map((h) => h.url);
  return installed?.find((url) => url.startsWith(base)) ?? `${base}${link.id}/trigger/call/`;
}

interface NewLinkBody {
  provider: (typeof PROVIDERS)[number];
  account: string;
  team: string | null;
  service_account: boolean;
}

/** The validated POST body, or the reason it is invalid. */
function parseNewLink(body: unknown): NewLinkBody | string {
  if (!isRecord(body)) return "Expected a JSON object body.";
  const { provider, account, team, service_account } = body;
  if (typeof provider !== "string" || !(PROVIDERS as readonly string[]).includes(provider))
    return 'provider must be "github" or "bitbucket".';
  if (typeof account !== "string" || account === "") return "account is required.";
  if (team !== undefined && team !== null && (typeof team !== "string" || team === "")) return "team must be a non-empty string or null.";
  if (typeof service_account !== "boolean") return "service_account must be a boolean.";
  return { provider: provider as NewLinkBody["provider"], account, team: (team as string | null | undefined) ?? null, service_account };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
