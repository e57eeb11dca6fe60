/**
 * The sandbox's own admin API under `/_sandbox` (JSON, loopback only). It is a test and demo
 * control surface, not a service fake: `GET /snapshot` returns the whole world WITH token values,
 * because the sandbox's secrets are fake and whoever can reach the loopback port already runs it.
 *
 * - `POST /reset`            back to the world the sandbox started with
 * - `POST /seed`             body: a seed document (or a world) → replaces the world; answers the new env
 * - `GET  /snapshot`         the world
 * - `GET  /counters`, `POST /counters/reset`
 * - `POST /act`              act as a person in a web UI (admin/act.ts)
 * - `GET|POST|DELETE /faults`  list, add (faults.ts) or clear injected faults
 * - `GET|PUT /limits`        GitHub limit enforcement (limits.ts); PUT starts every window afresh
 * - `GET|PUT /limits/bitbucket`  Bitbucket's webhook-data limit (bitbucket/limits.ts); PUT forgets every counted request
 * - `GET|PUT /clock`         `{offsetSeconds}`: the sandbox clock set away from real time (JWT dates, token expiry)
 * - `POST /ci/push`, `PUT /ci/failing`  a push outside the APIs runs the replacement CI; a repository's builds fail (admin/ci.ts)
 * - `GET|PUT /audit-log`     `{delaySeconds, queriesPerHour}`: the GitHub audit log's delay and hourly budget
 */
import { act, ActError } from "./act.js";
import { parseCiPush, setFailing } from "./ci.js";
import { runCi } from "../ci/runs.js";
import { auditLogSettings } from "../github/audit-log.js";
import { resetAuditLogWindows } from "../github/audit-log-routes.js";
import type { SandboxClock } from "../clock.js";
import type { Counters } from "../counters.js";
import type { SandboxEnv } from "../env.js";
import { FaultSpecError, parseFaultSpec, type Faults } from "../faults.js";
import type { GitHubLimiter, LimitsConfig } from "../limits.js";
import type { BitbucketLimiter, BitbucketLimitsConfig } from "../bitbucket/limits.js";
import { json, Router, type RouteResponse } from "../router.js";
import { SeedError } from "../seed.js";
import type { World } from "../world.js";

/** What the admin routes control; the server implements it. */
export interface SandboxControl {
  world(): World;
  /** Replaces the world from a seed document or world (throws SeedError) and persists it. */
  seed(input: unknown): Promise<void>;
  /** Restores the start world and persists it. */
  reset(): Promise<void>;
  /** Persists the world after an in-place change. */
  persist(): Promise<void>;
  env(): SandboxEnv;
  counters: Counters;
  faults: Faults;
  limiter: GitHubLimiter;
  bitbucketLimiter: BitbucketLimiter;
  clock: SandboxClock;
}

/** Admin error body. */
function error(status: number, message: string, extra: Record<string, unknown> = {}): RouteResponse {
  return json(status, { message, ...extra });
}

/** The admin routes, mounted at `/_sandbox`. */
export function adminRouter(control: SandboxControl): Router {
  return new Router("/_sandbox")
    .add("POST", "/reset", async () => {
      await control.reset();
      return json(200, { reset: true, env: control.env() });
    })
    .add("POST", "/seed", async (ctx) => {
      try {
        await control.seed(ctx.body);
      } catch (e) {
        if (e instanceof SeedError) return error(422, "invalid seed", { errors: e.problems });
        throw e;
      }
      return json(200, { seeded: true, env: control.env() });
    })
    .add("GET", "/snapshot", () => json(200, control.world()))
    .add("GET", "/counters", () => json(200, control.counters.snapshot()))
    .add("POST", "/counters/reset", () => {
      control.counters.reset();
      return json(200, control.counters.snapshot());
    })
    .add("POST", "/act", async (ctx) => {
      try {
        const result = act(control.world(), ctx.body, new Date(control.clock.now()));
        await control.persist();
        return json(200, result);
      } catch (e) {
        if (e instanceof ActError) return error(e.status, e.message);
        throw e;
      }
    })
    .add("GET", "/faults", () => json(200, { faults: control.faults.list() }))
    .add("POST", "/faults", (ctx) => {
      try {
        return json(201, control.faults.add(parseFaultSpec(ctx.body)));
      } catch (e) {
        if (e instanceof FaultSpecError) return error(400, e.message);
        throw e;
      }
    })
    .add("DELETE", "/faults", () => {
      control.faults.clear();
      return { status: 204 };
    })
    .add("GET", "/limits", () => json(200, control.limiter.config))
    .add("PUT", "/limits", (ctx) => {
      const change = parseLimits(ctx.body);
      if (typeof change === "string") return error(400, change);
      return json(200, control.limiter.configure(change));
    })
    .add("POST", "/ci/push", async (ctx) => {
      const push = parseCiPush(ctx.body);
      if (typeof push === "string") return error(400, push);
      const runs = runCi(control.world(), control.clock, push);
      await control.persist();
      return json(201, { runs });
    })
    .add("PUT", "/ci/failing", async (ctx) => {
      const failing = setFailing(control.world(), ctx.body);
      if (typeof failing === "string") return error(400, failing);
      await control.persist();
      return json(200, { failingBuilds: failing });
    })
    .add("GET", "/limits/bitbucket", () => json(200, control.bitbucketLimiter.config))
    .add("PUT", "/limits/bitbucket", (ctx) => {
      const change = parseBitbucketLimits(ctx.body);
      if (typeof change === "string") return error(400, change);
      return json(200, control.bitbucketLimiter.configure(change));
    })
    .add("GET", "/clock", () => json(200, { offsetSeconds: control.clock.offsetMs / 1000 }))
    .add("PUT", "/clock", (ctx) => {
      const offset = (ctx.body as { offsetSeconds?: unknown } | undefined)?.offsetSeconds;
      if (typeof offset !== "number" || !Number.isFinite(offset) || Object.keys(ctx.body as object).length !== 1) {
        return error(400, "clock: body must be {offsetSeconds: <number>} (negative: behind real time)");
      }
      control.clock.setOffset(offset * 1000);
      return json(200, { offsetSeconds: offset });
    })
    .add("GET", "/audit-log", () => json(200, auditLogSettings(control.world())))
    .add("PUT", "/audit-log", async (ctx) => {
      const b = ctx.body;
      if (typeof b !== "object" || b === null || Array.isArray(b)) return error(400, "audit-log: body must be a JSON object");
      const change: Record<string, number> = {};
      for (const [key, value] of Object.entries(b)) {
        if (key !== "delaySeconds" && key !== "queriesPerHour") return error(400, `audit-log: unknown field "${key}"`);
        const min = key === "delaySeconds" ? 0 : 1;
        if (typeof value !== "number" || !Number.isInteger(value) || value < min)
          return error(400, `audit-log: ${key} must be an integer of at least ${min}`);
        change[key] = value;
      }
      const world = control.world();
      world.github.auditLogSettings = { ...auditLogSettings(world), ...change };
      resetAuditLogWindows(world);
      await control.persist();
      return json(200, world.github.auditLogSettings);
    });
}

const LIMIT_NUMBERS = ["primaryPointsPerHour", "maxConcurrent", "endpointPointsPerMinute", "contentCreatingPerMinute"] as const;

/** A partial limits config from a request body, or the reason it is not one. */
function parseLimits(body: unknown): Partial<LimitsConfig> | string {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "limits: body must be a JSON object";
  const b = body as Record<string, unknown>;
  const out: Partial<LimitsConfig> = {};
  for (const key of Object.keys(b)) {
    if (key === "enabled") {
      if (typeof b[key] !== "boolean") return "limits: enabled must be a boolean";
      out.enabled = b[key];
    } else if ((LIMIT_NUMBERS as readonly string[]).includes(key)) {
      const v = b[key];
      if (typeof v !== "number" || !Number.isInteger(v) || v < 1) return `limits: ${key} must be a positive integer`;
      out[key as (typeof LIMIT_NUMBERS)[number]] = v;
    } else {
      return `limits: unknown field "${key}"`;
    }
  }
  return out;
}

/** A partial Bitbucket limits config from a request body, or the reason it is not one. */
function parseBitbucketLimits(body: unknown): Partial<BitbucketLimitsConfig> | string {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "limits/bitbucket: body must be a JSON object";
  const out: Partial<BitbucketLimitsConfig> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === "enabled") {
      if (typeof value !== "boolean") return "limits/bitbucket: enabled must be a boolean";
      out.enabled = value;
    } else if (key === "webhookRequestsPerHour") {
      if (typeof value !== "number" || !Number.isInteger(value) || value < 1)
        return "limits/bitbucket: webhookRequestsPerHour must be a positive integer";
      out.webhookRequestsPerHour = value;
    } else {
      return `limits/bitbucket: unknown field "${key}"`;
    }
  }
  return out;
}
