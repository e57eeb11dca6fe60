/**
 * Fault injection (`POST /_sandbox/faults`): latency, server errors, rate-limit answers, dropped
 * connections, lost responses and timeouts on matching requests. Rules are tried in the order they
 * were added; the first matching rule with requests left decides.
 *
 * With a seed, what happens to a request is a function of the seed, the request's method and path,
 * and how many times that rule has seen that method and path: not of arrival order. A client that
 * sends requests concurrently (in whatever interleaving) meets the same faults on every run, so a
 * failure reproduces.
 */
import type { ServiceName } from "./counters.js";
import type { Method } from "./router.js";
import { SourcelinksError } from "../engine/model/errors.js";

/** A fault rule as posted to `/_sandbox/faults`. Rates are probabilities in [0, 1] and must sum to ≤ 1 (one draw picks timeout, drop, lost response, rate limit or error, in that order). */
export interface FaultSpec {
  /** Added before every matching request is handled (real milliseconds, not time-scaled). */
  latencyMs?: number;
  /** Probability of answering `errorStatus` (default 500) in the service's error shape. */
  errorRate?: number;
  errorStatus?: number;
  /** Probability of a rate-limit answer: GitHub's secondary-limit 403/429, 429 elsewhere, with `retry-after`. */
  rateLimitRate?: number;
  /** `retry-after` of injected rate-limit answers, in real seconds (default 1). */
  retryAfterSeconds?: number;
  /** Probability of never answering: the socket is closed after `timeoutMs` (default 30000). */
  timeoutRate?: number;
  timeoutMs?: number;
  /** Probability of a dropped connection: the socket is closed at once and the request is not handled. */
  dropRate?: number;
  /**
   * Probability of a lost response: the request is handled and its change persisted, then the socket
   * is closed before the answer is written. The case a client must never resend a `POST` blindly on.
   */
  lostResponseRate?: number;
  /** Which requests the rule applies to; `pathPrefix` is the full path, mount included (`/github/repos/acme`). */
  match?: { service?: ServiceName; method?: Method; pathPrefix?: string };
  /** Apply only to the next N matching requests, then expire. */
  count?: number;
  /** PRNG seed, for a deterministic sequence of outcomes. */
  seed?: number;
}

/** What happens to one request. */
export type FaultOutcome =
  | { kind: "pass" }
  | { kind: "error"; status: number }
  | { kind: "rate-limit"; status: 403 | 429; retryAfterSeconds: number }
  | { kind: "timeout"; afterMs: number }
  | { kind: "drop" }
  | { kind: "lost-response" };

/** The injected delay and outcome for one request. */
export interface FaultDecision {
  latencyMs: number;
  outcome: FaultOutcome;
}

/** A rule as listed back by the admin API. */
export interface FaultRuleView {
  id: number;
  spec: FaultSpec;
  /** Matching requests left, or null for unlimited. */
  remaining: number | null;
}

/** A fault spec that cannot be applied; the message says which field and why. */
export class FaultSpecError extends SourcelinksError {
  override readonly name = "FaultSpecError";
  readonly kind = "input";
}

interface Rule {
  id: number;
  spec: FaultSpec;
  remaining: number | null;
  seed: number;
  /** How many times the rule has decided for each `METHOD path`. */
  seen: Map<string, number>;
}

const PASS: FaultDecision = { latencyMs: 0, outcome: { kind: "pass" } };

/** The fault rules of one sandbox server. */
export class Faults {
  #rules: Rule[] = [];
  #nextId = 1;

  /** Validates and adds a rule; returns its view. */
  add(spec: FaultSpec): FaultRuleView {
    validate(spec);
    const rule: Rule = {
      id: this.#nextId++,
      spec: structuredClone(spec),
      remaining: spec.count ?? null,
      seed: spec.seed ?? Math.floor(Math.random() * 2 ** 32),
      seen: new Map(),
    };
    this.#rules.push(rule);
    return view(rule);
  }

  /** Removes every rule. */
  clear(): void {
    this.#rules = [];
  }

  /** The active rules. */
  list(): FaultRuleView[] {
    return this.#rules.map(view);
  }

  /** Decides what happens to a request, consuming one use of the deciding rule. */
  decide(service: ServiceName, method: Method, path: string): FaultDecision {
    const rule = this.#rules.find((r) => matches(r.spec, service, method, path));
    if (!rule) return PASS;
    if (rule.remaining !== null && --rule.remaining <= 0) this.#rules = this.#rules.filter((r) => r !== rule);
    const s = rule.spec;
    const request = `${method} ${path}`;
    const occurrence = (rule.seen.get(request) ?? 0) + 1;
    rule.seen.set(request, occurrence);
    const random = mulberry32(hash32(`${rule.seed}\u0000${request}\u0000${occurrence}`));
    const roll = random();
    let edge = s.timeoutRate ?? 0;
    let outcome: FaultOutcome = { kind: "pass" };
    if (roll < edge) {
      outcome = { kind: "timeout", afterMs: s.timeoutMs ?? 30_000 };
    } else if (roll < (edge += s.dropRate ?? 0)) {
      outcome = { kind: "drop" };
    } else if (roll < (edge += s.lostResponseRate ?? 0)) {
      outcome = { kind: "lost-response" };
    } else if (roll < (edge += s.rateLimitRate ?? 0)) {
      // GitHub answers secondary limits with either 403 or 429; a second draw picks one.
      outcome = { kind: "rate-limit", status: random() < 0.5 ? 403 : 429, retryAfterSeconds: s.retryAfterSeconds ?? 1 };
    } else if (roll < (edge += s.errorRate ?? 0)) {
      outcome = { kind: "error", status: s.errorStatus ?? 500 };
    }
    return { latencyMs: s.latencyMs ?? 0, outcome };
  }
}

function matches(spec: FaultSpec, service: ServiceName, method: Method, path: string): boolean {
  const m = spec.match;
  if (!m) return true;
  return (
    (m.service === undefined || m.service === service) &&
    (m.method === undefined || m.method === method) &&
    (m.pathPrefix === undefined || path.startsWith(m.pathPrefix))
  );
}

function view(rule: Rule): FaultRuleView {
  return { id: rule.id, spec: structuredClone(rule.spec), remaining: rule.remaining };
}

const RATE_KEYS = ["errorRate", "rateLimitRate", "timeoutRate", "dropRate", "lostResponseRate"] as const;
const NUMBER_KEYS = [...RATE_KEYS, "latencyMs", "errorStatus", "retryAfterSeconds", "timeoutMs", "count", "seed"] as const;
const SPEC_KEYS: ReadonlySet<string> = new Set([...NUMBER_KEYS, "match"]);
const MATCH_KEYS = new Set(["service", "method", "pathPrefix"]);
const SERVICES = new Set(["github", "bitbucket", "build-service", "docker-hub"]);
const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);

/** Parses an admin request body into a fault spec. */
export function parseFaultSpec(body: unknown): FaultSpec {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new FaultSpecError("fault: body must be a JSON object");
  const spec = body as Record<string, unknown>;
  for (const key of Object.keys(spec)) if (!SPEC_KEYS.has(key)) throw new FaultSpecError(`fault: unknown field "${key}"`);
  const match = spec["match"];
  if (match !== undefined) {
    if (typeof match !== "object" || match === null || Array.isArray(match)) throw new FaultSpecError("fault: match must be an object");
    const m = match as Record<string, unknown>;
    for (const key of Object.keys(m)) if (!MATCH_KEYS.has(key)) throw new FaultSpecError(`fault: unknown field "match.${key}"`);
    if (m["service"] !== undefined && !SERVICES.has(String(m["service"])))
      throw new FaultSpecError("fault: match.service must be github, bitbucket, build-service or docker-hub");
    if (m["method"] !== undefined && !METHODS.has(String(m["method"])))
      throw new FaultSpecError("fault: match.method must be GET, POST, PUT, PATCH or DELETE");
    if (m["pathPrefix"] !== undefined && typeof m["pathPrefix"] !== "string")
      throw new FaultSpecError("fault: match.pathPrefix must be a string");
  }
  for (const key of NUMBER_KEYS) {
    if (spec[key] !== undefined && typeof spec[key] !== "number") throw new FaultSpecError(`fault: ${key} must be a number`);
  }
  const parsed = spec as FaultSpec;
  validate(parsed);
  return parsed;
}

function validate(spec: FaultSpec): void {
  let total = 0;
  for (const name of RATE_KEYS) {
    const rate = spec[name];
    if (rate !== undefined && !(rate >= 0 && rate <= 1)) throw new FaultSpecError(`fault: ${name} must be between 0 and 1`);
    total += rate ?? 0;
  }
  if (total > 1 + 1e-9) throw new FaultSpecError(`fault: ${RATE_KEYS.join(" + ")} must not exceed 1`);
  if (spec.errorStatus !== undefined && !(Number.isInteger(spec.errorStatus) && spec.errorStatus >= 400 && spec.errorStatus <= 599)) {
    throw new FaultSpecError("fault: errorStatus must be an HTTP error status (400-599)");
  }
  for (const [name, n] of [
    ["latencyMs", spec.latencyMs],
    ["timeoutMs", spec.timeoutMs],
    ["retryAfterSeconds", spec.retryAfterSeconds],
  ] as const) {
    if (n !== undefined && !(Number.isInteger(n) && n >= 0)) throw new FaultSpecError(`fault: ${name} must be a non-negative integer`);
  }
  if (spec.count !== undefined && !(Number.isInteger(spec.count) && spec.count >= 1))
    throw new FaultSpecError("fault: count must be a positive integer");
  if (spec.seed !== undefined && !Number.isInteger(spec.seed)) throw new FaultSpecError("fault: seed must be an integer");
}

/** FNV-1a, 32 bits: a request's identity as a PRNG seed. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A small, fast, seedable PRNG (mulberry32); uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
