/** Repository deploy keys of the sandbox's Bitbucket: `/repositories/{workspace}/{repo_slug}/deploy-keys[/{key_id}]`. */
import type { RouteContext, RouteResponse } from "../router.js";
import { json } from "../router.js";
import type { BitbucketDeployKeyState, BitbucketRepoState } from "../world.js";
import { withRepository } from "./auth.js";
import { bbError, deployKeyWire, paged } from "./wire.js";

/** `GET …/deploy-keys`: the repository's deploy keys, paged. */
export const listDeployKeys = withRepository((ctx, repo) =>
  paged(
    ctx,
    repo.keys.map((k) => deployKeyWire(ctx, repo, k)),
  ),
);

/** `POST …/deploy-keys` with `{key, label}`: Bitbucket answers 200 with the new key. */
export const createDeployKey = withRepository((ctx, repo) => {
  const body = typeof ctx.body === "object" && ctx.body !== null ? (ctx.body as Record<string, unknown>) : {};
  const key = body["key"];
  if (typeof key !== "string" || !/^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-\S+) \S+/.test(key.trim()))
    return bbError(400, "key: Invalid SSH key");
  if (repo.keys.some((k) => sameKey(k.key, key))) return bbError(400, "key: Someone has already added that SSH key.");
  const created: BitbucketDeployKeyState = {
    id: ctx.world.nextId++,
    key: key.trim(),
    label: typeof body["label"] === "string" ? body["label"] : "",
    created_on: new Date().toISOString(),
  };
  repo.keys.push(created);
  return json(200, deployKeyWire(ctx, repo, created));
});

/** `GET …/deploy-keys/{key_id}`. */
export const getDeployKey = withKey((ctx, repo, key) => json(200, deployKeyWire(ctx, repo, key)));

/** `DELETE …/deploy-keys/{key_id}`: 204, or 404 when already gone. */
export const deleteDeployKey = withKey((_ctx, repo, key) => {
  repo.keys = repo.keys.filter((k) => k !== key);
  return { status: 204 };
});

function withKey(handler: (ctx: RouteContext, repo: BitbucketRepoState, key: BitbucketDeployKeyState) => RouteResponse) {
  return withRepository((ctx, repo) => {
    const id = ctx.params["key_id"]!;
    const key = /^\d+$/.test(id) ? repo.keys.find((k) => k.id === Number(id)) : undefined;
    return key ? handler(ctx, repo, key) : bbError(404, `Deploy key ${id} not found`);
  });
}

/** Two keys are the same when type and base64 body match, whatever their comments. */
function sameKey(a: string, b: string): boolean {
  const body = (k: string): string => k.trim().split(/\s+/).slice(0, 2).join(" ");
  return body(a) === body(b);
}
