/**
 * The sandbox server: one `node:http` server on 127.0.0.1 that serves the three fake services and
 * the admin API (design.md §7), persists the world after every successful mutating request, counts
 * requests, injects faults and, on `/github`, sends rate-limit headers and enforces GitHub's limits.
 *
 * Request pipeline: route by mount → parse JSON (400 when invalid) → match → [GitHub: concurrency
 * slot] → injected latency and faults → [GitHub: primary and secondary budgets] → handler →
 * [GitHub: charge the primary point unless 304; x-ratelimit-* headers] → persist → serialize.
 * An injected lost response is the one fault applied after the handler: the change is persisted,
 * then the connection is closed without an answer.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { adminRouter, type SandboxControl } from "./admin/routes.js";
import { bitbucketRouter } from "./bitbucket/routes.js";
import { buildServiceRouter } from "./build-service/routes.js";
import { SandboxClock, type Now } from "./clock.js";
import { Counters, type CountersSnapshot, type ServiceName } from "./counters.js";
import { MOUNTS, sandboxEnv, type SandboxEnv } from "./env.js";
import { Faults, type FaultSpec } from "./faults.js";
import { githubRouter } from "./github/routes.js";
import { GitHubLimiter, rateLimitBody, type Caller, type LimitsConfig } from "./limits.js";
import type { Method, RouteContext, RouteResponse, Router } from "./router.js";
import { loadSeed, loadSeedFile, type SeedDocument } from "./seed.js";
import { FileStore, fileStoreOptionsFromEnv, isWorld, MemoryStore, type StateStore } from "./store.js";
import type { World } from "./world.js";
import { redactUrl } from "../../engine/clients/http-error.js";

/** How to start a sandbox. */
export interface SandboxOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** JSON file to persist the world in (atomically); memory only when absent. An existing file is resumed, with or without `seed`. */
  stateFile?: string;
  /**
   * The world to start with: a seed file path, YAML seed text (any string containing a newline),
   * a parsed seed document, or a world. Default: the demo world (tools/sandbox/worlds/demo.yaml).
   */
  seed?: string | SeedDocument | World;
  /** When false, log one line per request (no credentials) on stderr. Default true. */
  quiet?: boolean;
  /** GitHub seconds per real second for rate-limit windows (clock.ts). Default 1. */
  timeScale?: number;
  /** GitHub limits; enforcement is off unless `enabled: true`. */
  limits?: Partial<LimitsConfig>;
  /** Extra routers (tests): a mount under `/github` is served as GitHub, with limits and headers. */
  routers?: Router[];
  /** Real-time source in epoch ms (tests). Default `Date.now`. */
  now?: Now;
}

/** A running sandbox. */
export interface SandboxHandle {
  /** `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  /** The eight variables of design.md §7 (plus the client secret), for the current world. */
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
  /** Stops serving, cuts open connections and waits for pending writes. */
  close(): Promise<void>;
}

/** A mounted service: its counters name and its error body shape for answers the server makes itself. */
interface ServiceSpec {
  mount: string;
  errorBody(status: number, message: string): unknown;
}

/** The error shapes of each service, used for 400/404/405/500 and injected errors the server answers itself. */
const SERVICES = {
  // GitHub `basic-error`: https://docs.github.com/rest/using-the-rest-api/troubleshooting-the-rest-api
  github: { mount: MOUNTS.github, errorBody: (status, message) => ({ message, documentation_url: "https://docs.github.com/rest", status: String(status) }) },
  // Bitbucket Cloud's error object: https://developer.atlassian.com/cloud/bitbucket/rest/intro/#standardized-error-responses
  bitbucket: { mount: MOUNTS.bitbucket, errorBody: (_status, message) => ({ type: "error", error: { message } }) },
  // Django REST framework's `{detail}`, which the reference contract uses.
  "build-service": { mount: MOUNTS.buildService, errorBody: (_status, message) => ({ detail: message }) },
} satisfies Record<ServiceName, ServiceSpec>;

const METHODS: ReadonlySet<string> = new Set<Method>(["GET", "POST", "PUT", "PATCH", "DELETE"]);
const MAX_BODY_BYTES = 64 * 1024 * 1024;

interface Mounted {
  router: Router;
  /** null for the admin API. */
  service: ServiceName | null;
}

/** The demo seed's path, next to this module in the source tree (and found from `dist/tools/sandbox/` too). */
export function demoSeedPath(): string {
  const candidates = ["./worlds/demo.yaml", "../../../tools/sandbox/worlds/demo.yaml"].map((p) => fileURLToPath(new URL(p, import.meta.url)));
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

  const quiet = options.quiet ?? true;
  const clock = new SandboxClock(options.timeScale ?? 1, options.now);
  const counters = new Counters();
  const faults = new Faults();
  const limiter = new GitHubLimiter(clock, counters, options.limits);
  let baseUrl = "";

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
    env: () => sandboxEnv(baseUrl, world),
    counters,
    faults,
    limiter,
  };

  const admin = adminRouter(control);
  const mounted: Mounted[] = [
    { router: admin, service: null },
    ...[githubRouter({ limiter, callerOf: (authorization) => identify(authorization, world) }), bitbucketRouter(), buildServiceRouter(), ...(options.routers ?? [])].map((router) => ({ router, service: serviceOf(router.mount) })),
  ].sort((a, b) => b.router.mount.length - a.router.mount.length);

  /** Pending injected timeouts, released on close. */
  const holds = new Set<() => void>();

  const server: Server = createServer((req, res) => {
    const started = performance.now();
    handle(req, res).then(
      () => {
        if (!quiet) log(req, res.statusCode, performance.now() - started);
      },
      (error: unknown) => {
        // A bug in the pipeline itself: answer if still possible, and say so on stderr.
        process.stderr.write(`sandbox: ${req.method} ${redactUrl(baseUrl + (req.url ?? ""))} failed: ${String(error instanceof Error ? error.stack : error)}\n`);
        if (!res.headersSent) send(res, 500, {}, { message: "sandbox: internal error" });
        else res.destroy();
      },
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", baseUrl);
    const path = url.pathname;
    const entry = mounted.find((m) => path === m.router.mount || path.startsWith(`${m.router.mount}/`));
    const raw = await readBody(req);
    if (!entry) return send(res, 404, {}, { message: "Not Found" });
    const { router, service } = entry;
    const errorBody = (status: number, message: string): unknown =>
      service ? SERVICES[service].errorBody(status, message) : { message };

    const method = req.method ?? "GET";
    if (!METHODS.has(method)) return send(res, 405, { allow: [...METHODS].join(", ") }, errorBody(405, `Method ${method} not allowed`));
    const m = method as Method;
    const rel = path.slice(router.mount.length) || "/";
    const match = router.match(m, rel);
    let body: unknown;
    const parseBody = (): string | null => {
      if (raw === "too-large") return "Request body too large";
      if (raw.length === 0) return null;
      try {
        body = JSON.parse(raw.toString("utf8"));
        return null;
      } catch {
        // GitHub's wording for a malformed JSON body; the parse error itself carries nothing useful.
        return "Problems parsing JSON";
      }
    };
    const ctx = (params: Record<string, string>): RouteContext => ({
      method: m, url, params, headers: req.headers, body, world, mountUrl: `${baseUrl}${router.mount}`,
    });

    if (service === null) {
      const invalid = parseBody();
      if (invalid) return send(res, 400, {}, { message: invalid });
      if (match === undefined || match === "method-not-allowed") return send(res, 404, {}, { message: "Not Found" });
      const r = await match.handler(ctx(match.params));
      return send(res, r.status, r.headers ?? {}, r.body);
    }

    const endpoint = `${m} ${router.mount}${typeof match === "object" ? match.pattern : "/(unmatched)"}`;
    counters.request(service, endpoint);
    const isGitHub = service === "github";
    const caller = isGitHub ? identify(req.headers.authorization, world) : null;
    const reply = (status: number, headers: Record<string, string>, replyBody: unknown): void => {
      counters.response(status);
      send(res, status, caller ? { ...headers, ...limiter.headers(caller, endpoint) } : headers, replyBody);
    };
    // Malformed bodies are refused before any budget is spent or any handler runs.
    const invalid = parseBody();
    if (invalid) {
      const status = raw === "too-large" ? 413 : 400;
      return reply(status, {}, errorBody(status, invalid));
    }

    if (isGitHub) {
      const refused = limiter.enter();
      if (refused) {
        counters.rejection(refused.reason);
        return reply(refused.status, refused.headers, rateLimitBody(refused.message));
      }
    }
    try {
      const decision = faults.decide(service, m, path);
      if (decision.latencyMs > 0) await sleep(decision.latencyMs);
      const outcome = decision.outcome;
      if (outcome.kind !== "pass") counters.rejection("injected");
      switch (outcome.kind) {
        case "timeout":
          await hold(outcome.afterMs, res);
          counters.response(0);
          req.socket.destroy();
          return;
        case "drop":
          counters.response(0);
          req.socket.destroy();
          return;
        case "error":
          return reply(outcome.status, {}, errorBody(outcome.status, `sandbox: injected ${outcome.status}`));
        case "rate-limit": {
          const headers = { "retry-after": String(outcome.retryAfterSeconds) };
          if (isGitHub) return reply(outcome.status, headers, rateLimitBody("You have exceeded a secondary rate limit. Please wait a few minutes before you try again. (sandbox: injected)"));
          return reply(429, headers, errorBody(429, "Rate limit for this resource has been exceeded (sandbox: injected)"));
        }
        case "pass":
        case "lost-response":
          break;
      }
      if (caller) {
        const refused = limiter.admit(caller, m, endpoint);
        if (refused) {
          counters.rejection(refused.reason);
          return reply(refused.status, refused.headers, rateLimitBody(refused.message));
        }
      }
      let result: RouteResponse;
      if (match === undefined) result = { status: 404, body: errorBody(404, "Not Found") };
      else if (match === "method-not-allowed") result = { status: 405, body: errorBody(405, `Method ${m} not allowed on ${rel}`) };
      else {
        try {
          result = await match.handler(ctx(match.params));
        } catch (error) {
          // A handler bug: answer 500 in the service's shape and report it; the world is not persisted.
          process.stderr.write(`sandbox: handler for ${endpoint} threw: ${String(error instanceof Error ? error.stack : error)}\n`);
          result = { status: 500, body: errorBody(500, `sandbox: handler error: ${error instanceof Error ? error.message : String(error)}`) };
        }
      }
      if (caller) limiter.charge(caller, result.status, endpoint);
      if (m !== "GET" && result.status < 400) await store.save(world);
      if (outcome.kind === "lost-response") {
        // The change is made and durable; only the answer is lost, as when a proxy drops the connection.
        counters.response(0);
        req.socket.destroy();
        return;
      }
      return reply(result.status, result.headers ?? {}, result.body);
    } finally {
      if (isGitHub) limiter.leave();
    }
  }

  function hold(ms: number, res: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        holds.delete(done);
        res.off("close", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      holds.add(done);
      res.on("close", done);
    });
  }

  function log(req: IncomingMessage, status: number, ms: number): void {
    process.stderr.write(`${req.method} ${redactUrl(baseUrl + (req.url ?? ""))} ${status} ${ms.toFixed(1)}ms\n`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    get env() {
      return sandboxEnv(baseUrl, world);
    },
    world: () => world,
    reset: () => control.reset(),
    counters: () => counters.snapshot(),
    injectFault: (spec) => {
      faults.add(spec);
    },
    clearFaults: () => faults.clear(),
    setLimits: (change) => limiter.configure(change),
    close: async () => {
      const closed = new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
      for (const release of [...holds]) release();
      server.closeAllConnections();
      await closed;
      await store.close();
    },
  };
}

/** Which service a router mount belongs to (`/github/...` is GitHub). */
function serviceOf(mount: string): ServiceName {
  for (const [name, spec] of Object.entries(SERVICES) as [ServiceName, ServiceSpec][]) {
    if (mount === spec.mount || mount.startsWith(`${spec.mount}/`)) return name;
  }
  throw new Error(`sandbox: router mount "${mount}" is not under ${Object.values(SERVICES).map((s) => s.mount).join(", ")}`);
}

/** Who a GitHub request is charged to; labels never contain the credential. */
function identify(authorization: string | undefined, world: World): Caller {
  if (!authorization) return { key: "anonymous", label: "anonymous", userId: null };
  const [scheme = "", value = ""] = authorization.trim().split(/\s+/, 2);
  if (/^basic$/i.test(scheme)) {
    const clientId = Buffer.from(value, "base64").toString("utf8").split(":")[0] ?? "";
    return { key: `app:${clientId}`, label: `app:${clientId}`, userId: null };
  }
  const hash = createHash("sha256").update(value).digest("hex");
  const token = world.github.tokens.find((t) => t.token === value);
  if (!token) return { key: `t:${hash}`, label: `unknown#${hash.slice(0, 8)}`, userId: null };
  const userId = world.github.accounts.find((a) => a.login === token.login)?.id ?? null;
  return { key: `t:${hash}`, label: `${token.kind}:${token.login}#${hash.slice(0, 8)}`, userId };
}

async function readBody(req: IncomingMessage): Promise<Buffer | "too-large"> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) return "too-large";
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  let payload: string | undefined;
  // 204 and 304 never carry a body (RFC 9110 §15.3.5, §15.4.5).
  if (status !== 204 && status !== 304 && body !== undefined) {
    if (typeof body === "string") {
      payload = body;
      out["content-type"] ??= "text/plain; charset=utf-8";
    } else {
      payload = JSON.stringify(body);
      out["content-type"] ??= "application/json; charset=utf-8";
    }
    out["content-length"] = String(Buffer.byteLength(payload));
  }
  res.writeHead(status, out);
  res.end(payload);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
