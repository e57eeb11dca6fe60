/** `live-link-has-grant`: a happy stack, one change per test, the whole violation asserted. */
import { describe, expect, it } from "vitest";
import { happyStack, observedOf, violationsOf } from "./fixtures.js";

describe("live-link-has-grant", () => {
  it("passes the happy stack", () => {
    expect(violationsOf(happyStack(), "live-link-has-grant")).toEqual([]);
  });

  it("reports a linked link whose grant is revoked, with the relink as its fix", () => {
    const stack = happyStack();
    observedOf(stack, "acme-builds").providerGrant = "revoked";
    const fix = `run sourcelinks apply (or pulumi up) to relink it: it unlinks the broken link and links "acme-builder" again, so the build service holds a new grant`;
    expect(violationsOf(stack, "live-link-has-grant")).toEqual([
      {
        ruleId: "live-link-has-grant",
        enforcement: "mandatory",
        resource: "acme-builds",
        subject: "acme-builder",
        message: `link "acme-builds" is linked in namespace acme, but the github OAuth grant of "acme-builder" to the build service's app is revoked, so it cannot build: ${fix}`,
        fix,
        pointer: "/links/0/account",
      },
    ]);
  });

  it("does not report a grant that cannot be verified, nor a revoked link", () => {
    const stack = happyStack();
    observedOf(stack, "acme-builds").providerGrant = "unverifiable";
    expect(violationsOf(stack, "live-link-has-grant")).toEqual([]);
    // legacy-builds is declared revoked with its grant revoked: that is revocation, not a broken link.
    expect(observedOf(stack, "legacy-builds").providerGrant).toBe("revoked");
  });
});
