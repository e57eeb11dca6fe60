/**
 * Turns a validated seed document into a world (seed.ts parses and validates it): the OAuth apps,
 * then each provider (seed-github.ts, seed-bitbucket.ts), then the build service that links to
 * them (seed-build-service.ts), Docker Hub's API (seed-docker-hub.ts), then the operator. Ids come from `world.nextId` in that order.
 */
import { fakeSecret } from "./fake-secrets.js";
import { seedBitbucket } from "./seed-bitbucket.js";
import { seedBuildService } from "./seed-build-service.js";
import { seedDockerHub } from "./seed-docker-hub.js";
import { seedGitHub } from "./seed-github.js";
import type { SeedDocument } from "./seed-document.js";
import { emptyWorld, type World } from "./world.js";
import type { WorldBuild } from "./world-build.js";

/** The world a seed describes; each problem found goes to `problem` (the world is unusable if there is any). */
export function buildWorld(seed: SeedDocument, problem: WorldBuild["problem"]): World {
  const world = emptyWorld();
  const build: WorldBuild = { world, now: new Date().toISOString(), nextId: () => world.nextId++, problem };
  seedOAuthApps(build, seed.oauthApps ?? []);
  const github = seedGitHub(build, seed.github ?? {});
  const bitbucketRepos = seedBitbucket(build, seed.bitbucket ?? {});
  seedBuildService(build, seed.buildService ?? {}, { github, bitbucketRepos });
  seedDockerHub(build, seed.dockerHub ?? {});
  if (seed.operator) seedOperator(build, seed.operator);
  return world;
}

function seedOAuthApps(build: WorldBuild, apps: NonNullable<SeedDocument["oauthApps"]>): void {
  for (const [i, app] of apps.entries()) {
    if (build.world.oauthApps.some((a) => a.clientId === app.clientId))
      build.problem(["oauthApps", i, "clientId"], `duplicate OAuth app "${app.clientId}"`);
    build.world.oauthApps.push({
      provider: app.provider,
      clientId: app.clientId,
      name: app.name,
      clientSecret: app.clientSecret ?? fakeSecret("sbx-cs"),
    });
  }
}

/** Whose credentials the sandbox's env hands out; each must be declared. */
function seedOperator(build: WorldBuild, op: NonNullable<SeedDocument["operator"]>): void {
  const { world } = build;
  if (op.github !== undefined && !world.github.tokens.some((t) => t.login === op.github && t.kind === "pat")) {
    build.problem(["operator", "github"], `"${op.github}" is not a declared GitHub user with a PAT`);
  }
  if (op.bitbucket !== undefined && !world.bitbucket.users.some((u) => u.username === op.bitbucket)) {
    build.problem(["operator", "bitbucket"], `"${op.bitbucket}" is not a declared Bitbucket user`);
  }
  if (op.namespace !== undefined && !world.buildService.tokens.some((t) => t.namespaces.includes(op.namespace!))) {
    build.problem(["operator", "namespace"], `"${op.namespace}" is not a declared build-service namespace`);
  }
  if (op.dockerHub !== undefined && !(world.dockerHub?.users ?? []).some((u) => u.username === op.dockerHub)) {
    build.problem(["operator", "dockerHub"], `"${op.dockerHub}" is not a declared Docker Hub user`);
  }
  world.operator = {
    github: op.github ?? null,
    bitbucket: op.bitbucket ?? null,
    namespace: op.namespace ?? null,
    ...(op.dockerHub === undefined ? {} : { dockerHub: op.dockerHub }),
  };
}
