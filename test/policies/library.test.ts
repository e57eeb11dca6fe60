/**
 * The policies as a library (`sourcelinks/policies`): a factory composing into a user's own pack at
 * the user's levels, as AWSGuard does; importing it starts no analyzer.
 */
import { describe, expect, it } from "vitest";
import { buildPolicies } from "../../policies/pack-policies.js";
import { sourcelinksPolicies } from "../../policies/library.js";

function levels(policies: ReturnType<typeof sourcelinksPolicies>): Record<string, string | undefined> {
  return Object.fromEntries(policies.map((p) => [p.name, p.enforcementLevel]));
}

describe("sourcelinksPolicies", () => {
  it("without levels is the pack's policies at their registry levels", () => {
    expect(levels(sourcelinksPolicies())).toEqual(levels(buildPolicies()));
  });

  it("applies `all`, then a rule's own level to both its resource and its stack policy", () => {
    const composed = levels(sourcelinksPolicies({ all: "advisory", "revoked-link-has-no-webhooks": "mandatory" }));
    expect(composed["revoked-link-has-no-webhooks"]).toBe("mandatory");
    expect(composed["revoked-link-has-no-webhooks-stack"]).toBe("mandatory");
    expect(composed["team-link-uses-service-account"]).toBe("advisory");
    expect(
      Object.entries(composed).filter(([name, level]) => !name.startsWith("revoked-link-has-no-webhooks") && level !== "advisory"),
    ).toEqual([]);
  });

  it("can disable one rule", () => {
    const composed = levels(sourcelinksPolicies({ "webhook-hygiene": "disabled" }));
    expect(composed["webhook-hygiene"]).toBe("disabled");
    expect(composed["live-link-has-grant"]).toBe(levels(buildPolicies())["live-link-has-grant"]);
  });
});
