/**
 * Users, orgs and repositories: `GET /user`, `GET /users/{username}`, `GET /orgs/{org}`,
 * `GET /orgs/{org}/repos`, `GET /repos/{owner}/{repo}`.
 */
import type { Router } from "../router.js";
import { authed, findOrg, isAffiliated, oauthRestriction, repoFor, sameLogin } from "./auth.js";
import { conditional, notFound, paginate } from "./respond.js";
import { accountFor, fullRepository, minimalRepository, organizationFull, privateUser, publicUser } from "./wire.js";

/** GitHub sends `Last-Modified` on a single user, org or repository, not on their listings. */
const DATED = { lastModified: true } as const;

/** Registers the account and repository routes. */
export function registerAccountRoutes(router: Router): void {
  router.add(
    "GET",
    "/user",
    authed((ctx, caller) =>
      conditional(ctx, { status: 200, body: privateUser(ctx.mountUrl, ctx.world, accountFor(ctx.world, caller.login)) }, DATED),
    ),
  );

  router.add(
    "GET",
    "/users/:username",
    authed((ctx) => {
      const login = ctx.params.username ?? "";
      const known = ctx.world.github.accounts.some((a) => sameLogin(a.login, login)) || !!findOrg(ctx.world, login);
      if (!known) return notFound();
      return conditional(ctx, { status: 200, body: publicUser(ctx.mountUrl, ctx.world, accountFor(ctx.world, login)) }, DATED);
    }),
  );

  router.add(
    "GET",
    "/orgs/:org",
    authed((ctx) => {
      const org = findOrg(ctx.world, ctx.params.org ?? "");
      if (!org) return notFound();
      // An org's profile is public: OAuth App access restrictions only guard private org data.
      return conditional(ctx, { status: 200, body: organizationFull(ctx.mountUrl, ctx.world, org) }, DATED);
    }),
  );

  router.add(
    "GET",
    "/orgs/:org/repos",
    authed((ctx, caller) => {
      const org = findOrg(ctx.world, ctx.params.org ?? "");
      if (!org) return notFound();
      const restricted = oauthRestriction(ctx.world, caller, org.login);
      if (restricted) return restricted;
      const affiliated = isAffiliated(ctx.world, caller.login, org.login);
      const type = ctx.url.searchParams.get("type") ?? "all";
      const repos = ctx.world.github.repos
        .filter((r) => sameLogin(r.owner, org.login))
        .filter((r) => !r.private || affiliated)
        .filter((r) => (type === "public" ? !r.private : type === "private" ? r.private : true))
        .sort((a, b) => a.id - b.id);
      // Only the page's repositories are rendered: an org of 5,000 would otherwise be built for every page.
      const page = paginate(ctx, repos);
      return conditional(ctx, { ...page, body: (page.body as typeof repos).map((r) => minimalRepository(ctx.mountUrl, ctx.world, r)) });
    }),
  );

  router.add(
    "GET",
    "/repos/:owner/:repo",
    authed((ctx, caller) => {
      const found = repoFor(ctx, caller, "read");
      if (!found.ok) return found.response;
      // The sandbox's admin rule is repoFor's: the owner account, or an owner or member of the owning org.
      const admin = isAffiliated(ctx.world, caller.login, found.value.owner);
      return conditional(ctx, { status: 200, body: fullRepository(ctx.mountUrl, ctx.world, found.value, admin) }, DATED);
    }),
  );
}
