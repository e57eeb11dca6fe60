/**
 * The sandbox's request pipeline: route by mount → parse JSON (400 when invalid) → match → [GitHub:
 * concurrency slot] → injected latency and faults → [GitHub: primary and secondary budgets] → handler →
 * [GitHub: charge the primary point unless 304; x-ratelimit-* headers] → persist → serialize. On
 * Bitbucket, a webhook listing or write is counted (or refused 429) against its caller's webhook-data
 * limit after the faults, and its answer carries Bitbucket's x-ratelimit-* headers.
 * An injected lost response is the one fault applied after the handler: the change is persisted,
 * then the connection is closed without an answer. The admin API skips counters, limits and faults.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { identify } from "./caller.js";
import type { Counters, ServiceName } from "./counters.js";
import { injectFault, type Reply } from "./fault-injection.js";
import type { Faults } from "./faults.js";
import type { Holds } from "./holds.js";
import { parseJsonBody, parseRequestBody, readBody, send } from "./http-io.js";
import { rateLimitBody, type Caller, type GitHubLimiter, type Rejection } from "./limits.js";
import { bitbucketRateKey, type BitbucketLimiter } from "./bitbucket/limits.js";
import { findMount, type Mounted } from "./mounts.js";
import type { SandboxClock } from "./clock.js";
import type { Method, RouteContext, RouteMatch, RouteResponse, Router } from "./router.js";
import { errorBodyOf } from "./services.js";
import type { StateStore } from "./store.js";
import type { World } from "./world.js";

/** What every request of one sandbox shares. */
export interface SandboxState {
  /** `http://127.0.0.1:PORT`, set once the server listens. */
  baseUrl: string;
  /** The live world (replaced by a seed or a reset). */
  world(): World;
  readonly store: StateStore;
  readonly counters: Counters;
  readonly faults: Faults;
  readonly limiter: GitHubLimiter;
  /** Bitbucket's webhook-data limit (bitbucket/limits.ts). */
  readonly bitbucketLimiter: BitbucketLimiter;
  readonly mounted: readonly Mounted[];
  readonly holds: Holds;
  /** How an injected latency waits (a timer, or a test's own wait). */
  readonly latencyWait: (ms: number) => Promise<void>;
  /** The sandbox clock (injectable): token expiry and JWT dates are judged on it. */
  readonly clock: SandboxClock;
}

const METHODS: ReadonlySet<string> = new Set<Method>(["GET", "POST", "PUT", "PATCH", "DELETE"]);

/** One request, routed to its mount and matched, body read but not yet parsed. */
interface Routed {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  method: Method;
  /** The path relative to the router's mount. */
  rel: string;
  router: Router;
  match: RouteMatch | "method-not-allowed" | undefined;
  raw: Buffer | "too-large";
}

/** Serves one request. Throws only on a bug in the pipeline itself (the server answers 500 then). */
export async function handleRequest(state: SandboxState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", state.baseUrl);
  const entry = findMount(state.mounted, url.pathname);
  const raw = await readBody(req);
  if (!entry) return send(res, 404, {}, { message: "Not Found" });
  const method = req.method ?? "GET";
  if (!METHODS.has(method))
    return send(res, 405, { allow: [...METHODS].join(", ") }, errorBodyOf(entry.service, 405, `Method ${method} not allowed`));
  const rel = url.pathname.slice(entry.router.mount.length) || "/";
  const routed: Routed = {
    req,
    res,
    url,
    method: method as Method,
    rel,
    router: entry.router,
    match: entry.router.match(method as Method, rel),
    raw,
  };
  return entry.service === null ? serveAdmin(state, routed) : serveService(state, routed, entry.service);
}

/** The admin API: no counters, limits or faults; unknown paths and methods are 404. */
async function serveAdmin(state: SandboxState, routed: Routed): Promise<void> {
  const { res, match } = routed;
  const parsed = parseJsonBody(routed.raw);
  if ("invalid" in parsed) return send(res, 400, {}, { message: parsed.invalid });
  if (match === undefined || match === "method-not-allowed") return send(res, 404, {}, { message: "Not Found" });
  const r = await match.handler(routeContext(state, routed, match.params, parsed.body));
  return send(res, r.status, r.headers ?? {}, r.body);
}

/** A fake service's request, through counters, GitHub's limits, injected faults, the handler and persistence. */
async function serveService(state: SandboxState, routed: Routed, service: ServiceName): Promise<void> {
  const { req, res, method, match } = routed;
  const endpoint = `${method} ${routed.router.mount}${typeof match === "object" ? match.pattern : "/(unmatched)"}`;
  state.counters.request(service, endpoint);
  const caller = service === "github" ? identify(req.headers.authorization, state.world()) : null;
  const bitbucketCaller =
    service === "bitbucket" && state.bitbucketLimiter.counts(endpoint) ? bitbucketRateKey(req.headers.authorization, state.world()) : null;
  const reply = replier(state, res, caller, endpoint, bitbucketCaller);
  // Malformed bodies are refused before any budget is spent or any handler runs.
  const parsed = parseRequestBody(routed.raw, req.headers["content-type"]);
  if ("invalid" in parsed) {
    const status = routed.raw === "too-large" ? 413 : 400;
    return reply(status, {}, errorBodyOf(service, status, parsed.invalid));
  }
  if (caller && refuse(state, reply, state.limiter.enter())) return;
  try {
    const fault = await injectFault(state, service, method, routed.url.pathname, { req, res, reply });
    if (fault === "answered") return;
    if (caller && refuse(state, reply, state.limiter.admit(caller, method, endpoint))) return;
    if (bitbucketCaller !== null) {
      const refused = state.bitbucketLimiter.admit(bitbucketCaller);
      if (refused) return reply(refused.status, refused.headers, errorBodyOf(service, refused.status, refused.message));
    }
    const result = await runRoute(state, routed, service, endpoint, parsed.body);
    if (caller) state.limiter.charge(caller, result.status, endpoint);
    if (method !== "GET" && result.status < 400) await state.store.save(state.world());
    if (fault === "lost-response") {
      // The change is made and durable; only the answer is lost, as when a proxy drops the connection.
      state.counters.response(0);
      req.socket.destroy();
      return;
    }
    return reply(result.status, result.headers ?? {}, result.body);
  } finally {
    if (caller) state.limiter.leave();
  }
}

/** The handler's answer, or the 404/405 of an unmatched request, or a 500 when the handler throws. */
async function runRoute(
  state: SandboxState,
  routed: Routed,
  service: ServiceName,
  endpoint: string,
  body: unknown,
): Promise<RouteResponse> {
  const { match, method, rel } = routed;
  if (match === undefined) return { status: 404, body: errorBodyOf(service, 404, "Not Found") };
  if (match === "method-not-allowed") return { status: 405, body: errorBodyOf(service, 405, `Method ${method} not allowed on ${rel}`) };
  try {
    return await match.handler(routeContext(state, routed, match.params, body));
  } catch (error) {
    // A handler bug: answer 500 in the service's shape and report it; the world is not persisted.
    process.stderr.write(`sandbox: handler for ${endpoint} threw: ${String(error instanceof Error ? error.stack : error)}\n`);
    return {
      status: 500,
      body: errorBodyOf(service, 500, `sandbox: handler error: ${error instanceof Error ? error.message : String(error)}`),
    };
  }
}

/** Answers GitHub's limiter refusal, if any, counting it; true when refused. */
function refuse(state: SandboxState, reply: Reply, refused: Rejection | null): boolean {
  if (!refused) return false;
  state.counters.rejection(refused.reason);
  reply(refused.status, refused.headers, rateLimitBody(refused.message));
  return true;
}

/**
 * Sends a service's answers: counts each status and adds the caller's x-ratelimit-* headers on GitHub,
 * and on Bitbucket's webhook data.
 */
function replier(state: SandboxState, res: ServerResponse, caller: Caller | null, endpoint: string, bitbucketCaller: string | null): Reply {
  return (status, headers, body) => {
    state.counters.response(status);
    // `Date` on the sandbox clock, as GitHub's is on its own: a client dating an audit log cursor by it agrees with the events' times.
    const dated = { date: new Date(state.clock.now()).toUTCString(), ...headers };
    const limits = caller
      ? state.limiter.headers(caller, endpoint)
      : bitbucketCaller !== null
        ? state.bitbucketLimiter.headers(bitbucketCaller)
        : {};
    send(res, status, { ...dated, ...limits }, body);
  };
}

function routeContext(state: SandboxState, routed: Routed, params: Record<string, string>, body: unknown): RouteContext {
  const { method, url, req, router } = routed;
  return {
    method,
    url,
    params,
    headers: req.headers,
    body,
    world: state.world(),
    mountUrl: `${state.baseUrl}${router.mount}`,
    clock: state.clock,
  };
}
