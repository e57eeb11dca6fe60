/**
 * A user's repositories, as GitHub lists them:
 * - `GET /users/{username}/repos` (https://docs.github.com/en/rest/repos/repos#list-repositories-for-a-user):
 *   public repositories only, whoever asks;
 * - `GET /user/repos` (https://docs.github.com/en/rest/repos/repos#list-repositories-for-the-authenticated-user):
 *   what the token's user may see, private ones included, filtered by `visibility` and `affiliation`
 *   (or the older `type`, which GitHub refuses together with either); installation tokens are refused;
 * - `GET /installation/repositories` (https://docs.github.com/en/rest/apps/installations#list-repositories-accessible-to-the-app-installation):
 *   the repositories an installation was given (in the sandbox every repository of its owner), for installation tokens only.
 * The sandbox has no collaborators: `collaborator` adds nothing.
 */
import type { RouteContext, RouteResponse, Router } from "../router.js";
import type { GitHubRepoState, World } from "../world.js";
import { authed, isAffiliated, oauthRestriction, sameLogin, type Caller } from "./auth.js";
import { conditional, githubError, notFound, paginate, validationFailed } from "./respond.js";
import { fullRepository, minimalRepository } from "./wire.js";

/** GitHub's refusal of a user route to an installation token. */
const NOT_ACCESSIBLE = "https://docs.github.com/rest/repos/repos#list-repositories-for-the-authenticated-user";

/** Registers `GET /users/{username}/repos`, `GET /user/repos` and `GET /installation/repositories`. */
export function registerUserRepoRoutes(router: Router): void {
  router.add(
    "GET",
    "/users/:username/repos",
    authed((ctx) => {
      const login = ctx.params.username ?? "";
      const account = ctx.world.github.accounts.find((a) => sameLogin(a.login, login) && a.type === "User");
      if (!account) return notFound();
      const type = ctx.url.searchParams.get("type") ?? "owner";
      // Public repositories only: `type=member` adds those the user is a member of, never a private one.
      const repos = sorted(ctx.world).filter((r) => !r.private && (type === "member" ? false : sameLogin(r.owner, account.login)));
      return listing(ctx, repos);
    }),
  );

  router.add(
    "GET",
    "/user/repos",
    authed((ctx, caller) => {
      if (caller.token.kind === "installation") return githubError(403, "Resource not accessible by integration", NOT_ACCESSIBLE);
      const params = ctx.url.searchParams;
      const type = params.get("type");
      if (type !== null && (params.has("visibility") || params.has("affiliation")))
        return validationFailed([
          { resource: "Repository", code: "invalid", message: "If you specify visibility or affiliation, you cannot specify type." },
        ]);
      const filter = type === null ? byAffiliation(ctx, caller) : byType(ctx.world, caller, type);
      if ("status" in filter) return filter;
      // An org that restricts the token's OAuth app shows it none of its repositories.
      const repos = sorted(ctx.world).filter((r) => filter.keep(r) && oauthRestriction(ctx.world, caller, r.owner) === null);
      const page = paginate(ctx, repos);
      // GitHub's `repository` objects here, with the caller's permissions.
      const body = (page.body as GitHubRepoState[]).map((r) =>
        fullRepository(ctx.mountUrl, ctx.world, r, isAffiliated(ctx.world, caller.login, r.owner)),
      );
      return conditional(ctx, { ...page, body });
    }),
  );

  router.add(
    "GET",
    "/installation/repositories",
    authed((ctx, caller) => {
      if (caller.token.kind !== "installation")
        return githubError(
          403,
          "You must authenticate with an installation access token in order to list repositories for an installation.",
        );
      const repos = sorted(ctx.world).filter((r) => sameLogin(r.owner, caller.login));
      const page = paginate(ctx, repos);
      const body = (page.body as GitHubRepoState[]).map((r) => fullRepository(ctx.mountUrl, ctx.world, r, true));
      return conditional(ctx, { ...page, body: { total_count: repos.length, repository_selection: "all", repositories: body } });
    }),
  );
}

/** A repository filter, or the 422 of a parameter GitHub refuses. */
type Filter = { keep: (repo: GitHubRepoState) => boolean } | RouteResponse;

/** `visibility` (all, public, private) and `affiliation` (owner, collaborator, organization_member; all three by default). */
function byAffiliation(ctx: RouteContext, caller: Caller): Filter {
  const params = ctx.url.searchParams;
  const visibility = params.get("visibility") ?? "all";
  if (!["all", "public", "private"].includes(visibility))
    return validationFailed([{ resource: "Repository", code: "invalid", field: "visibility" }]);
  const affiliations = (params.get("affiliation") ?? "owner,collaborator,organization_member").split(",").map((a) => a.trim());
  if (affiliations.some((a) => !["owner", "collaborator", "organization_member"].includes(a)))
    return validationFailed([{ resource: "Repository", code: "invalid", field: "affiliation" }]);
  const owner = affiliations.includes("owner");
  const member = affiliations.includes("organization_member");
  return {
    keep: (r) =>
      (visibility === "all" || (visibility === "private") === r.private) &&
      ((owner && sameLogin(r.owner, caller.login)) ||
        (member && !sameLogin(r.owner, caller.login) && isAffiliated(ctx.world, caller.login, r.owner))),
  };
}

/** `type` (all, owner, public, private, member). */
function byType(world: World, caller: Caller, type: string): Filter {
  const own = (r: GitHubRepoState): boolean => sameLogin(r.owner, caller.login);
  const member = (r: GitHubRepoState): boolean => !own(r) && isAffiliated(world, caller.login, r.owner);
  switch (type) {
    case "all":
      return { keep: (r) => own(r) || member(r) };
    case "owner":
      return { keep: own };
    case "public":
      return { keep: (r) => !r.private && (own(r) || member(r)) };
    case "private":
      return { keep: (r) => r.private && (own(r) || member(r)) };
    case "member":
      return { keep: member };
    default:
      return validationFailed([{ resource: "Repository", code: "invalid", field: "type" }]);
  }
}

function sorted(world: World): GitHubRepoState[] {
  return [...world.github.repos].sort((a, b) => a.id - b.id);
}

/** One page of repositories, only the page's rendered. */
function listing(ctx: RouteContext, repos: readonly GitHubRepoState[]): RouteResponse {
  const page = paginate(ctx, repos);
  return conditional(ctx, { ...page, body: (page.body as GitHubRepoState[]).map((r) => minimalRepository(ctx.mountUrl, ctx.world, r)) });
}
