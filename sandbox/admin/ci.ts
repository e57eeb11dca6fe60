/**
 * `POST /_sandbox/ci/push`: a push happened outside any API the sandbox serves (a developer's `git push`),
 * so the sandbox's CI runs the replacement files it holds: body `{provider, repository, ref, sha, files}`
 * with `files` the commit's CI files by path. `PUT /_sandbox/ci/failing`: `{repository, failing}` makes
 * that repository's builds fail (or pass again).
 */
import type { CiPush } from "../ci/runs.js";
import type { World } from "../world.js";

/** A push request's body, or the reason it is not one. */
export function parseCiPush(body: unknown): CiPush | string {
  const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const { provider, repository, ref, sha, files } = b;
  if (provider !== "github" && provider !== "bitbucket") return "ci: provider must be github or bitbucket";
  if (typeof repository !== "string" || !/^[^/\s]+\/[^/\s]+$/.test(repository)) return "ci: repository must be owner/name";
  if (typeof ref !== "string" || !/^refs\/(heads|tags)\/\S+$/.test(ref)) return "ci: ref must be refs/heads/… or refs/tags/…";
  if (typeof sha !== "string" || !/^[0-9a-f]{7,64}$/.test(sha)) return "ci: sha must be a commit sha";
  if (typeof files !== "object" || files === null || Array.isArray(files) || !Object.values(files).every((v) => typeof v === "string"))
    return "ci: files must map paths to their text";
  return { provider, repository, ref, sha, files: new Map(Object.entries(files as Record<string, string>)) };
}

/** Applies `PUT /_sandbox/ci/failing`; answers the repositories whose builds fail, or the reason the body is refused. */
export function setFailing(world: World, body: unknown): string[] | string {
  const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof b["repository"] !== "string" || typeof b["failing"] !== "boolean") return "ci: body must be {repository, failing: true|false}";
  const rest = (world.failingBuilds ?? []).filter((r) => r !== b["repository"]);
  world.failingBuilds = b["failing"] ? [...rest, b["repository"]] : rest;
  return world.failingBuilds;
}
