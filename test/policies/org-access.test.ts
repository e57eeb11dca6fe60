import { describe, expect, it } from "vitest";
import { happyStack, link, messagesOf, org, violationsOf } from "./fixtures.js";

const ACME_UI = "GitHub → acme → Settings → Third-party access (https://github.com/organizations/acme/settings/oauth_application_policy)";

describe("org-access-matches-declared", () => {
  it("passes the happy path", () => {
    expect(violationsOf(happyStack(), "org-access-matches-declared")).toEqual([]);
  });

  it("reports observed access that differs from the declaration", () => {
    const stack = happyStack();
    const observed = org(stack, "acme").observed;
    if (observed === undefined || observed === "unknown") throw new Error("fixture");
    observed.access = "requested";
    observed.observedVia = "audit-log";
    expect(violationsOf(stack, "org-access-matches-declared")).toEqual([
      {
        ruleId: "org-access-matches-declared",
        enforcement: "mandatory",
        resource: "acme",
        subject: "acme",
        message: `org "acme" declares access granted for the build service's github app but it is requested (observed via audit-log): run sourcelinks apply (or pulumi up), or have an org owner grant it at ${ACME_UI}`,
        fix: `run sourcelinks apply (or pulumi up), or have an org owner grant it at ${ACME_UI}`,
        pointer: "/orgAccess/0/access",
      },
    ]);
  });

  it("reports access that could not be observed as advisory", () => {
    const stack = happyStack();
    const observed = org(stack, "acme").observed;
    if (observed === undefined || observed === "unknown") throw new Error("fixture");
    observed.access = "unknown";
    expect(messagesOf(stack, "org-access-matches-declared")).toEqual([
      [
        "advisory",
        `org "acme" declares access granted for the build service's github app, but the effective access could not be observed (no build-service link, audit log or probe token): have an org owner confirm it at ${ACME_UI}, then record org-access:github:acme under manualSteps`,
      ],
    ]);
  });
});

describe("linked-repos-have-org-access", () => {
  it("passes the happy path", () => {
    expect(violationsOf(happyStack(), "linked-repos-have-org-access")).toEqual([]);
  });

  it("reports a linked repository in an org observed to deny the app", () => {
    const stack = happyStack();
    const observed = org(stack, "acme").observed;
    if (observed === undefined || observed === "unknown") throw new Error("fixture");
    observed.access = "denied";
    observed.observedVia = "probe";
    expect(violationsOf(stack, "linked-repos-have-org-access").map((v) => [v.subject, v.pointer])).toEqual([
      ["acme/api", "/links/0/repositories/0"],
      ["acme/web", "/links/0/repositories/1"],
    ]);
    expect(messagesOf(stack, "linked-repos-have-org-access")[0]).toEqual([
      "mandatory",
      `link "acme-builds" builds from acme/api, but org "acme" denies the build service's github app (observed via probe): remove acme/api from the link, or set access: granted for acme and have an org owner approve the app at ${ACME_UI}`,
    ]);
  });

  it("ignores revoked links", () => {
    const stack = happyStack();
    link(stack, "legacy-builds").desired.repositories = ["contractor-co/legacy"];
    expect(violationsOf(stack, "linked-repos-have-org-access")).toEqual([]);
  });
});
