import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JsonHttp, parseRetryAfter } from "../../engine/clients/json-http.js";

/**
 * A loopback server answering from a script: each request takes the next scripted reply (the last
 * repeats). A reply with `hold` waits unanswered in `held` until the test calls it.
 */
let server: Server;
let url: string;
let script: { status: number; headers?: Record<string, string>; body?: unknown; hold?: boolean }[];
let received: string[];
let inFlight: number;
let maxInFlight: number;
let held: (() => void)[];
/** Tests waiting for the `count`th request to arrive. */
let waiting: { count: number; resolve: () => void }[];

beforeEach(async () => {
  script = [{ status: 200, body: { ok: true } }];
  received = [];
  inFlight = 0;
  maxInFlight = 0;
  held = [];
  waiting = [];
  server = createServer((req, res) => {
    received.push(req.method!);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const reply = script.length > 1 ? script.shift()! : script[0]!;
    const answer = (): void => {
      inFlight--;
      res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
      res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
    };
    if (reply.hold) held.push(answer);
    else answer();
    for (const w of waiting.filter((w) => received.length >= w.count)) w.resolve();
    waiting = waiting.filter((w) => received.length < w.count);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
});
afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Resolves once `count` requests have reached the server. */
function arrivals(count: number): Promise<void> {
  if (received.length >= count) return Promise.resolve();
  return new Promise((resolve) => waiting.push({ count, resolve }));
}

function transport(overrides: { retries?: number; concurrency?: number; fetch?: typeof fetch } = {}): { http: JsonHttp; sleeps: number[] } {
  const sleeps: number[] = [];
  const http = new JsonHttp({
    service: "bitbucket",
    authorization: null,
    errorDetail: () => null,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
  return { http, sleeps };
}

describe.each([503, 429])("a %i answer", (status) => {
  it("is retried for GET after the server's retry-after", async () => {
    script = [
      { status, headers: { "retry-after": "3" } },
      { status: 200, body: { ok: true } },
    ];
    const { http, sleeps } = transport();
    expect((await http.request("GET", url)).body).toEqual({ ok: true });
    expect(sleeps).toEqual([3000]);
    expect(received).toEqual(["GET", "GET"]);
  });

  it("is retried for DELETE with exponential backoff when no retry-after is given, then thrown once retries run out", async () => {
    script = [{ status }];
    const { http, sleeps } = transport({ retries: 2 });
    await expect(http.request("DELETE", url)).rejects.toMatchObject({ status, method: "DELETE" });
    expect(sleeps).toEqual([250, 500]);
    expect(received).toEqual(["DELETE", "DELETE", "DELETE"]);
  });
});

describe("resending only what is safe to resend", () => {
  it("does not resend a POST after a 503: the server may have acted on it", async () => {
    script = [{ status: 503, headers: { "retry-after": "1" } }];
    const { http, sleeps } = transport();
    await expect(http.request("POST", url, {})).rejects.toMatchObject({ status: 503 });
    expect(sleeps).toEqual([]);
    expect(received).toEqual(["POST"]);
  });

  it("does not resend a POST whose answer never came", async () => {
    server.removeAllListeners("request");
    server.on("request", (req) => {
      received.push(req.method!);
      req.socket.destroy();
    });
    const { http } = transport();
    await expect(http.request("POST", url, {})).rejects.toMatchObject({ status: 0 });
    expect(received).toEqual(["POST"]);
  });

  it("resends a POST refused with 429, which the server did not act on", async () => {
    script = [
      { status: 429, headers: { "retry-after": "1" } },
      { status: 201, body: { id: "1" } },
    ];
    const { http, sleeps } = transport();
    expect((await http.request("POST", url, {})).status).toBe(201);
    expect(sleeps).toEqual([1000]);
    expect(received).toEqual(["POST", "POST"]);
  });

  it("resends a PUT (idempotent by method) and a PATCH that declares itself idempotent, but not a plain PATCH", async () => {
    script = [{ status: 502 }, { status: 200, body: {} }];
    await transport().http.request("PUT", url, {});
    script = [{ status: 502 }, { status: 200, body: {} }];
    await transport().http.request("PATCH", url, { state: "disabled" }, { idempotent: true });
    script = [{ status: 502 }, { status: 200, body: {} }];
    await expect(transport().http.request("PATCH", url, { state: "disabled" })).rejects.toMatchObject({ status: 502 });
    expect(received).toEqual(["PUT", "PUT", "PATCH", "PATCH", "PATCH"]);
  });
});

describe("bounds", () => {
  it("does not wait for a retry-after beyond the cap", async () => {
    script = [{ status: 429, headers: { "retry-after": "3600" } }];
    const { http, sleeps } = transport();
    await expect(http.request("GET", url)).rejects.toMatchObject({ status: 429, retryAfterSeconds: 3600 });
    expect(sleeps).toEqual([]);
  });

  it("does not retry a 4xx other than 429", async () => {
    script = [{ status: 404 }];
    const { http, sleeps } = transport();
    await expect(http.request("GET", url)).rejects.toMatchObject({ status: 404, isGone: true });
    expect(sleeps).toEqual([]);
  });

  it("keeps at most `concurrency` requests in flight", async () => {
    script = [{ status: 200, body: {}, hold: true }];
    // Counted where the client hands a request to fetch: a client without the bound would have started
    // all six before the server could see the second, so the count is exact, whatever the load.
    let sending = 0;
    let mostSending = 0;
    const counting: typeof fetch = async (input, init) => {
      mostSending = Math.max(mostSending, ++sending);
      try {
        return await fetch(input, init);
      } finally {
        sending--;
      }
    };
    const { http } = transport({ concurrency: 2, fetch: counting });
    const all = Promise.all(Array.from({ length: 6 }, () => http.request("GET", url)));
    // Answered one at a time, each once the next has arrived: two are always in flight, never three.
    for (let count = 2; count <= 6; count++) {
      await arrivals(count);
      expect(sending).toBe(2);
      held.shift()?.();
    }
    for (const answer of held.splice(0)) answer();
    await all;
    expect(received).toHaveLength(6);
    expect(maxInFlight).toBe(2);
    expect(mostSending).toBe(2);
  });
});

describe("parseRetryAfter", () => {
  it("reads delay-seconds and HTTP-dates (RFC 9110 §10.2.3)", () => {
    expect(parseRetryAfter("120")).toBe(120);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", Date.parse("Wed, 21 Oct 2015 07:28:00 GMT"))).toBe(30);
    expect(parseRetryAfter("soon")).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });
});
