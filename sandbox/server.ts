/**
 * The sandbox server: one `node:http` server on 127.0.0.1 that serves the three fake services and
 * the admin API (docs/sandbox.md), persists the world after every successful mutating request, counts
 * requests, injects faults and, on `/github`, sends rate-limit headers and enforces GitHub's limits.
 * This module starts and stops it; pipeline.ts serves each request, mounts.ts lists the route tables.
 */
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { SandboxControl } from "./admin/routes.js";
import { SandboxClock, type Now } from "./clock.js";
import { Counters, type CountersSnapshot } from "./counters.js";
import { sandboxEnv, type SandboxEnv } from "./env.js";
import { Faults, type FaultSpec } from "./faults.js";
import { Holds } from "./holds.js";
import { send } from "./http-io.js";
import { GitHubLimiter, type LimitsConfig } from "./limits.js";
import { BitbucketLimiter, type BitbucketLimitsConfig } from "./bitbucket/limits.js";
import { identify } from "./caller.js";
import { mountRouters } from "./mounts.js";
import { handleRequest, type SandboxState } from "./pipeline.js";
import type { Router } from "./router.js";
import { loadSeed, loadSeedFile, type SeedDocument } from "./seed.js";
import { FileStore, fileStoreOptionsFromEnv, isWorld, MemoryStore, type StateStore } from "./store.js";
import type { World } from "./world.js";
import { redactUrl } from "../engine/model/redaction.js";

/** How to start a sandbox. */
export interface SandboxOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** JSON file to persist the world in (atomically); memory only when absent. An existing file is resumed, with or without `seed`. */
  stateFile?: string;
  /**
   * The world to start with: a seed file path, YAML seed text (any string containing a newline),
   * a parsed seed document, or a world. Default: the demo world (sandbox/worlds/demo.yaml).
   */
  seed?: string | SeedDocument | World;
  /** When false, log one line per request (no credentials) on stderr. Default true. */
  quiet?: boolean;
  /** GitHub seconds per real second for rate-limit windows (clock.ts). Default 1. */
  timeScale?: number;
  /** GitHub limits; enforcement is off unless `enabled: true`. */
  limits?: Partial<LimitsConfig>;
  /** Bitbucket's webhook-data limit; enforced at Bitbucket Cloud's 1,000 an hour unless changed. */
  bitbucketLimits?: Partial<BitbucketLimitsConfig>;
  /** Extra routers (tests): a mount under `/github` is served as GitHub, with limits and headers. */
  routers?: Router[];
  /** Real-time source in epoch ms (tests). Default `Date.now`. */
  now?: Now;
  /** How an injected latency waits; tests pass a wait they end themselves, to order requests without timing them. Default a timer. */
  latencyWait?: (ms: number) => Promise<void>;
}

/** A running sandbox. */
export interface SandboxHandle {
  /** `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  /** The variables docs/sandbox.md lists, for the current world. */
  readonly env: SandboxEnv;
  /** The live world (mutations by callers are not persisted until the next successful write). */
  world(): World;
  /** Back to the start world (the seed, or the demo world when there is none). */
  reset(): Promise<void>;
  counters(): CountersSnapshot;
  /** Adds a fault rule, as `POST /_sandbox/faults` does. */
  injectFault(spec: FaultSpec): void;
  /** Removes all fault rules. */
  clearFaults(): void;
  /** Changes GitHub limits at run time, as `PUT /_sandbox/limits` does. */
  setLimits(change: Partial<LimitsConfig>): LimitsConfig;
  /** Changes Bitbucket's webhook-data limit at run time, as `PUT /_sandbox/limits/bitbucket` does. */
  setBitbucketLimits(change: Partial<BitbucketLimitsConfig>): BitbucketLimitsConfig;
  /** Sets the sandbox clock `ms` away from real time (negative: behind), as `PUT /_sandbox/clock` does. */
  setClockOffset(ms: number): void;
  /** Stops serving, cuts open connections and waits for pending writes. */
  close(): Promise<void>;
}

/** The demo seed's path, next to this module in the source tree (and found from `dist/sandbox/` too). */
export function demoSeedPath(): string {
  const candidates = ["./worlds/demo.yaml", "../../sandbox/worlds/demo.yaml"].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`sandbox: demo seed not found (looked in ${candidates.join(", ")})`);
  return found;
}

/** Turns the `seed` option into a world. */
export function resolveSeed(seed: string | SeedDocument | World | unknown): World {
  if (typeof seed === "string") return seed.includes("\n") ? loadSeed(seed) : loadSeedFile(seed);
  if (isWorld(seed)) return structuredClone(seed);
  return loadSeed(seed as SeedDocument);
}

/** Starts a sandbox on 127.0.0.1. */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const store: StateStore = options.stateFile ? new FileStore(options.stateFile, fileStoreOptionsFromEnv(process.env)) : new MemoryStore();
  // A saved world is resumed even when a seed is given: the seed describes where a new state file
  // starts (and what reset() returns to), so a restart with the same command line keeps the world.
  const startWorld: World = options.seed !== undefined ? resolveSeed(options.seed) : loadSeedFile(demoSeedPath());
  let world: World = store.load() ?? structuredClone(startWorld);
  await store.save(world);

  const counters = new Counters();
  const faults = new Faults();
  const clock = new SandboxClock(options.timeScale ?? 1, options.now);
  const limiter = new GitHubLimiter(clock, counters, options.limits);
  const bitbucketLimiter = new BitbucketLimiter(clock, counters, options.bitbucketLimits);
  const control: SandboxControl = {
    world: () => world,
    seed: async (input) => {
      world = resolveSeed(input);
      await store.save(world);
    },
    reset: async () => {
      world = structuredClone(startWorld);
      await store.save(world);
    },
    persist: () => store.save(world),
    env: () => sandboxEnv(state.baseUrl, world),
    counters,
    faults,
    limiter,
    bitbucketLimiter,
    clock,
  };
  const state: SandboxState = {
    baseUrl: "",
    world: () => world,
    store,
    counters,
    faults,
    limiter,
    bitbucketLimiter,
    mounted: mountRouters(control, { limiter, callerOf: (authorization) => identify(authorization, world) }, options.routers),
    holds: new Holds(),
    latencyWait: options.latencyWait ?? timer,
    clock,
  };
  const server = createServer(requestListener(state, options.quiet ?? true));
  state.baseUrl = await listen(server, options.port ?? 0);
  return sandboxHandle(state, control, server);
}

/** Serves each request through the pipeline; logs it unless quiet, and reports a pipeline bug on stderr. */
function requestListener(state: SandboxState, quiet: boolean): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const started = performance.now();
    handleRequest(state, req, res).then(
      () => {
        if (!quiet)
          process.stderr.write(
            `${req.method} ${redactUrl(state.baseUrl + (req.url ?? ""))} ${res.statusCode} ${(performance.now() - started).toFixed(1)}ms\n`,
          );
      },
      (error: unknown) => {
        // A bug in the pipeline itself: answer if still possible, and say so on stderr.
        process.stderr.write(
          `sandbox: ${req.method} ${redactUrl(state.baseUrl + (req.url ?? ""))} failed: ${String(error instanceof Error ? error.stack : error)}\n`,
        );
        if (!res.headersSent) send(res, 500, {}, { message: "sandbox: internal error" });
        else res.destroy();
      },
    );
  };
}

/** Listens on 127.0.0.1:`port` (0: a free one) and answers the base URL. */
async function listen(server: Server, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function sandboxHandle(state: SandboxState, control: SandboxControl, server: Server): SandboxHandle {
  return {
    baseUrl: state.baseUrl,
    get env() {
      return control.env();
    },
    world: () => state.world(),
    reset: () => control.reset(),
    counters: () => state.counters.snapshot(),
    injectFault: (spec) => {
      state.faults.add(spec);
    },
    clearFaults: () => state.faults.clear(),
    setLimits: (change) => state.limiter.configure(change),
    setBitbucketLimits: (change) => state.bitbucketLimiter.configure(change),
    setClockOffset: (ms) => state.clock.setOffset(ms),
    close: async () => {
      const closed = new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
      state.holds.releaseAll();
      server.closeAllConnections();
      await closed;
      await state.store.close();
    },
  };
}

/** Resolves after `ms` of real time. */
function timer(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
