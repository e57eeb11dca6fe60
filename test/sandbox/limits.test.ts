import { afterEach, describe, expect, it } from "vitest";
import { SandboxClock } from "../../sandbox/clock.js";
import { Counters } from "../../sandbox/counters.js";
import { GitHubLimiter } from "../../sandbox/limits.js";
import { startSandbox, type SandboxHandle, type SandboxOptions } from "../../sandbox/server.js";
import { auth, gate, testGitHubRouter, type Gate } from "../support/core-harness.js";

const T0 = 1_700_000_000_000;
const open: SandboxHandle[] = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

/** A sandbox whose clock only moves when the test says so. */
async function start(
  options: SandboxOptions = {},
  slow?: Gate,
): Promise<{ sandbox: SandboxHandle; clock: { t: number }; get: (path: string, init?: RequestInit) => Promise<Response> }> {
  const clock = { t: T0 };
  const sandbox = await startSandbox({ routers: [testGitHubRouter(slow)], now: () => clock.t, ...options });
  open.push(sandbox);
  const token = sandbox.env.GITHUB_TOKEN;
  const get = (path: string, init: RequestInit = {}) =>
    fetch(`${sandbox.baseUrl}${path}`, { ...init, headers: { ...auth(token), ...(init.headers as Record<string, string> | undefined) } });
  return { sandbox, clock, get };
}

const header = (res: Response, name: string): string | null => res.headers.get(name);

describe("GitHub rate-limit headers", () => {
  it("are sent on every GitHub answer even with enforcement off, and count down", async () => {
    const { get } = await start();
    const first = await get("/github/_test/items/1");
    const second = await get("/github/_test/items/2");
    const missing = await get("/github/_test/nope");
    expect(header(first, "x-ratelimit-limit")).toBe("5000");
    expect(header(first, "x-ratelimit-resource")).toBe("core");
    expect([first, second, missing].map((r) => header(r, "x-ratelimit-remaining"))).toEqual(["4999", "4998", "4997"]);
    expect(header(second, "x-ratelimit-used")).toBe("2");
    expect(header(first, "x-ratelimit-reset")).toBe(String(T0 / 1000 + 3600));
  });

  it("are not sent by the other services", async () => {
    const { sandbox } = await start();
    const res = await fetch(`${sandbox.baseUrl}/build/api/build/v1/acme/links/`, {
      headers: { authorization: `Bearer ${sandbox.env.SOURCELINKS_BUILD_TOKEN}` },
    });
    expect(header(res, "x-ratelimit-limit")).toBeNull();
  });

  it("a 304 to If-None-Match costs no primary point", async () => {
    const { sandbox, get } = await start({ limits: { enabled: true } });
    const fresh = await get("/github/_test/etag");
    expect(fresh.status).toBe(200);
    expect(header(fresh, "x-ratelimit-used")).toBe("1");
    for (let i = 0; i < 3; i++) {
      const cached = await get("/github/_test/etag", { headers: { "if-none-match": '"v1"' } });
      expect(cached.status).toBe(304);
      expect(header(cached, "x-ratelimit-used")).toBe("1");
    }
    expect(Object.values(sandbox.counters().primaryPointsByToken)).toEqual([1]);
    expect(sandbox.counters().notModified).toBe(3);
  });
});

describe("primary limit", () => {
  it("answers 403 with x-ratelimit-remaining 0 once the hour's points are spent, until the reset", async () => {
    const { sandbox, clock, get } = await start({ limits: { enabled: true, primaryPointsPerHour: 2 } });
    await get("/github/_test/items/1");
    await get("/github/_test/items/2");
    const refused = await get("/github/_test/items/3");
    expect(refused.status).toBe(403);
    expect(header(refused, "x-ratelimit-remaining")).toBe("0");
    const jdoeId = sandbox.world().github.accounts.find((a) => a.login === "jdoe")!.id;
    expect(await refused.json()).toMatchObject({ message: `API rate limit exceeded for user ID ${jdoeId}.` });
    expect(sandbox.counters().rejections.primary).toBe(1);
    clock.t = Number(header(refused, "x-ratelimit-reset")) * 1000;
    expect((await get("/github/_test/items/4")).status).toBe(200);
  });

  it("keeps one budget per token", async () => {
    const { sandbox, get } = await start({ limits: { enabled: true, primaryPointsPerHour: 1 } });
    await get("/github/_test/items/1");
    expect((await get("/github/_test/items/1")).status).toBe(403);
    const other = sandbox.world().github.tokens.find((t) => t.login === "acme-builder" && t.kind === "pat")!.token;
    expect((await fetch(`${sandbox.baseUrl}/github/_test/items/1`, { headers: auth(other) })).status).toBe(200);
  });

  it("never rejects with enforcement off; remaining stops at 0", async () => {
    const { get } = await start({ limits: { primaryPointsPerHour: 1 } });
    await get("/github/_test/items/1");
    const res = await get("/github/_test/items/1");
    expect(res.status).toBe(200);
    expect(header(res, "x-ratelimit-remaining")).toBe("0");
  });
});

describe("secondary limits", () => {
  it("900 points per minute per endpoint: reads cost 1, writes 5; refused with 403, retry-after and the secondary message", async () => {
    const { sandbox, clock, get } = await start({ limits: { enabled: true, endpointPointsPerMinute: 10 } });
    for (let i = 0; i < 10; i++) expect((await get(`/github/_test/items/${i}`)).status).toBe(200);
    clock.t = T0 + 20_000;
    const refused = await get("/github/_test/items/x");
    expect(refused.status).toBe(403);
    expect(header(refused, "retry-after")).toBe("40");
    expect(((await refused.json()) as { message: string }).message).toContain("You have exceeded a secondary rate limit");
    // Another endpoint has its own budget; writes cost 5.
    expect((await get("/github/_test/items/1", { method: "DELETE" })).status).toBe(204);
    expect((await get("/github/_test/items/1", { method: "DELETE" })).status).toBe(204);
    expect((await get("/github/_test/items/1", { method: "DELETE" })).status).toBe(403);
    expect(sandbox.counters().rejections["secondary-points"]).toBe(2);
    expect(sandbox.counters().secondaryPoints["GET /github/_test/items/:id"]).toMatchObject({ currentWindow: 10, peakWindow: 10 });
    clock.t = T0 + 60_000;
    expect((await get("/github/_test/items/x")).status).toBe(200);
  });

  it("80 content-creating requests per minute; a DELETE creates no content and is not counted", async () => {
    const { sandbox, get } = await start({ limits: { enabled: true, contentCreatingPerMinute: 2 } });
    expect((await get("/github/_test/mutate", { method: "POST" })).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await get("/github/_test/items/1", { method: "DELETE" })).status).toBe(204);
    expect((await get("/github/_test/mutate", { method: "POST" })).status).toBe(201);
    const refused = await get("/github/_test/mutate", { method: "POST" });
    expect(refused.status).toBe(403);
    expect(header(refused, "retry-after")).toBe("60");
    expect(sandbox.counters().rejections["secondary-content-creation"]).toBe(1);
    expect((await get("/github/_test/items/1")).status).toBe(200);
  });

  it("500 content-creating requests per hour: refused past the hour's budget though each minute's has room", async () => {
    const { sandbox, clock, get } = await start({ limits: { enabled: true, contentCreatingPerHour: 3 } });
    for (let i = 0; i < 3; i++) {
      expect((await get("/github/_test/mutate", { method: "POST" })).status).toBe(201);
      clock.t += 60_000;
    }
    const refused = await get("/github/_test/mutate", { method: "POST" });
    expect(refused.status).toBe(403);
    expect(header(refused, "retry-after")).toBe(String(3600 - 180));
    expect(((await refused.json()) as { message: string }).message).toContain("at most 3 content-creating requests per hour");
    expect(sandbox.counters().rejections["secondary-content-creation"]).toBe(1);
    // Reads create no content and stay admitted.
    expect((await get("/github/_test/items/1")).status).toBe(200);
    clock.t = T0 + 3_600_000;
    expect((await get("/github/_test/mutate", { method: "POST" })).status).toBe(201);
  });

  it("100 concurrent requests: one more is refused with 429 and retry-after", async () => {
    const slow = gate();
    const { sandbox, get } = await start({ limits: { enabled: true, maxConcurrent: 2 } }, slow);
    const held = [get("/github/_test/slow"), get("/github/_test/slow")];
    await slow.reached(2);
    expect(sandbox.counters().peakConcurrency).toBe(2);
    const refused = await get("/github/_test/items/1");
    expect(refused.status).toBe(429);
    expect(header(refused, "retry-after")).toBe("60");
    expect(((await refused.json()) as { message: string }).message).toContain("secondary rate limit");
    slow.open();
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
    expect((await get("/github/_test/items/1")).status).toBe(200);
    expect(sandbox.counters().rejections["secondary-concurrency"]).toBe(1);
  });

  it("PUT /_sandbox/limits turns enforcement on at run time with fresh windows", async () => {
    const { sandbox, get } = await start({ limits: { endpointPointsPerMinute: 1 } });
    await get("/github/_test/items/1");
    expect((await get("/github/_test/items/1")).status).toBe(200);
    await fetch(`${sandbox.baseUrl}/_sandbox/limits`, { method: "PUT", body: JSON.stringify({ enabled: true }) });
    expect((await get("/github/_test/items/1")).status).toBe(200);
    expect((await get("/github/_test/items/1")).status).toBe(403);
    sandbox.setLimits({ enabled: false });
    expect((await get("/github/_test/items/1")).status).toBe(200);
  });
});

describe("time scale", () => {
  it("timeScale 60: a GitHub minute lasts one real second; retry-after and x-ratelimit-reset are real seconds", async () => {
    const { clock, get } = await start({ timeScale: 60, limits: { enabled: true, endpointPointsPerMinute: 1 } });
    const first = await get("/github/_test/items/1");
    // The primary hour lasts 60 real seconds.
    expect(header(first, "x-ratelimit-reset")).toBe(String(T0 / 1000 + 60));
    clock.t = T0 + 250;
    const refused = await get("/github/_test/items/1");
    expect(refused.status).toBe(403);
    expect(header(refused, "retry-after")).toBe("1");
    expect(header(refused, "x-sandbox-retry-after-ms")).toBe("750");
    clock.t = T0 + 1000;
    expect((await get("/github/_test/items/1")).status).toBe(200);
  });

  it("SandboxClock converts GitHub seconds to real milliseconds and refuses nonsense", () => {
    expect(new SandboxClock(3600, () => 0).realMs(3600)).toBe(1000);
    expect(() => new SandboxClock(0)).toThrow(RangeError);
  });

  it("the limiter alone: windows start at the first request and roll over", () => {
    let t = T0;
    const limiter = new GitHubLimiter(new SandboxClock(1, () => t), new Counters(), { enabled: true, endpointPointsPerMinute: 5 });
    const caller = { key: "k", label: "pat:x#0", userId: 1 };
    expect(limiter.admit(caller, "POST", "POST /github/x")).toBeNull();
    expect(limiter.admit(caller, "POST", "POST /github/x")?.reason).toBe("secondary-points");
    t += 59_999;
    expect(limiter.admit(caller, "POST", "POST /github/x")?.headers["retry-after"]).toBe("1");
    t += 1;
    expect(limiter.admit(caller, "POST", "POST /github/x")).toBeNull();
  });
});
