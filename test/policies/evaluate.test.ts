import { describe, expect, it } from "vitest";
import { evaluateAll, factsFromConfig, ruleList, rules } from "../../policies/rules/index.js";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import { happyStack, link } from "./fixtures.js";
import { teamSpec } from "../support/link-spec.js";

describe("evaluateAll", () => {
  it("finds nothing in the happy-path stack", () => {
    expect(evaluateAll(happyStack())).toEqual([]);
  });

  it("applies an enforcement override, and disabled skips the rule", () => {
    const stack = happyStack();
    link(stack, "acme-builds").desired.serviceAccount = false;
    expect(evaluateAll(stack).map((v) => [v.ruleId, v.enforcement])).toEqual([["team-link-uses-service-account", "mandatory"]]);
    expect(evaluateAll(stack, { enforcement: { "team-link-uses-service-account": "advisory" } }).map((v) => v.enforcement)).toEqual([
      "advisory",
    ]);
    expect(evaluateAll(stack, { enforcement: { "team-link-uses-service-account": "disabled" } })).toEqual([]);
  });

  it("has a registry entry per rule id with a one-paragraph description", () => {
    expect(Object.keys(rules)).toEqual(ruleList.map((r) => r.id));
    expect(ruleList.map((r) => r.id)).toEqual(
      expect.arrayContaining([
        "revoked-link-has-no-webhooks",
        "disabled-link-webhooks-inactive",
        "team-link-uses-service-account",
        "revocation-is-two-sided",
        "org-access-matches-declared",
        "linked-repos-have-org-access",
        "webhook-hygiene",
      ]),
    );
    for (const rule of ruleList) expect(rule.description).not.toContain("\n");
  });

  it("checks a config alone, with pointers for SARIF", () => {
    const config: SourcelinksConfig = {
      apiVersion: "sourcelinks/v1",
      buildService: {
        kind: "reference",
        apiUrl: "http://127.0.0.1:1/build/api/build/v1",
        tokenEnv: "SOURCELINKS_BUILD_TOKEN",
        webhookUrlPatterns: ["https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/"],
        deployKeyTitlePatterns: ["Docker Hub Builder*"],
        oauthApps: { github: { clientId: "Iv1.5a9d0c3e7b214f68", name: "Docker Hub Builder" } },
      },
      providers: {},
      links: [teamSpec({ account: "jdoe", serviceAccount: false, repositories: ["acme/api", "contractor-co/app"] })],
      orgAccess: [{ org: "contractor-co", provider: "github", app: "github", access: "denied" }],
    };
    expect(evaluateAll(factsFromConfig(config))).toEqual([
      {
        ruleId: "team-link-uses-service-account",
        enforcement: "mandatory",
        resource: "acme-builds",
        subject: "jdoe",
        message:
          'link "acme-builds" links team "ci" through account "jdoe", which is not declared a service account: link the team through a service account and set serviceAccount: true (a person\'s account leaves with the person)',
        fix: "link the team through a service account and set serviceAccount: true (a person's account leaves with the person)",
        pointer: "/links/0/serviceAccount",
      },
      {
        ruleId: "linked-repos-have-org-access",
        enforcement: "mandatory",
        resource: "acme-builds",
        subject: "contractor-co/app",
        message:
          'link "acme-builds" builds from contractor-co/app, but org "contractor-co" denies the build service\'s github app (declared access: denied): remove contractor-co/app from the link, or set access: granted for contractor-co and have an org owner approve the app at GitHub → contractor-co → Settings → Third-party access (https://github.com/organizations/contractor-co/settings/oauth_application_policy)',
        fix: "remove contractor-co/app from the link, or set access: granted for contractor-co and have an org owner approve the app at GitHub → contractor-co → Settings → Third-party access (https://github.com/organizations/contractor-co/settings/oauth_application_policy)",
        pointer: "/links/0/repositories/1",
      },
    ]);
  });

  it("reports a finding that waits for unknown values as advisory, whatever the rule's level", () => {
    const stack = happyStack();
    link(stack, "legacy-builds").observed = "unknown";
    const v = evaluateAll(stack).filter((x) => x.ruleId === "revoked-link-has-no-webhooks");
    expect(v.map((x) => [x.enforcement, x.message])).toEqual([
      [
        "advisory",
        'link "legacy-builds" is revoked; whether the build service\'s webhooks and deploy keys are gone from acme/legacy-api, acme/legacy-web cannot be checked until apply: run pulumi up, then sourcelinks check --live (or pulumi preview) to verify',
      ],
    ]);
  });
});
