import { describe, expect, it } from "vitest";
import { happyStack, link, messagesOf, observedOf, violationsOf } from "./fixtures.js";

describe("team-link-uses-service-account", () => {
  it("passes the happy path", () => {
    expect(violationsOf(happyStack(), "team-link-uses-service-account")).toEqual([]);
  });

  it("reports a team link declared through a person's account, from the config alone", () => {
    const stack = happyStack();
    link(stack, "acme-builds").desired.serviceAccount = false;
    link(stack, "acme-builds").observed = undefined;
    expect(violationsOf(stack, "team-link-uses-service-account")).toEqual([
      {
        ruleId: "team-link-uses-service-account",
        enforcement: "mandatory",
        resource: "acme-builds",
        subject: "acme-builder",
        message:
          'link "acme-builds" links team "ci" through account "acme-builder", which is not declared a service account: link the team through a service account and set serviceAccount: true (a person\'s account leaves with the person)',
        fix: "link the team through a service account and set serviceAccount: true (a person's account leaves with the person)",
        pointer: "/links/0/serviceAccount",
      },
    ]);
  });

  it("reports a team still linked through a person on the build service", () => {
    const stack = happyStack();
    Object.assign(observedOf(stack, "acme-builds"), { account: "jdoe", serviceAccount: false });
    expect(messagesOf(stack, "team-link-uses-service-account")).toEqual([
      [
        "mandatory",
        'link "acme-builds" is live for team "ci" through "jdoe", which the build service records as a person\'s account: run sourcelinks apply (or pulumi up) to relink the team through service account "acme-builder"',
      ],
    ]);
  });

  it("a declared service account the build service records as a person's: the fix is to change the account, not to relink it", () => {
    const stack = happyStack();
    Object.assign(observedOf(stack, "acme-builds"), { account: "acme-builder", serviceAccount: false });
    expect(messagesOf(stack, "team-link-uses-service-account")).toEqual([
      [
        "mandatory",
        'link "acme-builds" is live for team "ci" through "acme-builder", which the build service records as a person\'s account: set account to a service account\'s login (the build service records this one as a person\'s), then apply to relink the team',
      ],
    ]);
  });

  it("does not apply to links without a team", () => {
    const stack = happyStack();
    link(stack, "mobile-builds").desired.serviceAccount = false;
    expect(violationsOf(stack, "team-link-uses-service-account")).toEqual([]);
  });
});
