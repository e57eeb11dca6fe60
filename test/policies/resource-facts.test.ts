import { describe, expect, it } from "vitest";
import { LINK_TYPE, ORG_TYPE, UNKNOWN_STRING, factsFromResource, githubWebhookFromResource } from "../../policies/resource-facts.js";
import { teamSpec } from "../support/link-spec.js";

/** The link's declared spec: one repository, deploy keys kept on revoke. */
const spec = teamSpec({ repositories: ["acme/api"], onRevoke: { webhooks: "delete", deployKeys: "keep" } });

const inputs = {
  ...spec,
  buildService: {
    kind: "reference",
    apiUrl: "http://127.0.0.1:1",
    webhookUrlPatterns: ["https://hooks.example/*"],
    deployKeyTitlePatterns: [],
    oauthApps: {},
  },
  providerVersion: "0.1.0",
};

describe("factsFromResource", () => {
  it("reads a link's inputs as the desired spec, without observed state", () => {
    expect(factsFromResource({ type: LINK_TYPE, name: "acme-builds", props: inputs })).toEqual({
      kind: "link",
      facts: {
        name: "acme-builds",
        desired: spec,
        observed: undefined,
      },
      webhookUrlPatterns: ["https://hooks.example/*"],
    });
  });

  it("maps an unknown observed (or anything unknown inside it) to 'unknown'", () => {
    const deep = { state: "linked", providerGrant: "active", pendingManualSteps: [], repositories: [UNKNOWN_STRING] };
    for (const observed of [UNKNOWN_STRING, deep]) {
      const rf = factsFromResource({ type: LINK_TYPE, name: "acme-builds", props: { ...inputs, observed } });
      expect(rf?.kind === "link" && rf.facts.observed).toBe("unknown");
    }
  });

  it("names unknown desired inputs instead of guessing", () => {
    expect(factsFromResource({ type: LINK_TYPE, name: "x", props: { ...inputs, account: UNKNOWN_STRING } })).toEqual({
      kind: "unknown-inputs",
      resource: "acme-builds",
      properties: ["account"],
    });
  });

  it("reports properties that break the contract", () => {
    expect(
      factsFromResource({ type: ORG_TYPE, name: "acme", props: { org: "acme", provider: "github", app: "github", access: "maybe" } }),
    ).toEqual({
      kind: "invalid",
      resource: "acme",
      problems: ["access must be granted or denied"],
    });
  });

  it("ignores other resource types", () => {
    expect(factsFromResource({ type: "aws:s3/bucket:Bucket", name: "b", props: {} })).toBeUndefined();
  });
});

describe("githubWebhookFromResource", () => {
  it("qualifies a bare repository name with the github provider's owner", () => {
    expect(
      githubWebhookFromResource({
        type: "github:index/repositoryWebhook:RepositoryWebhook",
        name: "h",
        props: { repository: "api", configuration: { url: "https://x.example/", secret: "", insecureSsl: true } },
        provider: { props: { owner: "acme" } },
      }),
    ).toEqual({
      resourceName: "h",
      type: "github:index/repositoryWebhook:RepositoryWebhook",
      repository: "acme/api",
      url: "https://x.example/",
      hasSecret: false,
      insecureSsl: true,
    });
  });

  it("keeps an unknown URL as undefined and takes an org webhook's org from the provider", () => {
    expect(
      githubWebhookFromResource({
        type: "github:index/organizationWebhook:OrganizationWebhook",
        name: "o",
        props: { configuration: { url: UNKNOWN_STRING } },
        provider: { props: { owner: "acme" } },
      }),
    ).toEqual({
      resourceName: "o",
      type: "github:index/organizationWebhook:OrganizationWebhook",
      org: "acme",
      url: undefined,
      hasSecret: false,
    });
  });
});
