/**
 * How the owner client lists a GitHub user's repositories: GitHub shows another user's public
 * repositories only, so through a GitHub App installed on the user it lists the installation's
 * repositories (private ones included), and through a token that is not the user's it says the
 * listing is public-only.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OwnerPages, OwnerRepository } from "../../engine/clients/types.js";
import { createGitHubClients } from "../../engine/clients/github/index.js";
import { Secret } from "../../engine/model/secret.js";
import { startAppWorld, type AppWorld } from "../support/github-app-harness.js";
import { fakeToken } from "../support/github-harness.js";

let world: AppWorld;
const adminToken = fakeToken("octo-admin");
const otherToken = fakeToken("someone-else");

beforeAll(async () => {
  world = await startAppWorld();
  const w = world.sandbox.world();
  const full = { metadata: "read", repository_hooks: "write", administration: "write" } as const;
  w.github.accounts.push({ id: 9001, login: "someone-else", type: "User", name: null });
  w.github.apps![0]!.installations.push({ id: 7004, owner: "octo-admin", permissions: { ...full } });
  w.github.repos.push(
    { id: 9101, owner: "octo-admin", name: "dotfiles", private: false, hooks: [], keys: [] },
    { id: 9102, owner: "octo-admin", name: "private-tool", private: true, hooks: [], keys: [] },
  );
  w.github.tokens.push(
    { token: adminToken, login: "octo-admin", kind: "pat", clientId: null, revoked: false },
    { token: otherToken, login: "someone-else", kind: "pat", clientId: null, revoked: false },
  );
});

afterAll(async () => {
  await world?.close();
});

async function listed(pages: OwnerPages | null): Promise<{ publicOnly: boolean; repositories: string[] }> {
  if (pages === null) throw new Error("owner not found");
  const repositories: OwnerRepository[] = [];
  for await (const page of pages.pages) repositories.push(...page);
  return { publicOnly: pages.publicOnly === true, repositories: repositories.map((r) => `${r.repository}#${r.id}`) };
}

describe("a GitHub user's repositories", () => {
  it("through an App installed on the user: the installation's repositories, private ones included", async () => {
    expect(await listed(await world.clients().owner.repositoryPages("octo-admin"))).toEqual({
      publicOnly: false,
      repositories: ["octo-admin/dotfiles#9101", "octo-admin/private-tool#9102"],
    });
  });

  it("through the user's own token: private ones included; through another's: public ones only, and it says so", async () => {
    const withToken = (token: string) => createGitHubClients({ apiUrl: world.apiUrl, token: new Secret(token), retryAfterBaseMs: 1 }).owner;
    expect(await listed(await withToken(adminToken).repositoryPages("octo-admin"))).toEqual({
      publicOnly: false,
      repositories: ["octo-admin/dotfiles#9101", "octo-admin/private-tool#9102"],
    });
    expect(await listed(await withToken(otherToken).repositoryPages("octo-admin"))).toEqual({
      publicOnly: true,
      repositories: ["octo-admin/dotfiles#9101"],
    });
  });
});
