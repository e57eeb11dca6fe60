/**
 * What an org's audit log events change in the last verified listing of its repositories (pure):
 * which repositories to read again (a webhook or deploy key changed), which are new and must be
 * described (created, transferred in), which are gone (destroyed, transferred out), renames, and
 * whether the org's own webhooks changed. Events are applied oldest first, so a rename carries the
 * pending re-reads of the old name to the new one. Reading the same event twice (the overlap) is harmless.
 */
import type { AuditLogEvent, OwnerRepository } from "../clients/types.js";

/** What the events changed. */
export interface ListingChange {
  /** The listing after the events; a repository to describe has an empty `id` until it is. */
  listing: OwnerRepository[];
  /** Current names whose webhooks and deploy keys must be read again. */
  reread: string[];
  /** Current names whose listing fields (id, archived, private) must be read: created or transferred in. */
  describe: string[];
  /** An org webhook changed (a `hook.*` event without a repository). */
  orgHooks: boolean;
  /** Events that were about this owner's repositories or org webhooks. */
  applied: number;
}

/** Applies `events` to `listing` (the owner's repositories); the reason when an event cannot be placed. */
export function applyAuditEvents(
  owner: string,
  listing: readonly OwnerRepository[],
  events: readonly AuditLogEvent[],
): { ok: true; change: ListingChange } | { ok: false; reason: string } {
  const ours = (name: string | null): name is string => name !== null && name.split("/")[0]!.toLowerCase() === owner.toLowerCase();
  const byName = new Map(listing.map((r) => [r.repository.toLowerCase(), { ...r }]));
  const reread = new Set<string>();
  const describe = new Set<string>();
  let orgHooks = false;
  let applied = 0;
  const seen = new Set<string>();
  const add = (name: string): void => {
    const key = name.toLowerCase();
    if (!byName.has(key)) byName.set(key, { repository: name, id: "", archived: false, private: true });
    describe.add(key);
    reread.add(key);
  };
  const remove = (name: string): void => {
    const key = name.toLowerCase();
    byName.delete(key);
    reread.delete(key);
    describe.delete(key);
  };
  for (const event of [...events].sort((a, b) => a.at - b.at)) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    const [category] = event.action.split(".");
    if (category !== "hook" && category !== "public_key" && category !== "repo") continue;
    if (event.repo === null) {
      if (category === "hook") {
        orgHooks = true;
        applied++;
        continue;
      }
      return { ok: false, reason: `an audit log event it cannot place: ${event.action} without a repository` };
    }
    if (!ours(event.repo) && !ours(event.oldName)) continue;
    applied++;
    const key = event.repo.toLowerCase();
    switch (event.action) {
      case "repo.create":
        add(event.repo);
        break;
      case "repo.destroy":
        remove(event.repo);
        break;
      case "repo.rename":
      case "repo.transfer": {
        const from = event.oldName === null ? undefined : byName.get(event.oldName.toLowerCase());
        if (event.oldName !== null) remove(event.oldName);
        if (!ours(event.repo)) break;
        if (from && event.action === "repo.rename") {
          // Same repository, new name: its id and flags stay; its artifacts are read under the new name.
          byName.set(key, { ...from, repository: event.repo });
          reread.add(key);
        } else add(event.repo);
        break;
      }
      case "repo.archived":
      case "repo.unarchived": {
        const entry = byName.get(key);
        if (entry) entry.archived = event.action === "repo.archived";
        else add(event.repo);
        reread.add(key);
        break;
      }
      default:
        // hook.* and public_key.*: a repository the listing does not know yet is described too.
        if (!byName.has(key)) add(event.repo);
        reread.add(key);
    }
  }
  const name = (key: string): string => byName.get(key)!.repository;
  return {
    ok: true,
    change: {
      listing: [...byName.values()],
      reread: [...reread].map(name),
      describe: [...describe].map(name),
      orgHooks,
      applied,
    },
  };
}
