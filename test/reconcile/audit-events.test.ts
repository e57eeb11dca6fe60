import { describe, expect, it } from "vitest";
import type { AuditLogEvent, OwnerRepository } from "../../engine/clients/types.js";
import { applyAuditEvents } from "../../engine/reconcile/audit-events.js";

const repo = (name: string, id: string): OwnerRepository => ({ repository: name, id, archived: false, private: true });
const listing = [repo("acme/api", "1"), repo("acme/web", "2"), repo("acme/old", "3")];
let at = 0;
const event = (action: string, repoName: string | null, oldName: string | null = null): AuditLogEvent => ({
  id: `e${++at}`,
  action,
  at,
  repo: repoName,
  oldName,
});

function apply(events: AuditLogEvent[]) {
  const result = applyAuditEvents("acme", listing, events);
  if (!result.ok) throw new Error(result.reason);
  return result.change;
}

describe("audit log events applied to an owner's listing", () => {
  it("carries a hook change made before a rename to the new name, keeping the repository's id", () => {
    const change = apply([event("hook.create", "acme/api"), event("repo.rename", "acme/api2", "acme/api")]);
    expect(change.reread).toEqual(["acme/api2"]);
    expect(change.describe).toEqual([]);
    expect(change.listing.find((r) => r.repository === "acme/api2")).toMatchObject({ id: "1" });
    expect(change.listing.some((r) => r.repository === "acme/api")).toBe(false);
  });

  it("drops destroyed and transferred-out repositories, and describes created and transferred-in ones", () => {
    const change = apply([
      event("repo.destroy", "acme/old"),
      event("repo.transfer", "other/web", "acme/web"),
      event("repo.transfer", "acme/moved", "other/moved"),
      event("repo.create", "acme/new"),
    ]);
    expect(change.listing.map((r) => r.repository).sort()).toEqual(["acme/api", "acme/moved", "acme/new"]);
    expect(change.describe.sort()).toEqual(["acme/moved", "acme/new"]);
    expect(change.reread.sort()).toEqual(["acme/moved", "acme/new"]);
    expect(change.applied).toBe(4);
  });

  it("marks archived repositories, counts an org webhook change, ignores other owners and repeated events", () => {
    const archived = event("repo.archived", "acme/web");
    const change = apply([archived, archived, event("hook.destroy", null), event("hook.create", "other/x")]);
    expect(change.listing.find((r) => r.repository === "acme/web")).toMatchObject({ archived: true });
    expect(change.orgHooks).toBe(true);
    expect(change.reread).toEqual(["acme/web"]);
    expect(change.applied).toBe(2);
  });

  it("refuses an event it cannot place", () => {
    expect(applyAuditEvents("acme", listing, [event("public_key.create", null)])).toEqual({
      ok: false,
      reason: "an audit log event it cannot place: public_key.create without a repository",
    });
  });
});
