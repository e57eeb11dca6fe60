/**
 * Bitbucket's "Access to webhook data" limit in the sandbox: webhook listings and writes count per
 * user in a rolling hour of the sandbox clock; past the limit the answer is Bitbucket's 429 with its
 * x-ratelimit-* headers; other endpoints do not count. The clock is injected, so nothing races.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { testWorld, type TestCredentials } from "../support/bb-harness.js";

const T0 = 1_700_000_000_000;
const HOUR_MS = 3_600_000;
const REPO = "/repositories/acme-team/mobile";

let sandbox: SandboxHandle;
afterEach(() => sandbox.close());

/** A sandbox over the Bitbucket test world whose clock moves only when the test says so. */
async function start(limit: number, timeScale = 1): Promise<{ creds: TestCredentials; clock: { t: number } }> {
  const seeded = testWorld();
  const clock = { t: T0 };
  sandbox = await startSandbox({
    seed: seeded.world,
    now: () => clock.t,
    timeScale,
    bitbucketLimits: { webhookRequestsPerHour: limit },
  });
  return { creds: seeded.creds, clock };
}

function call(method: string, path: string, authorization: string, body?: unknown): Promise<Response> {
  return fetch(`${sandbox.baseUrl}/bitbucket/2.0${path}`, {
    method,
    headers: { authorization, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
}

const basic = (creds: TestCredentials): string =>
  `Basic ${Buffer.from(`${creds.bitbucketEmail}:${creds.bitbucketPassword}`).toString("base64")}`;

describe("Bitbucket's webhook-data limit", () => {
  it("answers 429 with Bitbucket's error and headers once a user's listings and writes fill the hour", async () => {
    const { creds } = await start(5);
    const auth = basic(creds);
    const statuses: number[] = [];
    const near: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await call("GET", `${REPO}/hooks`, auth);
      statuses.push(res.status);
      near.push(res.headers.get("x-ratelimit-nearlimit"));
    }
    const created = await call("POST", `${REPO}/hooks`, auth, { url: "https://ci.example/hook", events: ["repo:push"] });
    statuses.push(created.status);
    const uuid = ((await created.json()) as { uuid: string }).uuid;
    statuses.push((await call("DELETE", `${REPO}/hooks/${encodeURIComponent(uuid)}`, auth)).status);
    expect(statuses).toEqual([200, 200, 200, 201, 204]);
    // True once fewer than a fifth of the hour's requests remain.
    expect(near).toEqual(["false", "false", "false"]);

    const refused = await call("GET", `${REPO}/hooks`, auth);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ type: "error", error: { message: "Rate limit for this resource has been exceeded." } });
    expect(refused.headers.get("x-ratelimit-limit")).toBe("5");
    expect(refused.headers.get("x-ratelimit-resource")).toBe("webhooks");
    expect(refused.headers.get("x-ratelimit-nearlimit")).toBe("true");
    // Nothing was done: a refused write creates no webhook.
    const write = await call("POST", `${REPO}/hooks`, auth, { url: "https://ci.example/other", events: ["repo:push"] });
    expect(write.status).toBe(429);
    expect(sandbox.world().bitbucket.repos[0]!.hooks.map((h) => h.url)).not.toContain("https://ci.example/other");

    const counters = sandbox.counters();
    expect(counters.rejections["bitbucket-webhook-data"]).toBe(2);
    expect(counters.bitbucketWebhookData).toEqual({ currentWindow: 5, peakWindow: 5, total: 5 });
  });

  it("does not count other endpoints, and counts each user apart", async () => {
    const { creds } = await start(2);
    const auth = basic(creds);
    for (let i = 0; i < 4; i++) {
      expect((await call("GET", `${REPO}/deploy-keys`, auth)).status).toBe(200);
      expect((await call("GET", REPO, auth)).status).toBe(200);
    }
    expect((await call("GET", `${REPO}/hooks`, auth)).status).toBe(200);
    expect((await call("GET", `${REPO}/hooks`, auth)).status).toBe(200);
    expect((await call("GET", `${REPO}/hooks`, auth)).status).toBe(429);
    // A workspace access token has its own allowance.
    expect((await call("GET", `${REPO}/hooks`, `Bearer ${creds.workspaceAccessToken}`)).status).toBe(200);
    expect(sandbox.counters().bitbucketWebhookData.total).toBe(3);
  });

  it("rolls: each request frees its place one hour of sandbox time after it arrived", async () => {
    // A Bitbucket hour lasts 3.6 real seconds of the injected clock.
    const { creds, clock } = await start(2, 1000);
    const auth = basic(creds);
    const hourMs = HOUR_MS / 1000;
    expect((await call("GET", `${REPO}/hooks`, auth)).status).toBe(200);
    clock.t += hourMs / 2;
    expect((await call("GET", `${REPO}/hooks`, auth)).status).toBe(200);
    expect((await call("GET", `${REPO}/hooks`, auth)).status).toBe(429);
    // The first request leaves the window; the second still holds its place.
    clock.t += hourMs / 2;
    expect((await call("GET", `${REPO}/hooks`, auth)).status).toBe(200);
    expect((await call("GET", `${REPO}/hooks`, auth)).status).toBe(429);
  });

  it("can be changed at run time through the admin API, which forgets what was counted", async () => {
    const { creds } = await start(1);
    const auth = basic(creds);
    expect((await call("GET", `${REPO}/hooks`, auth)).status).toBe(200);
    expect((await call("GET", `${REPO}/hooks`, auth)).status).toBe(429);
    const put = await fetch(`${sandbox.baseUrl}/_sandbox/limits/bitbucket`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ webhookRequestsPerHour: 3 }),
    });
    expect(await put.json()).toEqual({ enabled: true, webhookRequestsPerHour: 3 });
    expect((await call("GET", `${REPO}/hooks`, auth)).headers.get("x-ratelimit-limit")).toBe("3");
    const bad = await fetch(`${sandbox.baseUrl}/_sandbox/limits/bitbucket`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ perHour: 3 }),
    });
    expect(bad.status).toBe(400);
  });
});
