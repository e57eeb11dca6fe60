import { afterEach, describe, expect, it } from "vitest";
import { Faults, mulberry32 } from "../../sandbox/faults.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { testGitHubRouter } from "../support/core-harness.js";

const open: SandboxHandle[] = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

async function start(): Promise<SandboxHandle> {
  const sandbox = await startSandbox({ routers: [testGitHubRouter()] });
  open.push(sandbox);
  return sandbox;
}

async function statuses(sandbox: SandboxHandle, path: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await fetch(`${sandbox.baseUrl}${path}`)).status);
  return out;
}

describe("fault injection", () => {
  it("adds latency to matching requests only: a delayed request finishes after a later, undelayed one", async () => {
    // The latency waits on the test, not on a timer: the order is fixed whatever the machine's load.
    const waits: number[] = [];
    let endWait!: () => void;
    let startedWait!: () => void;
    const waiting = new Promise<void>((resolve) => (startedWait = resolve));
    const sandbox = await startSandbox({
      routers: [testGitHubRouter()],
      latencyWait: (ms) => {
        waits.push(ms);
        startedWait();
        return new Promise((resolve) => (endWait = resolve));
      },
    });
    open.push(sandbox);
    sandbox.injectFault({ latencyMs: 300, match: { pathPrefix: "/github/_test/items/slow" } });
    const order: string[] = [];
    const delayed = fetch(`${sandbox.baseUrl}/github/_test/items/slow`).then((r) => order.push(`delayed ${r.status}`));
    await Promise.race([waiting, delayed]);
    expect(waits).toEqual([300]);
    const quick = await fetch(`${sandbox.baseUrl}/github/_test/items/quick`);
    order.push(`quick ${quick.status}`);
    expect(waits).toEqual([300]);
    endWait();
    await delayed;
    expect(order).toEqual(["quick 200", "delayed 200"]);
  });

  it("is deterministic with a seed: the same seed gives the same sequence of errors", async () => {
    const a = await start();
    const b = await start();
    for (const s of [a, b]) s.injectFault({ errorRate: 0.5, errorStatus: 502, seed: 42 });
    const seqA = await statuses(a, "/github/_test/etag", 20);
    const seqB = await statuses(b, "/github/_test/etag", 20);
    expect(seqA).toEqual(seqB);
    expect(new Set(seqA)).toEqual(new Set([200, 502]));
  });

  it("answers injected errors in the service's error shape and counts them as injected rejections", async () => {
    const sandbox = await start();
    sandbox.injectFault({ errorRate: 1, errorStatus: 503, match: { service: "build-service" } });
    const res = await fetch(`${sandbox.baseUrl}/build/api/build/v1/acme/links/`, {
      headers: { authorization: `Bearer ${sandbox.env.SOURCELINKS_BUILD_TOKEN}` },
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ detail: "sandbox: injected 503" });
    expect((await fetch(`${sandbox.baseUrl}/github/_test/etag`)).status).toBe(200);
    expect(sandbox.counters().rejections.injected).toBe(1);
  });

  it("applies to the next `count` matching requests only", async () => {
    const sandbox = await start();
    sandbox.injectFault({ errorRate: 1, count: 2, match: { method: "GET", service: "github" } });
    expect(await statuses(sandbox, "/github/_test/etag", 4)).toEqual([500, 500, 200, 200]);
  });

  it("injects GitHub-style secondary rate limits with retry-after", async () => {
    const sandbox = await start();
    sandbox.injectFault({ rateLimitRate: 1, retryAfterSeconds: 2, seed: 7, count: 1 });
    const res = await fetch(`${sandbox.baseUrl}/github/_test/etag`);
    expect([403, 429]).toContain(res.status);
    expect(res.headers.get("retry-after")).toBe("2");
    expect(((await res.json()) as { message: string }).message).toContain("You have exceeded a secondary rate limit");
  });

  it("injects timeouts: the connection is dropped without an answer", async () => {
    const sandbox = await start();
    sandbox.injectFault({ timeoutRate: 1, timeoutMs: 50, count: 1 });
    await expect(fetch(`${sandbox.baseUrl}/github/_test/etag`)).rejects.toThrow();
    expect((await fetch(`${sandbox.baseUrl}/github/_test/etag`)).status).toBe(200);
  });

  it("drops a connection without handling the request", async () => {
    const sandbox = await start();
    const before = sandbox.world().nextId;
    sandbox.injectFault({ dropRate: 1, count: 1, match: { method: "POST" } });
    await expect(fetch(`${sandbox.baseUrl}/github/_test/mutate`, { method: "POST" })).rejects.toThrow();
    expect(sandbox.world().nextId).toBe(before);
  });

  it("loses a response after the change was made: the client gets no answer, the world has the change", async () => {
    const sandbox = await start();
    const before = sandbox.world().nextId;
    sandbox.injectFault({ lostResponseRate: 1, count: 1, match: { method: "POST" } });
    await expect(fetch(`${sandbox.baseUrl}/github/_test/mutate`, { method: "POST" })).rejects.toThrow();
    expect(sandbox.world().nextId).toBe(before + 1);
    expect(sandbox.counters().byStatus["0"]).toBe(1);
  });

  it("with a seed, decides each request by what it is, not by when it arrives", async () => {
    const outcomes = async (order: string[]): Promise<Record<string, number>> => {
      const sandbox = await start();
      sandbox.injectFault({ errorRate: 0.5, seed: 11 });
      const out: Record<string, number> = {};
      for (const id of order) out[id] = (await fetch(`${sandbox.baseUrl}/github/_test/items/${id}`)).status;
      return out;
    };
    const ids = Array.from({ length: 16 }, (_, i) => `i${i}`);
    const forward = await outcomes(ids);
    expect(await outcomes([...ids].reverse())).toEqual(forward);
    expect(new Set(Object.values(forward))).toEqual(new Set([200, 500]));
  });

  it("never touches the admin API", async () => {
    const sandbox = await start();
    sandbox.injectFault({ errorRate: 1 });
    expect((await fetch(`${sandbox.baseUrl}/_sandbox/counters`)).status).toBe(200);
  });
});

describe("Faults", () => {
  it("draws disjoint outcomes by rate, in order timeout, rate limit, error", () => {
    const faults = new Faults();
    faults.add({ timeoutRate: 0.2, rateLimitRate: 0.3, errorRate: 0.5, seed: 1 });
    const kinds = new Set(Array.from({ length: 200 }, () => faults.decide("github", "GET", "/github/x").outcome.kind));
    expect(kinds).toEqual(new Set(["timeout", "rate-limit", "error"]));
  });

  it("mulberry32 is a pure function of its seed", () => {
    const a = mulberry32(9);
    const b = mulberry32(9);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });
});
