/**
 * `POST /_sandbox/act`: what people do in web UIs that no API does, applied to the world:
 * an org owner granting/denying/requesting an OAuth app (Settings → Third-party access), a user
 * revoking an app's authorization on GitHub or Bitbucket, a namespace owner unlinking, disabling
 * or enabling a link on the build service, a registry client pushing tags to Docker Hub, and a GitHub
 * repository created, deleted or transferred (the API routes for those are not served; the audit log
 * records them like any write).
 */
import { pushTags } from "../docker-hub/registry.js";
import { recordAuditEvent } from "../github/audit-log.js";
import { findOrg, findRepo, sameLogin } from "../github/auth.js";
import type { World } from "../world.js";
import { SourcelinksError } from "../../engine/model/errors.js";

/** An action, as posted. */
export type ActRequest =
  | { as: "org-owner"; org: string; app: string; action: "deny" | "grant" | "request"; actor?: string }
  | { as: "user"; provider?: "github"; login: string; action: "revoke-authorization"; app: string }
  | { as: "user"; provider: "bitbucket"; username: string; action: "revoke-authorization"; app: string }
  | { as: "namespace-owner"; namespace: string; linkId: string; action: "unlink" | "disable" | "enable" }
  | { as: "docker-hub"; action: "push"; image: string; tags: string[] }
  | { as: "repo-admin"; repo: string; action: "create" | "delete" | "transfer"; to?: string; actor?: string };

/** What an action changed. */
export interface ActResult {
  /** A one-line description of the change. */
  done: string;
  /** How many things changed (tokens revoked, entries updated). */
  changed: number;
}

/** An action that cannot be applied: `status` 400 (malformed), 404 (unknown target) or 409 (not possible now). */
export class ActError extends SourcelinksError {
  override readonly name = "ActError";
  readonly kind = "input";
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

const ORG_ACCESS = { deny: "denied", grant: "granted", request: "requested" } as const;
// GitHub Enterprise Cloud audit log action names for OAuth app access.
const AUDIT_ACTION = {
  deny: "org.oauth_app_access_denied",
  grant: "org.oauth_app_access_approved",
  request: "org.oauth_app_access_requested",
} as const;

/** Applies an action to the world (mutating it). */
export function act(world: World, body: unknown, now: Date = new Date()): ActResult {
  const req = parseAct(body);
  switch (req.as) {
    case "org-owner": {
      const org = world.github.orgs.find((o) => o.login === req.org);
      if (!org) throw new ActError(404, `act: no GitHub org "${req.org}"`);
      if (!world.oauthApps.some((a) => a.provider === "github" && a.clientId === req.app))
        throw new ActError(404, `act: no GitHub OAuth app "${req.app}"`);
      org.oauthAppAccess[req.app] = ORG_ACCESS[req.action];
      const fields = { action: AUDIT_ACTION[req.action], oauth_application_client_id: req.app };
      recordAuditEvent(world, org.login, req.actor ?? org.owners[0] ?? "ghost", fields, now.getTime());
      return { done: `${req.org}: app ${req.app} ${ORG_ACCESS[req.action]}`, changed: 1 };
    }
    case "user": {
      if (req.provider === "bitbucket") {
        const user = world.bitbucket.users.find((u) => u.username === req.username);
        if (!user) throw new ActError(404, `act: no Bitbucket user "${req.username}"`);
        let changed = 0;
        for (const g of user.grants) {
          if (g.consumerKey === req.app && !g.revoked) {
            g.revoked = true;
            changed++;
          }
        }
        return { done: `${req.username} revoked Bitbucket consumer ${req.app}`, changed };
      }
      if (!world.github.accounts.some((a) => a.login === req.login && a.type === "User"))
        throw new ActError(404, `act: no GitHub user "${req.login}"`);
      let changed = 0;
      for (const t of world.github.tokens) {
        if (t.kind === "oauth" && t.login === req.login && t.clientId === req.app && !t.revoked) {
          t.revoked = true;
          changed++;
        }
      }
      return { done: `${req.login} revoked GitHub app ${req.app}`, changed };
    }
    case "namespace-owner": {
      const link = world.buildService.links.find((l) => l.namespace === req.namespace && l.id === req.linkId);
      if (!link) throw new ActError(404, `act: no link "${req.linkId}" in namespace "${req.namespace}"`);
      const state = req.action === "unlink" ? "unlinked" : req.action === "disable" ? "disabled" : "enabled";
      if (link.state === "unlinked" && state !== "unlinked")
        throw new ActError(409, `act: link "${req.linkId}" is unlinked; link the account again instead`);
      const changed = link.state === state ? 0 : 1;
      link.state = state;
      link.updated_at = now.toISOString();
      return { done: `link ${req.linkId} ${state}`, changed };
    }
    case "docker-hub":
      pushTags(world, req.image, req.tags, now.toISOString());
      return { done: `pushed ${req.tags.map((t) => `${req.image}:${t}`).join(", ")}`, changed: req.tags.length };
    case "repo-admin":
      return actOnRepository(world, req, now);
  }
}

/** Creates, deletes or transfers a GitHub repository, recording `repo.create|destroy|transfer` in the owner's audit log. */
function actOnRepository(world: World, req: Extract<ActRequest, { as: "repo-admin" }>, now: Date): ActResult {
  const [owner = "", name = ""] = req.repo.split("/");
  if (!/^[^/]+\/[A-Za-z0-9._-]{1,100}$/.test(req.repo)) throw new ActError(400, `act: "repo" must be owner/name`);
  const account = world.github.accounts.find((a) => sameLogin(a.login, owner));
  if (!account) throw new ActError(404, `act: no GitHub account "${owner}"`);
  const actor = req.actor ?? findOrg(world, account.login)?.owners[0] ?? account.login;
  const existing = findRepo(world, owner, name);
  const at = now.getTime();
  switch (req.action) {
    case "create": {
      if (existing) throw new ActError(409, `act: ${req.repo} exists`);
      world.github.repos.push({ id: world.nextId++, owner: account.login, name, private: true, hooks: [], keys: [] });
      recordAuditEvent(world, account.login, actor, { action: "repo.create", repo: `${account.login}/${name}` }, at);
      return { done: `${account.login}/${name} created`, changed: 1 };
    }
    case "delete": {
      if (!existing) throw new ActError(404, `act: no repository ${req.repo}`);
      world.github.repos.splice(world.github.repos.indexOf(existing), 1);
      recordAuditEvent(world, existing.owner, actor, { action: "repo.destroy", repo: `${existing.owner}/${existing.name}` }, at);
      return { done: `${existing.owner}/${existing.name} deleted`, changed: 1 };
    }
    case "transfer": {
      if (!existing) throw new ActError(404, `act: no repository ${req.repo}`);
      const to = world.github.accounts.find((a) => sameLogin(a.login, req.to ?? ""));
      if (!to) throw new ActError(404, `act: no GitHub account "${req.to ?? ""}" to transfer to`);
      if (findRepo(world, to.login, existing.name)) throw new ActError(409, `act: ${to.login}/${existing.name} exists`);
      const oldName = `${existing.owner}/${existing.name}`;
      existing.formerNames = [...(existing.formerNames ?? []), oldName];
      existing.owner = to.login;
      const fields = { action: "repo.transfer", repo: `${to.login}/${existing.name}`, old_name: oldName };
      // Both orgs see the transfer: the one it left and the one it joined.
      recordAuditEvent(world, owner, actor, fields, at);
      if (!sameLogin(owner, to.login)) recordAuditEvent(world, to.login, actor, fields, at);
      return { done: `${oldName} transferred to ${to.login}`, changed: 1 };
    }
  }
}

function parseAct(body: unknown): ActRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new ActError(400, "act: body must be a JSON object");
  const b = body as Record<string, unknown>;
  const str = (key: string): string => {
    const v = b[key];
    if (typeof v !== "string" || v.length === 0) throw new ActError(400, `act: "${key}" must be a non-empty string`);
    return v;
  };
  const oneOf = <T extends string>(key: string, values: readonly T[]): T => {
    const v = str(key);
    if (!(values as readonly string[]).includes(v)) throw new ActError(400, `act: "${key}" must be one of ${values.join(", ")}`);
    return v as T;
  };
  switch (b["as"]) {
    case "org-owner":
      return {
        as: "org-owner",
        org: str("org"),
        app: str("app"),
        action: oneOf("action", ["deny", "grant", "request"]),
        ...(b["actor"] !== undefined ? { actor: str("actor") } : {}),
      };
    case "user": {
      const provider = b["provider"] ?? "github";
      oneOf("action", ["revoke-authorization"]);
      if (provider === "bitbucket")
        return { as: "user", provider, username: str("username"), action: "revoke-authorization", app: str("app") };
      if (provider === "github") return { as: "user", provider, login: str("login"), action: "revoke-authorization", app: str("app") };
      throw new ActError(400, `act: "provider" must be github or bitbucket`);
    }
    case "namespace-owner":
      return {
        as: "namespace-owner",
        namespace: str("namespace"),
        linkId: str("linkId"),
        action: oneOf("action", ["unlink", "disable", "enable"]),
      };
    case "docker-hub": {
      oneOf("action", ["push"]);
      const image = str("image");
      if (!/^[a-z0-9][a-z0-9_-]{1,254}\/[a-z0-9][a-z0-9._-]*$/.test(image)) throw new ActError(400, `act: "image" must be namespace/name`);
      const tags = b["tags"];
      if (
        !Array.isArray(tags) ||
        tags.length === 0 ||
        !tags.every((t) => typeof t === "string" && /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(t))
      )
        throw new ActError(400, `act: "tags" must be a non-empty list of Docker tags`);
      return { as: "docker-hub", action: "push", image, tags: tags as string[] };
    }
    case "repo-admin":
      return {
        as: "repo-admin",
        repo: str("repo"),
        action: oneOf("action", ["create", "delete", "transfer"]),
        ...(b["to"] !== undefined ? { to: str("to") } : {}),
        ...(b["actor"] !== undefined ? { actor: str("actor") } : {}),
      };
    default:
      throw new ActError(400, `act: "as" must be org-owner, user, namespace-owner, docker-hub or repo-admin`);
  }
}
