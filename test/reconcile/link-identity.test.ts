import { describe, expect, it } from "vitest";
import type { LinkRecord } from "../../engine/model/link-record.js";
import { identityRecords } from "../../engine/reconcile/link-identity.js";
import { aliasesFrom } from "../../engine/reconcile/repository-aliases.js";
import { grantKeepers, repositoryKeepers } from "../../engine/reconcile/sharing.js";
import { teamSpec } from "../support/link-spec.js";

function record(id: string, fields: Partial<LinkRecord> = {}): LinkRecord {
  return {
    id,
    namespace: "acme",
    provider: "github",
    account: "acme-builder",
    team: "ci",
    serviceAccount: true,
    state: "linked",
    updatedAt: "2026-01-01T00:00:00Z",
    ...fields,
  };
}

describe("identityRecords", () => {
  it("identifies a team link by namespace, provider and team, whatever the account", () => {
    const records = [
      record("person", { account: "jdoe" }),
      record("other-team", { team: "qa" }),
      record("bitbucket", { provider: "bitbucket" }),
    ];
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
      record("old-unlinked", { account: "jdoe", state: "revoked", updatedAt: "2026-01-01T00:00:00Z" }),
      record("old-live", { account: "jdoe", state: "disabled", updatedAt: "2025-06-01T00:00:00Z" }),
      record("new", { updatedAt: "2026-02-01T00:00:00Z" }),
      record("newer-unlinked", { state: "revoked", updatedAt: "2026-03-01T00:00:00Z" }),
    ];
    const { primary, others } = identityRecords(teamSpec(), records);
    expect(primary?.id).toBe("new");
    expect(others.map((r) => r.id)).toEqual(["old-live"]);
  });

  it("falls back to the latest unlinked record when none is live", () => {
    const records = [
      record("a", { state: "revoked", updatedAt: "2026-01-01T00:00:00Z" }),
      record("b", { state: "revoked", updatedAt: "2026-02-01T00:00:00Z" }),
    ];
    expect(identityRecords(teamSpec(), records).primary?.id).toBe("b");
  });
});

describe("grantKeepers", () => {
  it("names other live links of the same provider account in every namespace, outside the link's own records", () => {
    const own = record("own", { account: "jdoe" });
    const records = [
      own,
      record("shared", { account: "jdoe", team: null }),
      record("elsewhere", { account: "jdoe", team: null, namespace: "beta" }),
      record("gone", { account: "jdoe", team: "qa", state: "revoked" }),
      record("bb", { account: "jdoe", provider: "bitbucket" }),
    ];
    expect(grantKeepers({ declared: [teamSpec()], records }, teamSpec(), "github", "jdoe", [own])).toEqual([
      "link shared in namespace acme (github account jdoe)",
      "link elsewhere in namespace beta (github account jdoe)",
    ]);
  });

  it("counts a declared live link of the account, and no record a declaration retires", () => {
    const revoked = { ...teamSpec(), name: "beta-jdoe", namespace: "beta", team: undefined, account: "jdoe", state: "revoked" as const };
    const personal = {
      ...teamSpec(),
      name: "jdoe-personal",
      namespace: "gamma",
      team: undefined,
      account: "jdoe",
      state: "linked" as const,
    };
    const records = [record("b1", { account: "jdoe", team: null, namespace: "beta" })];
    expect(grantKeepers({ declared: [teamSpec(), revoked, personal], records }, teamSpec(), "github", "jdoe", [])).toEqual([
      '"jdoe-personal" (namespace gamma)',
    ]);
  });
});

describe("repositoryKeepers", () => {
  it("names live links whose record lists the repository, and declared live links listing it", () => {
    const records = [record("r1", { namespace: "beta", team: null }), record("r2", { namespace: "beta", team: null, state: "revoked" })];
    const recordRepositories = new Map([
      ["beta\u0000r1", ["acme/api"]],
      ["beta\u0000r2", ["acme/api"]],
    ]);
    const other = { ...teamSpec(), name: "other", team: "qa", repositories: ["ACME/API"] };
    expect(
      repositoryKeepers({ declared: [teamSpec(), other], records, recordRepositories }, teamSpec(), "github", new Set(["acme/api"]), []),
    ).toEqual(['"other" (namespace acme)', "link r1 in namespace beta (github account acme-builder)"]);
  });
});

describe("aliasesFrom", () => {
  it("gives a repository every name that resolves to it, its current one among them, and nothing else", () => {
    const api = { id: "101", repository: "acme/api-v2" };
    const own = new Map([
      ["acme/api-v2", api],
      ["acme/site", undefined],
    ]);
    const candidates = new Map([
      ["Acme/API", api],
      ["acme/other", { id: "202", repository: "acme/other" }],
      ["acme/gone", null],
    ]);
    expect(aliasesFrom(own, candidates)).toEqual(
      new Map([
        ["acme/api-v2", new Set(["acme/api-v2", "acme/api"])],
        ["acme/site", new Set(["acme/site"])],
      ]),
    );
  });
});
