/** Builds the Docker Hub part of a seeded world (seed.ts describes the fields): users with access tokens, repositories with tags, the limit. */
import { fakeSecret } from "./fake-secrets.js";
import { pushTags } from "./docker-hub/registry.js";
import type { SeedDocument } from "./seed-document.js";
import { emptyDockerHub } from "./world.js";
import type { WorldBuild } from "./world-build.js";

type SeedDockerHub = NonNullable<SeedDocument["dockerHub"]>;

/** Adds the seed's Docker Hub users, repositories and tags, and its request limit. */
export function seedDockerHub(build: WorldBuild, seed: SeedDockerHub): void {
  const hub = emptyDockerHub();
  build.world.dockerHub = hub;
  for (const [i, user] of (seed.users ?? []).entries()) {
    if (hub.users.some((u) => u.username === user.username))
      build.problem(["dockerHub", "users", i, "username"], `duplicate Docker Hub user "${user.username}"`);
    hub.users.push({
      username: user.username,
      namespaces: [...(user.namespaces ?? [user.username])],
      accessTokens: (user.accessTokens ?? [{}]).map((t) => ({ token: t.value ?? fakeSecret("sbx-dckr"), scope: t.scope ?? "read" })),
    });
  }
  for (const [i, repo] of (seed.repositories ?? []).entries()) {
    const [namespace, name] = repo.name.split("/") as [string, string];
    if (hub.repositories.some((r) => r.namespace === namespace && r.name === name))
      build.problem(["dockerHub", "repositories", i, "name"], `duplicate Docker Hub repository "${repo.name}"`);
    const created = pushTags(build.world, repo.name, [], build.now);
    created.private = repo.private ?? true;
    for (const tag of repo.tags ?? []) pushTags(build.world, repo.name, [tag.name], tag.lastPushed ?? build.now);
  }
  if (seed.rateLimit) hub.rateLimit = { limit: seed.rateLimit.limit, windowSeconds: seed.rateLimit.windowSeconds ?? 60 };
}
