/**
 * `Last-Modified` of the single resources GitHub dates (a repository, a user, an org; its listings
 * carry none, so a client cannot revalidate those by date). The sandbox keeps no modification time of
 * its own for most objects, so the date is that of the first answer that showed the current
 * representation: it moves forward whenever what a GET answers changes, and a date a client holds is
 * never that of an older representation.
 */
import { createHash } from "node:crypto";
import type { World } from "../world.js";

interface Seen {
  /** Hash of the representation last answered. */
  hash: string;
  /** When it was first answered, in whole epoch seconds (HTTP dates have no finer unit). */
  seconds: number;
}

/** Per world (a reset or a seed starts afresh), per resource path. */
const seenByWorld = new WeakMap<World, Map<string, Seen>>();

/**
 * The modification date of `path` whose current representation is `body`, in whole epoch seconds.
 * A new representation gets a date strictly after the previous one, so a change within the same
 * second as the last is never hidden behind an `If-Modified-Since` of that second.
 */
export function lastModifiedSeconds(world: World, path: string, body: unknown, nowMs: number): number {
  let seen = seenByWorld.get(world);
  if (!seen) {
    seen = new Map();
    seenByWorld.set(world, seen);
  }
  const hash = createHash("sha256")
    .update(JSON.stringify(body ?? null))
    .digest("hex");
  const previous = seen.get(path);
  if (previous?.hash === hash) return previous.seconds;
  const now = Math.ceil(nowMs / 1000);
  const seconds = previous === undefined ? now : Math.max(now, previous.seconds + 1);
  seen.set(path, { hash, seconds });
  return seconds;
}
