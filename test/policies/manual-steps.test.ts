import { describe, expect, it } from "vitest";
import { happyStack, observedOf, org, violationsOf } from "./fixtures.js";

describe("pending-manual-steps", () => {
  it("passes the happy path", () => {
    expect(violationsOf(happyStack(), "pending-manual-steps")).toEqual([]);
  });

  it("reports a recorded manual step of a link as advisory", () => {
    const stack = happyStack();
    observedOf(stack, "legacy-builds").pendingManualSteps.push({
      id: "revoke-grant:github:legacy-builder",
      summary: "revoke the Docker Hub Builder authorization of legacy-builder",
      uiPath: "GitHub → Settings → Applications → Authorized OAuth Apps → Docker Hub Builder → Revoke",
      url: "https://github.com/settings/applications",
    });
    expect(violationsOf(stack, "pending-manual-steps")).toEqual([
      {
        ruleId: "pending-manual-steps",
        enforcement: "advisory",
        resource: "legacy-builds",
        subject: "legacy-builder",
        message:
          'link "legacy-builds" waits for a manual step, revoke the Docker Hub Builder authorization of legacy-builder: GitHub → Settings → Applications → Authorized OAuth Apps → Docker Hub Builder → Revoke (https://github.com/settings/applications); once done, record revoke-grant:github:legacy-builder under manualSteps',
        fix: "GitHub → Settings → Applications → Authorized OAuth Apps → Docker Hub Builder → Revoke (https://github.com/settings/applications); once done, record revoke-grant:github:legacy-builder under manualSteps",
        pointer: "/links/1",
      },
    ]);
  });

  it("reports a recorded manual step of an org", () => {
    const stack = happyStack();
    const observed = org(stack, "contractor-co").observed;
    if (observed === undefined || observed === "unknown") throw new Error("fixture");
    observed.pendingManualSteps.push({
      id: "org-access:contractor-co",
      summary: "deny Docker Hub Builder",
      uiPath: "GitHub → contractor-co → Settings → Third-party access",
      url: "https://github.com/organizations/contractor-co/settings/oauth_application_policy",
    });
    expect(violationsOf(stack, "pending-manual-steps").map((v) => [v.resource, v.subject])).toEqual([["contractor-co", "contractor-co"]]);
  });
});
