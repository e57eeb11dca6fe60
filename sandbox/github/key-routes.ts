/** Deploy keys: https://docs.github.com/en/rest/deploy-keys/deploy-keys. */
import type { Router } from "../router.js";
import type { GitHubDeployKeyState, GitHubRepoState } from "../world.js";
import { recordAuditEvent } from "./audit-log.js";
import { authed, repoFor } from "./auth.js";
import { nextId, timestamp } from "./hook-routes.js";
import { conditional, notFound, paginate, validationFailed, type ValidationIssue } from "./respond.js";
import { deployKeyWire } from "./wire.js";

/** Key types GitHub accepts (a key must begin with one of these). */
const KEY_PREFIXES = [
  "ssh-rsa",
  "ssh-dss",
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ecdsa-sha2-nistp256@openssh.com",
  "sk-ssh-ed25519@openssh.com",
];

/** Registers `/repos/{owner}/{repo}/keys[/{key_id}]`. */
export function registerKeyRoutes(router: Router): void {
  router.add(
    "GET",
    "/repos/:owner/:repo/keys",
    authed((ctx, caller) => {
      const found = repoFor(ctx, caller, "admin");
      if (!found.ok) return found.response;
      const repo = found.value;
      return conditional(
        ctx,
        paginate(
          ctx,
          repo.keys.map((k) => deployKeyWire(ctx.mountUrl, repo, k)),
        ),
      );
    }),
  );

  router.add(
    "POST",
    "/repos/:owner/:repo/keys",
    authed((ctx, caller) => {
      const found = repoFor(ctx, caller, "admin");
      if (!found.ok) return found.response;
      const repo = found.value;
      const body = typeof ctx.body === "object" && ctx.body !== null ? (ctx.body as Record<string, unknown>) : {};
      const issues: ValidationIssue[] = [];
      const key = typeof body.key === "string" ? body.key.trim() : undefined;
      if (key === undefined || key.length === 0) issues.push({ resource: "PublicKey", code: "missing_field", field: "key" });
      else if (!KEY_PREFIXES.some((p) => key.startsWith(`${p} `))) {
        issues.push({
          resource: "PublicKey",
          code: "custom",
          field: "key",
          message: "key is invalid. You must supply a key in OpenSSH public key format",
        });
      } else if (repo.keys.some((k) => sameKeyMaterial(k.key, key))) {
        issues.push({ resource: "PublicKey", code: "custom", field: "key", message: "key is already in use" });
      }
      if (body.title !== undefined && typeof body.title !== "string")
        issues.push({ resource: "PublicKey", code: "invalid", field: "title" });
      if (body.read_only !== undefined && typeof body.read_only !== "boolean")
        issues.push({ resource: "PublicKey", code: "invalid", field: "read_only" });
      if (issues.length > 0 || key === undefined)
        return validationFailed(issues, "https://docs.github.com/rest/deploy-keys/deploy-keys#create-a-deploy-key");
      const created: GitHubDeployKeyState = {
        id: nextId(ctx.world),
        key,
        title: typeof body.title === "string" ? body.title : "",
        read_only: body.read_only === true,
        verified: true,
        created_at: timestamp(),
        added_by: caller.login,
      };
      repo.keys.push(created);
      const fields = { action: "public_key.create", repo: `${repo.owner}/${repo.name}`, public_key_id: created.id };
      recordAuditEvent(ctx.world, repo.owner, caller.login, fields, ctx.clock.now());
      return {
        status: 201,
        body: deployKeyWire(ctx.mountUrl, repo, created),
        headers: { location: keyUrl(ctx.mountUrl, repo, created.id) },
      };
    }),
  );

  router.add(
    "GET",
    "/repos/:owner/:repo/keys/:key_id",
    authed((ctx, caller) => {
      const found = repoFor(ctx, caller, "admin");
      if (!found.ok) return found.response;
      const key = findKey(found.value.keys, ctx.params.key_id);
      if (!key) return notFound();
      return conditional(ctx, { status: 200, body: deployKeyWire(ctx.mountUrl, found.value, key) });
    }),
  );

  router.add(
    "DELETE",
    "/repos/:owner/:repo/keys/:key_id",
    authed((ctx, caller) => {
      const found = repoFor(ctx, caller, "admin");
      if (!found.ok) return found.response;
      const keys = found.value.keys;
      const key = findKey(keys, ctx.params.key_id);
      if (!key) return notFound();
      keys.splice(keys.indexOf(key), 1);
      const repo = found.value;
      const fields = { action: "public_key.delete", repo: `${repo.owner}/${repo.name}`, public_key_id: key.id };
      recordAuditEvent(ctx.world, repo.owner, caller.login, fields, ctx.clock.now());
      return { status: 204 };
    }),
  );
}

function keyUrl(api: string, repo: GitHubRepoState, id: number): string {
  return `${api}/repos/${repo.owner}/${repo.name}/keys/${id}`;
}

function findKey(keys: GitHubDeployKeyState[], rawId: string | undefined): GitHubDeployKeyState | undefined {
  if (rawId === undefined || !/^\d+$/.test(rawId)) return undefined;
  const id = Number(rawId);
  return keys.find((k) => k.id === id);
}

/** Two keys are the same when type and material match; the comment after them does not count. */
function sameKeyMaterial(a: string, b: string): boolean {
  const material = (k: string): string => k.trim().split(/\s+/).slice(0, 2).join(" ");
  return material(a) === material(b);
}
