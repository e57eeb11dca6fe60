import { afterEach, describe, expect, it } from "vitest";
import { Counters } from "../../sandbox/counters.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { auth, testGitHubRouter } from "../support/core-harness.js";

const open: SandboxHandle[] = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

describe("request counters", () => {
  it("count per service, per endpoint pattern, per status, and primary points per token label", async () => {
    const sandbox = await startSandbox({ routers: [testGitHubRouter()] });
    open.push(sandbox);
    const token = sandbox.env.GITHUB_TOKEN;
    await fetch(`${sandbox.baseUrl}/github/_test/items/1`, { headers: auth(token) });
    await fetch(`${sandbox.baseUrl}/github/_test/items/2`, { headers: auth(token) });
    await fetch(`${sandbox.baseUrl}/github/_test/etag`, { headers: { ...auth(token), "if-none-match": '"v1"' } });
    await fetch(`${sandbox.baseUrl}/github/_test/unknown/route`);
    await fetch(`${sandbox.baseUrl}/build/api/build/v1/acme/links/`, {
      headers: { authorization: `Bearer ${sandbox.env.SOURCELINKS_BUILD_TOKEN}` },
    });
    await fetch(`${sandbox.baseUrl}/_sandbox/snapshot`);

    const c = sandbox.counters();
    expect(c.requests).toBe(5);
    expect(c.byService).toEqual({ github: 4, "build-service": 1 });
    expect(c.byEndpoint).toMatchObject({
      "GET /github/_test/items/:id": 2,
      "GET /github/_test/etag": 1,
      "GET /github/_test/(unmatched)": 1,
      "GET /build/api/build/v1/:namespace/links/": 1,
    });
    expect(c.byStatus).toMatchObject({ "200": 3, "304": 1, "404": 1 });
    expect(c.notModified).toBe(1);
    const labels = Object.keys(c.primaryPointsByToken);
    expect(labels).toEqual([expect.stringMatching(/^pat:jdoe#[0-9a-f]{8}$/), "anonymous"]);
    expect(c.primaryPointsByToken[labels[0]!]).toBe(2);
    expect(JSON.stringify(c)).not.toContain(token);
    expect(c.secondaryPoints["GET /github/_test/items/:id"]).toEqual({ currentWindow: 2, peakWindow: 2, total: 2 });
    expect(c.peakConcurrency).toBe(1);
  });

  it("snapshots are copies and reset() zeroes everything", () => {
    const counters = new Counters();
    counters.request("github", "GET /github/x");
    counters.rejection("primary");
    const snap = counters.snapshot();
    counters.request("github", "GET /github/x");
    expect(snap.requests).toBe(1);
    counters.reset();
    expect(counters.snapshot()).toMatchObject({ requests: 0, byEndpoint: {}, rejections: { primary: 0 } });
  });
});
