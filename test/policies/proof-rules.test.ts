import { describe, expect, it } from "vitest";
import { happyStack, messagesOf, observedOf, org, violationsOf } from "./fixtures.js";

const ACME_UI = "GitHub → acme → Settings → Third-party access (https://github.com/organizations/acme/settings/oauth_application_policy)";
const GRANT_UI = "GitHub → Settings → Applications → Authorized OAuth Apps (https://github.com/settings/applications)";

describe("fixes name only what will happen", () => {
  it("org-access-matches-declared on docker-hub asks an org owner, never apply (apply cannot set it there)", () => {
    const stack = happyStack();
    stack.capabilities = { buildServiceKind: "docker-hub", githubClientSecret: false };
    const observed = org(stack, "acme").observed;
    if (observed === undefined || observed === "unknown") throw new Error("fixture");
    observed.access = "denied";
    observed.observedVia = "probe";
    expect(violationsOf(stack, "org-access-matches-declared").map((v) => v.fix)).toEqual([`have an org owner grant it at ${ACME_UI}`]);
  });

  it("revocation-is-two-sided does not ask to set clientSecretEnv when it is set", () => {
    const stack = happyStack();
    stack.capabilities = { buildServiceKind: "reference", githubClientSecret: true };
    observedOf(stack, "legacy-builds").providerGrant = "active";
    expect(violationsOf(stack, "revocation-is-two-sided").map((v) => v.fix)).toEqual([
      `run sourcelinks apply (or pulumi up) to revoke it by API, or have "legacy-builder" revoke it at ${GRANT_UI}, then record revoke-grant:github:legacy-builder under the link's manualSteps`,
    ]);
  });

  it("revocation-is-two-sided on docker-hub names the manual step only (only Docker holds the app's secret)", () => {
    const stack = happyStack();
    stack.capabilities = { buildServiceKind: "docker-hub", githubClientSecret: true };
    observedOf(stack, "legacy-builds").providerGrant = "unverifiable";
    expect(violationsOf(stack, "revocation-is-two-sided").map((v) => v.fix)).toEqual([
      `have "legacy-builder" revoke it at ${GRANT_UI}, then record revoke-grant:github:legacy-builder under the link's manualSteps`,
    ]);
  });

  it("an org whose access cannot be observed stops warning once its owner's step is recorded done", () => {
    const stack = happyStack();
    const observed = org(stack, "acme").observed;
    if (observed === undefined || observed === "unknown") throw new Error("fixture");
    observed.access = "unknown";
    observed.observedVia = "none";
    observed.manualStepsDoneByHand = [
      { step: { id: "org-access:github:acme", summary: "s", uiPath: "u", url: "https://github.com/" }, done: "2026-11-20", by: "jdoe" },
    ];
    expect(messagesOf(stack, "org-access-matches-declared")).toEqual([]);
  });
});

describe("declared-repository-exists", () => {
  it("reports a declared repository that answered 404, at the repository, until it is recorded gone", () => {
    const stack = happyStack();
    const repo = observedOf(stack, "legacy-builds").repositories[1]!;
    repo.exists = false;
    repo.webhooks = [];
    // One only the build service's record lists is not a declaration: nothing to fix in the YAML.
    observedOf(stack, "legacy-builds").repositories.push({
      repository: "acme/elsewhere",
      exists: false,
      webhooks: [],
      deployKeys: [],
      foreignWebhookCount: 0,
      source: "record",
    });
    expect(violationsOf(stack, "declared-repository-exists").map((v) => [v.enforcement, v.subject, v.pointer])).toEqual([
      ["mandatory", "acme/legacy-web", "/links/1/repositories/1"],
    ]);
    observedOf(stack, "legacy-builds").manualStepsDoneByHand = [
      {
        step: { id: "repository-gone:github:acme:legacy-web", summary: "s", uiPath: "u", url: "https://github.com/" },
        done: "2026-11-20",
        by: "jdoe",
      },
    ];
    expect(violationsOf(stack, "declared-repository-exists")).toEqual([]);
  });
});

describe("recorded-steps-match-observed", () => {
  it("reports a step recorded done whose effect the run observed otherwise, as mandatory, at the entry's manualSteps", () => {
    const stack = happyStack();
    observedOf(stack, "legacy-builds").manualStepsObservedOtherwise = [
      {
        step: { id: "revoke-grant:github:legacy-builder", summary: "", uiPath: "", url: "" },
        done: "2026-11-20",
        by: "jdoe",
        observed: "the github grant of legacy-builder still answers (active)",
      },
    ];
    expect(violationsOf(stack, "recorded-steps-match-observed").map((v) => [v.enforcement, v.pointer, v.message])).toEqual([
      [
        "mandatory",
        "/links/1/manualSteps",
        'link "legacy-builds" records manual step revoke-grant:github:legacy-builder as done 2026-11-20 by jdoe, but the github grant of legacy-builder still answers (active): recorded done, but observed otherwise: do the step again, or remove its record from manualSteps if it was recorded by mistake',
      ],
    ]);
  });
});
