/**
 * The refresh state an `OrphanSweep` keeps in its outputs (provider/sweep-refresh-state.ts): what a
 * refresh reuses survives the round trip through state, in listing order; what it cannot reuse is not kept.
 */
import { describe, expect, it } from "vitest";
import type { StoredInventory } from "../../engine/clients/inventory-store.js";
import { refreshStateOf, storedInventoryOf } from "../../provider/sweep-refresh-state.js";

const HOOK = { id: "11", url: "https://cloud.docker.com/api/build/v1/vcs/x/trigger/call/", active: false } as const;
const SCOPE = "github https://api.github.com";

function stored(change: Partial<StoredInventory> = {}): StoredInventory {
  return {
    ownerType: "org",
    publicOnly: false,
    actingAs: "app:1/installation:2",
    cursor: Date.UTC(2026, 11, 1, 12),
    seenEvents: ["e1"],
    verifiedAt: Date.UTC(2026, 11, 1),
    nextSlice: 3,
    listing: [
      { repository: "acme/api", id: "1", archived: false, private: true },
      { repository: "acme/sandbox-x", id: "2", archived: false, private: false },
      { repository: "acme/frozen", id: "3", archived: true, private: false },
      { repository: "acme/gone", id: "4", archived: false, private: false },
    ],
    repositories: [
      {
        repository: "acme/api",
        id: "1",
        archived: false,
        private: true,
        exists: true,
        webhooks: [{ ...HOOK, events: ["push"], hasSecret: true, insecureSsl: false, lastResponse: null }],
        deployKeys: [{ id: "7", title: "Docker Hub Builder", readOnly: true }],
      },
      { repository: "acme/frozen", id: "3", archived: true, private: false, exists: true, webhooks: [], deployKeys: [] },
      { repository: "acme/gone", id: "4", archived: false, private: false, exists: false, webhooks: [], deployKeys: [] },
    ],
    orgWebhooks: [
      {
        id: "9",
        url: "https://chat.acme.example/hooks",
        active: true,
        events: [],
        hasSecret: false,
        insecureSsl: false,
        lastResponse: null,
      },
    ],
    noAuditLog: { status: 404, since: Date.UTC(2026, 10, 30) },
    ...change,
  };
}

describe("a sweep's refresh state in its outputs", () => {
  it("keeps the cursor, the verification, the listing in order with what was read of each repository, and the org's webhooks", () => {
    const state = JSON.parse(JSON.stringify(refreshStateOf(SCOPE, stored(), false))) as unknown;
    const back = storedInventoryOf(state);
    expect(back?.scope).toBe(SCOPE);
    const original = stored();
    expect(back?.stored).toMatchObject({
      cursor: original.cursor,
      verifiedAt: original.verifiedAt,
      actingAs: original.actingAs,
      seenEvents: ["e1"],
      nextSlice: 3,
      listing: original.listing,
      noAuditLog: original.noAuditLog,
    });
    // The excluded repository is listed, not read; a vanished one is kept as gone.
    expect(back?.stored.repositories.map((r) => [r.repository, r.exists, r.archived])).toEqual([
      ["acme/api", true, false],
      ["acme/frozen", true, true],
      ["acme/gone", false, false],
    ]);
    // What a sweep reads of a webhook and a key; what it does not (events, secret, last delivery) is not kept.
    expect(back?.stored.repositories[0]?.webhooks).toEqual([
      { ...HOOK, events: [], hasSecret: false, insecureSsl: false, lastResponse: null },
    ]);
    expect(back?.stored.repositories[0]?.deployKeys).toEqual(original.repositories[0]?.deployKeys);
    expect(back?.stored.orgWebhooks?.map((h) => [h.id, h.url, h.active])).toEqual([["9", "https://chat.acme.example/hooks", true]]);
  });

  it("keeps no repositories without a cursor, since nothing would reuse them", () => {
    const state = refreshStateOf(SCOPE, stored({ cursor: null }), false);
    expect(state.inventory).toEqual({ repositories: [], orgWebhooks: null });
    expect(storedInventoryOf(state)?.stored).toMatchObject({ cursor: null, noAuditLog: stored().noAuditLog, listing: [] });
  });

  it("keeps the repositories without a cursor when the sweep rolls slices, which reuse them", () => {
    const state = refreshStateOf(SCOPE, stored({ cursor: null }), true);
    expect(storedInventoryOf(state)?.stored.repositories.map((r) => r.repository)).toEqual(["acme/api", "acme/frozen", "acme/gone"]);
  });

  it("reads state that is not its own (absent, or of another version) as none", () => {
    expect(storedInventoryOf(undefined)).toBeNull();
    expect(storedInventoryOf({ scope: SCOPE, cursor: 5 })).toBeNull();
    expect(storedInventoryOf({ ...refreshStateOf(SCOPE, stored(), false), verifiedAt: "yesterday" })).toBeNull();
  });
});
