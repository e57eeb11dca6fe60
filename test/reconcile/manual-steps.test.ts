import { describe, expect, it } from "vitest";
import { dockerHubLinkStep, dockerHubUnlinkStep, revokeGrantStep } from "../../engine/reconcile/manual-steps.js";

describe("manual steps", () => {
  it("revokes a GitHub authorization where GitHub lists authorized OAuth apps", () => {
    expect(revokeGrantStep("github", "legacy-builder", "Docker Hub Builder")).toEqual({
      id: "revoke-grant:github:legacy-builder",
      summary:
        'Signed in to GitHub as legacy-builder, revoke the authorization of the OAuth app "Docker Hub Builder" (or confirm it is no longer listed).',
      uiPath: "GitHub → Settings → Applications → Authorized OAuth Apps → Docker Hub Builder → Revoke",
      url: "https://github.com/settings/applications",
    });
  });

  it("revokes a Bitbucket authorization under App authorizations", () => {
    const step = revokeGrantStep("bitbucket", "acme-bb-builder", "Docker Hub Builder");
    expect([step.id, step.uiPath, step.url]).toEqual([
      "revoke-grant:bitbucket:acme-bb-builder",
      "Bitbucket → Personal settings → App authorizations → Docker Hub Builder → Revoke",
      "https://bitbucket.org/account/settings/app-authorizations/",
    ]);
  });

  it("links and unlinks on Docker Hub under Linked accounts", () => {
    expect(dockerHubLinkStep("acme", "github", "acme-builder").uiPath).toBe(
      "Docker Hub → Settings → Repository settings → Linked accounts → GitHub → Link provider",
    );
    expect(dockerHubUnlinkStep("acme", "bitbucket", "acme-bb-builder")).toMatchObject({
      id: "docker-hub-unlink:acme:bitbucket:acme-bb-builder",
      uiPath: "Docker Hub → Settings → Repository settings → Linked accounts → Bitbucket → Unlink provider",
      url: "https://hub.docker.com/repository-settings/linked-accounts",
    });
  });
});
