/** Test-only routers for the sandbox core's tests: they do not depend on the service route modules. */
import { json, Router } from "../../sandbox/router.js";

/** A gate a handler waits on, to hold requests in flight. */
export interface Gate {
  wait(): Promise<void>;
  open(): void;
  /** Resolves once `count` handlers wait at the gate: the requests are in flight, no polling needed. */
  reached(count: number): Promise<void>;
}

/** A gate that is closed until `open()`. */
export function gate(): Gate {
  let release!: () => void;
  const p = new Promise<void>((r) => (release = r));
  let arrived = 0;
  let watchers: { count: number; resolve: () => void }[] = [];
  return {
    wait: () => {
      arrived++;
      for (const w of watchers) if (arrived >= w.count) w.resolve();
      watchers = watchers.filter((w) => arrived < w.count);
      return p;
    },
    open: () => release(),
    reached: (count) => (arrived >= count ? Promise.resolve() : new Promise((resolve) => watchers.push({ count, resolve }))),
  };
}

/**
 * GitHub-mounted test routes (so limits and rate-limit headers apply):
 * GET /etag (ETag "v1", 304 on If-None-Match), POST /mutate (bumps world.nextId), GET /items/:id,
 * GET /slow (waits on `slow`), GET /boom (throws).
 */
export function testGitHubRouter(slow: Gate = gate()): Router {
  return new Router("/github/_test")
    .add("GET", "/etag", (ctx) =>
      ctx.headers["if-none-match"] === '"v1"' ? { status: 304, headers: { etag: '"v1"' } } : json(200, { ok: true }, { etag: '"v1"' }),
    )
    .add("POST", "/mutate", (ctx) => {
      ctx.world.nextId += 1;
      return json(201, { nextId: ctx.world.nextId });
    })
    .add("DELETE", "/items/:id", () => ({ status: 204 }))
    .add("GET", "/items/:id", (ctx) => json(200, { id: ctx.params["id"] }))
    .add("GET", "/slow", async () => {
      await slow.wait();
      return json(200, { slow: true });
    })
    .add("GET", "/boom", () => {
      throw new Error("kaboom");
    });
}

/** Authorization header for a token. */
export function auth(token: string): Record<string, string> {
  return { authorization: `token ${token}` };
}
