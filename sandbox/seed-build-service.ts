/** Builds the build-service part of a seeded world (seed.ts describes the fields): namespaces, their tokens and links. */
import { fakeSecret } from "./fake-secrets.js";
import type { SeedDocument, SeedLink } from "./seed-document.js";
import type { SeededGitHub } from "./seed-github.js";
import type { WorldBuild } from "./world-build.js";

type SeedBuildService = NonNullable<SeedDocument["buildService"]>;

/** The declared GitHub users and repositories and Bitbucket repositories, which links may name. */
export interface SeededProviders {
  github: SeededGitHub;
  bitbucketRepos: ReadonlySet<string>;
}

/** Adds the seed's namespaces: each one's API tokens and links, with the grant each link holds. */
export function seedBuildService(build: WorldBuild, bs: SeedBuildService, providers: SeededProviders): void {
  const { world } = build;
  if (bs.webhookUrlBase !== undefined) world.buildService.webhookUrlBase = bs.webhookUrlBase;
  const linkIds = new Set<string>();
  for (const [i, ns] of (bs.namespaces ?? []).entries()) {
    for (const t of ns.tokens ?? [{}]) {
      const value = t.value ?? fakeSecret("sbx-bs");
      const existing = world.buildService.tokens.find((x) => x.token === value);
      // The same value under several namespaces is one multi-namespace token.
      if (existing) existing.namespaces.push(ns.name);
      else world.buildService.tokens.push({ token: value, namespaces: [ns.name] });
    }
    for (const [j, link] of (ns.links ?? []).entries()) {
      seedLink(build, ns.name, link, ["buildService", "namespaces", i, "links", j], providers, linkIds);
    }
  }
}

function seedLink(
  build: WorldBuild,
  namespace: string,
  link: SeedLink,
  at: (string | number)[],
  providers: SeededProviders,
  linkIds: Set<string>,
): void {
  const { world, now } = build;
  const id = link.id ?? String(build.nextId());
  if (linkIds.has(id)) build.problem([...at, "id"], `duplicate link id "${id}"`);
  linkIds.add(id);
  const known = link.provider === "github" ? providers.github.users : new Set(world.bitbucket.users.map((u) => u.username));
  if (!known.has(link.account)) build.problem([...at, "account"], `"${link.account}" is not a declared ${link.provider} user`);
  const repos = link.provider === "github" ? providers.github.repos : providers.bitbucketRepos;
  for (const [k, r] of (link.repositories ?? []).entries()) {
    if (!repos.has(r)) build.problem([...at, "repositories", k], `"${r}" is not a declared ${link.provider} repository`);
  }
  world.buildService.links.push({
    id,
    namespace,
    provider: link.provider,
    account: link.account,
    team: link.team ?? null,
    service_account: link.serviceAccount ?? false,
    state: link.state ?? "enabled",
    created_at: now,
    updated_at: now,
    grantToken: seedGrant(build, link, at),
    repositories: [...(link.repositories ?? [])],
  });
}

/** Issues the link's OAuth grant on its provider (`grant: active` or `revoked`); answers the token the link holds. */
function seedGrant(build: WorldBuild, link: SeedLink, at: (string | number)[]): string | null {
  const { world } = build;
  const grant = link.grant ?? "active";
  if (grant === "none") return null;
  const app = world.oauthApps.find((a) => a.provider === link.provider);
  if (!app) {
    build.problem([...at, "grant"], `a grant needs a ${link.provider} OAuth app in oauthApps (or set grant: none)`);
    return null;
  }
  if (link.provider === "github") {
    const token = fakeSecret("sbx-gh-oauth");
    world.github.tokens.push({ token, login: link.account, kind: "oauth", clientId: app.clientId, revoked: grant === "revoked" });
    return token;
  }
  const token = fakeSecret("sbx-bb-oauth");
  world.bitbucket.users
    .find((u) => u.username === link.account)
    ?.grants.push({ consumerKey: app.clientId, revoked: grant === "revoked", accessToken: token });
  return token;
}
