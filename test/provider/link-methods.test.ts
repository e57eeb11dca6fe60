/**
 * `diff` of SourceProviderLink: what replaces (identity changes only), what is in place, and that a
 * code upgrade or a drifted observation shows up as a change. One valid link, one field changed per test.
 */
import { describe, expect, it } from "vitest";
import type { LinkSpec } from "../../engine/model/spec.js";
import type { ObservedLink } from "../../engine/model/observed.js";
import { diffLink } from "../../provider/link-methods.js";
import type { SourceProviderLinkInputs, SourceProviderLinkOutputs } from "../../provider/properties.js";
import { teamSpec } from "../support/link-spec.js";

const world: Pick<SourceProviderLinkInputs, "buildService" | "providers"> = {
  buildService: {
    kind: "reference",
    apiUrl: "https://builds.example.com/api/build/v1",
    tokenEnv: "SOURCELINKS_BUILD_TOKEN",
    webhookUrlPatterns: ["https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/"],
    deployKeyTitlePatterns: ["Docker Hub Builder*"],
    oauthApps: { github: { clientId: "Iv1.5a9d0c3e7b214f68", name: "Docker Hub Builder" } },
  },
  providers: { github: { apiUrl: "https://api.github.com", tokenEnv: "GITHUB_TOKEN" } },
};

const teamLink: LinkSpec = teamSpec({ repositories: ["acme/api"] });

function observedAs(spec: LinkSpec, change: Partial<ObservedLink> = {}): ObservedLink {
  return {
    name: spec.name,
    provider: spec.provider,
    namespace: spec.namespace,
    linkId: "link-1",
    state: spec.state,
    account: spec.account,
    team: spec.team ?? null,
    serviceAccount: spec.serviceAccount,
    repositories: [],
    providerGrant: "active",
    pendingManualSteps: [],
    ...change,
  };
}

function inputs(spec: LinkSpec, change: Partial<SourceProviderLinkInputs> = {}): SourceProviderLinkInputs {
  return { ...spec, ...world, providerVersion: "0.1.0", ...change };
}

/** Outputs of a link whose last observation matched its declaration. */
function outputs(spec: LinkSpec, observed: Partial<ObservedLink> = {}): SourceProviderLinkOutputs {
  const o = observedAs(spec, observed);
  return {
    ...inputs(spec),
    observed: o,
    linkId: o.linkId,
    liveState: o.state,
    providerGrant: o.providerGrant,
    pendingManualSteps: [],
    webhooks: [],
    deployKeys: [],
  };
}

describe("diff of a SourceProviderLink", () => {
  it("reports no change for the same declaration and a matching observation", async () => {
    await expect(diffLink("acme/github/team:ci", outputs(teamLink), inputs(teamLink))).resolves.toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("relinks a team to another account in place", async () => {
    await expect(diffLink("acme/github/team:ci", outputs(teamLink), inputs(teamLink, { account: "other-builder" }))).resolves.toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("replaces a personal link whose account changes (another account is another link)", async () => {
    const personal: LinkSpec = { ...teamLink, name: "legacy", account: "legacy-builder" };
    delete personal.team;
    await expect(diffLink("acme/github/legacy-builder", outputs(personal), inputs(personal, { account: "new-builder" }))).resolves.toEqual({
      changes: true,
      replaces: ["account"],
      deleteBeforeReplace: true,
    });
  });

  it.each([
    ["namespace", { namespace: "other" }],
    ["provider", { provider: "bitbucket" }],
    ["team", { team: "release" }],
  ] as const)("replaces on a %s change, revoking the old link first", async (key, change) => {
    const diff = await diffLink("acme/github/team:ci", outputs(teamLink), inputs(teamLink, change));
    expect(diff).toEqual({ changes: true, replaces: [key], deleteBeforeReplace: true });
  });

  it.each([
    ["state", { state: "disabled" }],
    ["state", { state: "revoked" }],
    ["repositories", { repositories: ["acme/api", "acme/web"] }],
    ["onRevoke", { onRevoke: { webhooks: "keep", deployKeys: "delete" } }],
    ["providerVersion", { providerVersion: "0.2.0" }],
  ] satisfies [string, Partial<SourceProviderLinkInputs>][])("changes %s in place", async (_key, change) => {
    await expect(diffLink("acme/github/team:ci", outputs(teamLink), inputs(teamLink, change))).resolves.toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("reports a change when the last observation drifted from the declaration (disabled in the UI)", async () => {
    const diff = await diffLink("acme/github/team:ci", outputs(teamLink, { state: "disabled" }), inputs(teamLink));
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("reports a change for a broken link (its grant observed revoked), so pulumi up relinks it", async () => {
    const diff = await diffLink("acme/github/team:ci", outputs(teamLink, { state: "linked", providerGrant: "revoked" }), inputs(teamLink));
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("does not report a change for what only a person can do (a manual step is not a diff)", async () => {
    const revoked: LinkSpec = { ...teamLink, state: "revoked" };
    const manual = {
      id: "revoke-grant:github:acme-builder",
      summary: "revoke",
      uiPath: "GitHub → Settings",
      url: "https://github.com/settings/applications",
    };
    const diff = await diffLink(
      "acme/github/team:ci",
      outputs(revoked, { state: "revoked", linkId: "link-1", providerGrant: "unverifiable", pendingManualSteps: [manual] }),
      inputs(revoked),
    );
    expect(diff.changes).toBe(false);
  });
});
