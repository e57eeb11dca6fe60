/**
 * `POST /_sandbox/act`: what people do in web UIs that no API does, applied to the world:
 * an org owner granting/denying/requesting an OAuth app (Settings → Third-party access), a user
 * revoking an app's authorization on GitHub or Bitbucket, a namespace owner unlinking, disabling
 * or enabling a link on the build service, a registry client pushing tags to Docker Hub.
 */
import { pushTags } from "../docker-hub/registry.js";
import type { World } from "../world.js";
import { SourcelinksError } from "../../engine/model/errors.js";

/** An action, as posted. */
export type ActRequest =
  | { as: "org-owner"; org: string; app: string; action: "deny" | "grant" | "request"; actor?: string }
  | { as: "user"; provider?: "github"; login: string; action: "revoke-authorization"; app: string }
  | { as: "user"; provider: "bitbucket"; username: string; action: "revoke-authorization"; app: string }
  | { as: "namespace-owner"; namespace: string; linkId: string; action: "unlink" | "disable" | "enable" }
  | { as: "docker-hub"; action: "push"; image: string; tags: string[] };

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
      org.auditLog?.push({
        action: AUDIT_ACTION[req.action],
        created_at: now.toISOString(),
        actor: req.actor ?? org.owners[0] ?? "ghost",
        oauth_application_client_id: req.app,
      });
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
    default:
      throw new ActError(400, `act: "as" must be org-owner, user, namespace-owner or docker-hub`);
  }
}
