/** Builds the Bitbucket part of a seeded world (seed.ts describes the fields): users, repositories, access tokens. */
import { randomUUID } from "node:crypto";
import { fakePublicKey, fakeSecret } from "./fake-secrets.js";
import { hasOAuthApp } from "./seed-github.js";
import type { SeedDocument } from "./seed-document.js";
import type { WorldBuild } from "./world-build.js";
import { seedGit } from "./seed-github.js";

type SeedBitbucket = NonNullable<SeedDocument["bitbucket"]>;

/** Adds the seed's Bitbucket users, repositories and access tokens; answers the declared repositories (`workspace/slug`). */
export function seedBitbucket(build: WorldBuild, bb: SeedBitbucket): ReadonlySet<string> {
  seedUsers(build, bb.users ?? []);
  const repos = seedRepos(build, bb.repos ?? []);
  build.world.bitbucket.accessTokens = (bb.accessTokens ?? []).map((t) => ({
    token: t.value ?? fakeSecret("sbx-bb-access"),
    workspace: t.workspace,
    repository: t.repository ?? null,
  }));
  return repos;
}

function seedUsers(build: WorldBuild, users: NonNullable<SeedBitbucket["users"]>): void {
  const { world } = build;
  for (const [i, user] of users.entries()) {
    if (world.bitbucket.users.some((u) => u.username === user.username))
      build.problem(["bitbucket", "users", i, "username"], `duplicate Bitbucket user "${user.username}"`);
    for (const [j, g] of (user.grants ?? []).entries()) {
      if (!hasOAuthApp(world, "bitbucket", g.app))
        build.problem(["bitbucket", "users", i, "grants", j, "app"], `"${g.app}" is not a declared Bitbucket OAuth consumer`);
    }
    world.bitbucket.users.push({
      username: user.username,
      email: user.email ?? `${user.username}@bitbucket.sandbox.test`,
      apiToken: user.apiToken ?? fakeSecret("sbx-bb-api"),
      appPassword: user.appPassword ?? fakeSecret("sbx-bb-app"),
      workspaces: [...(user.workspaces ?? [])],
      grants: (user.grants ?? []).map((g) => ({
        consumerKey: g.app,
        revoked: g.revoked ?? false,
        accessToken: g.accessToken ?? fakeSecret("sbx-bb-oauth"),
      })),
    });
  }
}

function seedRepos(build: WorldBuild, repos: NonNullable<SeedBitbucket["repos"]>): Set<string> {
  const { world, now } = build;
  const names = new Set<string>();
  for (const [i, repo] of repos.entries()) {
    const [workspace, slug] = repo.name.split("/") as [string, string];
    if (names.has(repo.name)) build.problem(["bitbucket", "repos", i, "name"], `duplicate repository "${repo.name}"`);
    names.add(repo.name);
    world.bitbucket.repos.push({
      uuid: `{${randomUUID()}}`,
      workspace,
      slug,
      hooks: (repo.hooks ?? []).map((h) => ({
        uuid: `{${randomUUID()}}`,
        url: h.url,
        description: h.description ?? "",
        active: h.active ?? true,
        events: [...(h.events ?? ["repo:push"])],
        skip_cert_verification: h.skipCertVerification ?? false,
        secret_set: h.secret ?? false,
        created_at: now,
      })),
      keys: (repo.deployKeys ?? []).map((k) => ({ id: build.nextId(), key: k.key ?? fakePublicKey(), label: k.label, created_on: now })),
      ...seedGit(repo, slug),
    });
  }
  return names;
}
