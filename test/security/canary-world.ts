/**
 * The demo world (sandbox/worlds/demo.yaml) with every credential replaced by a canary: the seed
 * format sets PATs, the OAuth apps' client secrets, the Bitbucket app password, build-service tokens
 * and webhook secrets; the grant tokens the build service holds for its links are minted by the seed
 * loader, so they are swapped in the loaded world (the sandbox takes a `World` as its seed).
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { demoSeedPath, loadSeed, type SeedDocument } from "../../sandbox/index.js";
import type { World } from "../../sandbox/world.js";
import { canary, type CanarySet } from "./canaries.js";

/** The demo seed document with canary credentials, and the world it loads to (grant tokens swapped too). */
export interface CanaryWorld {
  /** The seed, for `sourcelinks sandbox --seed` (its link grants are minted by that sandbox). */
  seed: SeedDocument;
  world: World;
}

/** Builds the canary demo world and registers every credential in `canaries`. */
export function canaryDemoWorld(canaries: CanarySet): CanaryWorld {
  const seed = parse(readFileSync(demoSeedPath(), "utf8")) as SeedDocument;
  for (const app of seed.oauthApps ?? []) {
    app.clientSecret = canary(`${app.provider === "github" ? "gh" : "bb"}-client-secret`);
    canaries.add(`${app.provider} OAuth app client secret`, app.clientSecret, { basicUser: app.clientId });
  }
  for (const user of seed.github?.users ?? []) {
    const pat = canary("gh-pat");
    user.pat = pat;
    canaries.add(`GitHub PAT of ${user.login}`, pat);
  }
  for (const repo of seed.github?.repos ?? []) {
    for (const hook of repo.hooks ?? []) {
      if (hook.secret !== true) continue;
      hook.secret = canary("hook-secret");
      canaries.add(`webhook secret of ${hook.url} on ${repo.name}`, hook.secret);
    }
  }
  for (const user of seed.bitbucket?.users ?? []) {
    user.email ??= `${user.username}@bitbucket.sandbox.test`;
    user.apiToken = canary("bb-api-token");
    canaries.add(`Bitbucket API token of ${user.username}`, user.apiToken, { basicUser: user.email });
    user.appPassword = canary("bb-app-password");
    canaries.add(`Bitbucket app password of ${user.username}`, user.appPassword, { basicUser: user.username });
  }
  for (const ns of seed.buildService?.namespaces ?? []) {
    ns.tokens = [{ value: canary("build-token") }];
    canaries.add(`build-service token of ${ns.name}`, ns.tokens[0]!.value!);
  }

  const world = loadSeed(structuredClone(seed), "canary demo seed");
  for (const link of world.buildService.links) {
    if (link.grantToken === null) continue;
    const minted = link.grantToken;
    const value = canary(`${link.provider}-grant`);
    link.grantToken = value;
    for (const t of world.github.tokens) if (t.token === minted) t.token = value;
    for (const u of world.bitbucket.users) for (const g of u.grants) if (g.accessToken === minted) g.accessToken = value;
    canaries.add(`${link.provider} grant token held by link ${link.id} (${link.account})`, value);
  }
  return { seed, world };
}

/** Every credential value a world holds (for checking that none escaped the canary treatment). */
export function worldCredentials(world: World): string[] {
  return [
    ...world.github.tokens.map((t) => t.token),
    ...world.oauthApps.map((a) => a.clientSecret),
    ...world.bitbucket.users.flatMap((u) => [u.apiToken, u.appPassword, ...u.grants.map((g) => g.accessToken)]),
    ...world.buildService.tokens.map((t) => t.token),
    ...world.buildService.links.flatMap((l) => (l.grantToken === null ? [] : [l.grantToken])),
    ...world.github.repos.flatMap((r) => r.hooks.flatMap((h) => (h.config.secret === null ? [] : [h.config.secret]))),
  ];
}
