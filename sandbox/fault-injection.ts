/**
 * Applies the injected fault (faults.ts) of one service request before its handler runs: the latency,
 * then an error, a rate-limit answer, a held or dropped connection. An injected lost response is
 * applied by the pipeline after the handler (the change is made, only the answer is lost).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Counters, ServiceName } from "./counters.js";
import type { Faults } from "./faults.js";
import type { Holds } from "./holds.js";
import { rateLimitBody } from "./limits.js";
import type { Method } from "./router.js";
import { errorBodyOf } from "./services.js";

/** Answers a service request: counts the status and adds GitHub's rate-limit headers where they apply. */
export type Reply = (status: number, headers: Record<string, string>, body: unknown) => void;

/** What injectFault needs of the sandbox. */
export interface FaultSite {
  readonly faults: Faults;
  readonly counters: Counters;
  readonly holds: Holds;
  /** How an injected latency waits. */
  readonly latencyWait: (ms: number) => Promise<void>;
}

/**
 * `answered` when the fault answered or cut the request itself; otherwise whether the handler's
 * answer is to be sent (`pass`) or lost after the change is made (`lost-response`).
 */
export async function injectFault(
  site: FaultSite,
  service: ServiceName,
  method: Method,
  path: string,
  exchange: { req: IncomingMessage; res: ServerResponse; reply: Reply },
): Promise<"answered" | "pass" | "lost-response"> {
  const { req, res, reply } = exchange;
  const decision = site.faults.decide(service, method, path);
  if (decision.latencyMs > 0) await site.latencyWait(decision.latencyMs);
  const outcome = decision.outcome;
  if (outcome.kind !== "pass") site.counters.rejection("injected");
  switch (outcome.kind) {
    case "timeout":
      await site.holds.hold(outcome.afterMs, res);
      site.counters.response(0);
      req.socket.destroy();
      return "answered";
    case "drop":
      site.counters.response(0);
      req.socket.destroy();
      return "answered";
    case "error":
      reply(outcome.status, {}, errorBodyOf(service, outcome.status, `sandbox: injected ${outcome.status}`));
      return "answered";
    case "rate-limit": {
      const headers = { "retry-after": String(outcome.retryAfterSeconds) };
      if (service === "github") {
        reply(
          outcome.status,
          headers,
          rateLimitBody("You have exceeded a secondary rate limit. Please wait a few minutes before you try again. (sandbox: injected)"),
        );
      } else {
        reply(429, headers, errorBodyOf(service, 429, "Rate limit for this resource has been exceeded (sandbox: injected)"));
      }
      return "answered";
    }
    case "pass":
    case "lost-response":
      return outcome.kind;
  }
}
