/**
 * What a push does to the sandbox's Docker Hub: the repository appears on its first push (as on
 * Docker Hub), and each tag pushed gets a new digest and `tag_last_pushed`. The workflow runs the
 * sandbox executes and `POST /_sandbox/act` push through here.
 */
import { createHash } from "node:crypto";
import { emptyDockerHub, type DockerHubRepositoryState, type DockerHubState, type World } from "../world.js";

/** The world's Docker Hub, created empty in a world that predates it. */
export function dockerHubOf(world: World): DockerHubState {
  world.dockerHub ??= emptyDockerHub();
  return world.dockerHub;
}

/** The repository `namespace/name`, if Docker Hub holds it. */
export function findRepository(world: World, namespace: string, name: string): DockerHubRepositoryState | undefined {
  return dockerHubOf(world).repositories.find((r) => r.namespace === namespace && r.name === name);
}

/** Pushes `tags` of `image` (`namespace/name`) at `at` (ISO 8601): each tag's digest and `lastPushed` change. */
export function pushTags(world: World, image: string, tags: readonly string[], at: string): DockerHubRepositoryState {
  const [namespace, name] = image.split("/") as [string, string];
  const hub = dockerHubOf(world);
  let repo = findRepository(world, namespace, name);
  if (repo === undefined) {
    repo = { namespace, name, private: false, tags: [] };
    hub.repositories.push(repo);
  }
  const pushedAt = new Date(at).toISOString();
  for (const tag of tags) {
    const digest = `sha256:${createHash("sha256").update(`${image}:${tag}@${at}`).digest("hex")}`;
    const existing = repo.tags.find((t) => t.name === tag);
    if (existing) {
      existing.lastPushed = pushedAt;
      existing.digest = digest;
    } else repo.tags.push({ name: tag, lastPushed: pushedAt, digest });
  }
  return repo;
}
