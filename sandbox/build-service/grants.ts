/**
 * The OAuth grants a link holds: issued on the provider side of the sandbox world when a link is
 * created (as the real service does through the OAuth dance), looked up for `/credentials/`.
 */
import { randomBytes } from "node:crypto";
import type { BuildServiceLinkState, OAuthAppState, World } from "../world.js";

/** The build service's OAuth app registered with a provider, if any. */
export function oauthAppFor(world: World, provider: BuildServiceLinkState["provider"]): OAuthAppState | undefined {
  return world.oauthApps.find((app) => app.provider === provider);
}

/** Whether `account` is a provider account a link could authorize (a GitHub user, a Bitbucket user). */
export function accountExists(world: World, provider: BuildServiceLinkState["provider"], account: string): boolean {
  if (provider === "github") return world.github.accounts.some((a) => a.type === "User" && a.login === account);
  return world.bitbucket.users.some((u) => u.username === account);
}

/**
 * Issues a new OAuth access token for (account, app) and returns it: a `kind: "oauth"` GitHub token,
 * or a grant on the Bitbucket user. Each authorization yields a fresh token, as on the real providers.
 */
export function issueGrant(world: World, provider: BuildServiceLinkState["provider"], account: string, app: OAuthAppState): string {
  const token = `sbx-${provider}-oauth-${randomBytes(16).toString("hex")}`;
  if (provider === "github") {
    world.github.tokens.push({ token, login: account, kind: "oauth", clientId: app.clientId, revoked: false });
  } else {
    const user = world.bitbucket.users.find((u) => u.username === account);
    if (!user) throw new Error(`sandbox: no Bitbucket user ${account} to grant`);
    user.grants.push({ consumerKey: app.clientId, revoked: false, accessToken: token });
  }
  return token;
}
