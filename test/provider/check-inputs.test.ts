/**
 * `check()` rules beyond the YAML schema: the world settings a single resource needs, and property
 * paths of failures inside an org access entry's links. One valid input, one field changed per test.
 */
import { describe, expect, it } from "vitest";
import type { LinkSpec } from "../../engine/model/spec.js";
import { checkLinkInputs, checkOrgAccessInputs } from "../../provider/check-inputs.js";
import type { OrgThirdPartyAccessInputs, SourceProviderLinkInputs } from "../../provider/properties.js";

const link: LinkSpec = {
  name: "mobile-builds",
  namespace: "acme",
  provider: "bitbucket",
  account: "acme-bb-builder",
  serviceAccount: true,
  state: "linked",
  repositories: ["acme-team/mobile"],
  onRevoke: { webhooks: "delete", deployKeys: "delete" },
};

const valid: SourceProviderLinkInputs = {
  ...link,
  buildService: {
    kind: "reference",
    apiUrl: "https://builds.example.com/api/build/v1",
    tokenEnv: "SOURCELINKS_BUILD_TOKEN",
    webhookUrlPatterns: ["https://registry.hub.docker.com/hooks/*"],
    deployKeyTitlePatterns: ["Docker Hub Builder*"],
    oauthApps: {
      bitbucket: { clientId: "SbxKey7Q2w", name: "Docker Hub Builder" },
      github: { clientId: "Iv1.5a9d0c3e7b214f68", name: "Docker Hub Builder" },
    },
  },
  providers: {
    bitbucket: { apiUrl: "https://api.bitbucket.org/2.0", usernameEnv: "BITBUCKET_USERNAME", tokenEnv: "BITBUCKET_APP_PASSWORD" },
    github: { apiUrl: "https://api.github.com", tokenEnv: "GITHUB_TOKEN" },
  },
  providerVersion: "0.1.0",
};

describe("check of SourceProviderLink inputs", () => {
  it("accepts the declared link with its world", () => {
    expect(checkLinkInputs(valid)).toEqual([]);
  });

  it("requires the build service's OAuth app on the link's provider", () => {
    const inputs = { ...valid, buildService: { ...valid.buildService, oauthApps: { github: valid.buildService.oauthApps.github! } } };
    expect(checkLinkInputs(inputs)).toEqual([
      { property: "buildService.oauthApps.bitbucket", reason: "is required: the build service's OAuth app on bitbucket" },
    ]);
  });

  it("requires the settings of the link's provider", () => {
    const inputs = { ...valid, providers: { github: valid.providers.github! } };
    expect(checkLinkInputs(inputs)).toEqual([
      { property: "providers.bitbucket", reason: "is required: the bitbucket API URL and the env vars of its credentials" },
    ]);
  });

  it("refuses a token where an env var name belongs", () => {
    const inputs = { ...valid, buildService: { ...valid.buildService, tokenEnv: "not-a-variable-name" } };
    expect(checkLinkInputs(inputs)).toEqual([
      { property: "buildService.tokenEnv", reason: "must name an environment variable (the token itself never goes in inputs)" },
    ]);
  });

  it("refuses a webhook URL pattern that could match another host's webhooks, as the YAML loader does", () => {
    const inputs = {
      ...valid,
      buildService: { ...valid.buildService, webhookUrlPatterns: ["https://registry.hub.docker.com/hooks/*", "https://*/hooks/*"] },
    };
    expect(checkLinkInputs(inputs)).toEqual([
      {
        property: "buildService.webhookUrlPatterns[1]",
        reason:
          "has * in its host, so it could match webhooks on any host, not only the build service's: list each host of the build service as its own pattern, and write the build service's webhook URL with its scheme and host spelled out and * only in the path, e.g. https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/",
      },
    ]);
  });

  it("refuses a deploy key title pattern that matches every key", () => {
    const inputs = { ...valid, buildService: { ...valid.buildService, deployKeyTitlePatterns: ["*"] } };
    expect(checkLinkInputs(inputs)).toEqual([
      {
        property: "buildService.deployKeyTitlePatterns[0]",
        reason:
          'would match every deploy key (it is nothing but wildcards): start the pattern with the build service\'s own key title, e.g. "Docker Hub Builder*"',
      },
    ]);
  });

  it("requires the package version", () => {
    expect(checkLinkInputs({ ...valid, providerVersion: "" })).toEqual([
      { property: "providerVersion", reason: "must be the sourcelinks package version" },
    ]);
  });
});

describe("check of OrgThirdPartyAccess inputs", () => {
  const org: OrgThirdPartyAccessInputs = {
    org: "acme",
    provider: "github",
    app: "github",
    access: "granted",
    buildService: valid.buildService,
    providers: valid.providers,
    links: [link],
    providerVersion: "0.1.0",
  };

  it("accepts a declared org access with the links it may act through", () => {
    expect(checkOrgAccessInputs(org)).toEqual([]);
  });

  it("names a failure inside one of its links by its path", () => {
    const failures = checkOrgAccessInputs({ ...org, links: [link, { ...link, repositories: ["not a repository"] }] });
    expect(failures.map((f) => f.property)).toEqual(["links[1].repositories[0]"]);
  });
});
