import { describe, expect, it } from "vitest";
import type { BuildServiceLinkWire } from "../../clients/types.js";
import { grantSharers, identityRecords } from "../../reconcile/link-identity.js";
import { teamSpec } from "./fixtures.js";

function record(id: string, fields: Partial<BuildServiceLinkWire> = {}): BuildServiceLinkWire {
  return {
    id,
    resource_uri: `/api/build/v1/acme/links/${id}/`,
    namespace: "acme",
    provider: "github",
    account: "acme-builder",
    team: "ci",
    service_account: true,
    state: "enabled",
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    ...fields,
  };
}

describe("identityRecords", () => {
  it("identifies a team link by namespace, provider and team, whatever the account", () => {
    const records = [record("person", { account: "jdoe" }), record("other-team", { team: "qa" }), record("bitbucket", { provider: "bitbucket" })];
    const { primary, others, all } = identityRecords(teamSpec(), records);
    expect(primary?.id).toBe("person");
    expect(others).toEqual([]);
    expect(all.map((r) => r.id)).toEqual(["person"]);
  });

  it("identifies a link without a team by its account too", () => {
    const spec = teamSpec({ team: undefined });
    const records = [record("team", {}), record("mine", { team: null }), record("someone", { team: null, account: "jdoe" })];
    expect(identityRecords(spec, records).all.map((r) => r.id)).toEqual(["mine"]);
  });

  it("prefers a live record of the declared account and lists each other account once", () => {
    const records = [
      record("old-unlinked", { account: "jdoe", state: "unlinked", updated_at: "2026-01-01T00:00:00Z" }),
      record("old-live", { account: "jdoe", state: "disabled", updated_at: "2025-06-01T00:00:00Z" }),
      record("new", { updated_at: "2026-02-01T00:00:00Z" }),
      record("newer-unlinked", { state: "unlinked", updated_at: "2026-03-01T00:00:00Z" }),
    ];
    const { primary, others } = identityRecords(teamSpec(), records);
    expect(primary?.id).toBe("new");
    expect(others.map((r) => r.id)).toEqual(["old-live"]);
  });

  it("falls back to the latest unlinked record when none is live", () => {
    const records = [record("a", { state: "unlinked", updated_at: "2026-01-01T00:00:00Z" }), record("b", { state: "unlinked", updated_at: "2026-02-01T00:00:00Z" })];
    expect(identityRecords(teamSpec(), records).primary?.id).toBe("b");
  });
});

describe("grantSharers", () => {
  it("names other live links of the same provider account, outside the link's own records", () => {
    const own = record("own", { account: "jdoe" });
    const records = [own, record("shared", { account: "jdoe", team: null }), record("gone", { account: "jdoe", team: "qa", state: "unlinked" }), record("bb", { account: "jdoe", provider: "bitbucket" })];
    expect(grantSharers(records, "github", "jdoe", [own])).toEqual(["shared"]);
  });
});
