/**
 * `GET /users/{username}/repos` (https://docs.github.com/en/rest/repos/repos#list-repositories-for-a-user):
 * a user's repositories; private ones only to the user themself (the sandbox's affiliation rule).
 */
import type { Router } from "../router.js";
import { authed, isAffiliated, sameLogin } from "./auth.js";
import { conditional, notFound, paginate } from "./respond.js";
import { minimalRepository } from "./wire.js";

/** Registers `GET /users/{username}/repos`. */
export function registerUserRepoRoutes(router: Router): void {
  router.add(
    "GET",
    "/users/:username/repos",
    authed((ctx, caller) => {
      const login = ctx.params.username ?? "";
      const account = ctx.world.github.accounts.find((a) => sameLogin(a.login, login) && a.type === "User");
      if (!account) return notFound();
      const own = isAffiliated(ctx.world, caller.login, account.login);
      const repos = ctx.world.github.repos
        .filter((r) => sameLogin(r.owner, account.login) && (!r.private || own))
        .sort((a, b) => a.id - b.id)
        .map((r) => minimalRepository(ctx.mountUrl, ctx.world, r));
      return conditional(ctx, paginate(ctx, repos));
    }),
  );
}
