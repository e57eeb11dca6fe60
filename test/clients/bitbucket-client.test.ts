import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../../sandbox/server.js";
import { createBitbucketClient } from "../../engine/clients/bitbucket/index.js";
import { BITBUCKET_CREDENTIAL_ADVICE } from "../../engine/clients/bitbucket/client.js";
import { HttpError } from "../../engine/clients/http-error.js";
import { Secret } from "../../engine/model/secret.js";
import type { PlannedRequest } from "../../engine/model/plan.js";
import { deleteDeployKeyRequest } from "../../engine/reconcile/steps/delete-deploy-key.js";
import { deleteWebhookRequest } from "../../engine/reconcile/steps/delete-webhook.js";
import type { SourceProviderClient } from "../../engine/clients/types.js";
import { fakeToken, startHarness, testWorld, triggerUrl, type TestCredentials } from "../support/bb-harness.js";

let sandbox: SandboxHandle;
let creds: TestCredentials;
let client: SourceProviderClient;
let apiUrl: string;
/** The planned delete of one of acme-team/mobile's webhooks or deploy keys, as its step kind builds it. */
const bbHook = (uuid: string): PlannedRequest => deleteWebhookRequest("bitbucket", apiUrl, "acme-team/mobile", uuid);
const bbKey = (id: string): PlannedRequest => deleteDeployKeyRequest("bitbucket", apiUrl, "acme-team/mobile", id);

const BUILD_HOOK = "{2d1c3b4a-0000-4a5b-8c9d-0e1f2a3b4c5d}";

beforeEach(async () => {
  const seeded = testWorld();
  creds = seeded.creds;
  sandbox = await startHarness(seeded.world);
  apiUrl = `${sandbox.baseUrl}/bitbucket/2.0`;
  client = createBitbucketClient({ apiUrl, username: creds.bitbucketEmail, token: new Secret(creds.bitbucketPassword) });
});
afterEach(() => sandbox.close());

describe("webhooks", () => {
  it("maps hooks to ObservedWebhook", async () => {
    const listing = await client.listWebhooks("acme-team/mobile");
    expect(client.kind).toBe("bitbucket");
    expect(listing).toEqual({
      exists: true,
      items: [
        {
          id: BUILD_HOOK,
          url: triggerUrl("2d1c3b4a-build"),
          active: true,
          events: ["repo:push"],
          hasSecret: true,
          insecureSsl: false,
          lastResponse: null,
        },
        {
          id: "{9f8e7d6c-0000-4a5b-8c9d-0e1f2a3b4c5d}",
          url: "https://ci.acme.example/hooks/bitbucket",
          active: true,
          events: ["repo:push", "pullrequest:created"],
          hasSecret: false,
          insecureSsl: true,
          lastResponse: null,
        },
      ],
    });
  });

  it("follows next across pages (230 hooks at pagelen 100: three requests)", async () => {
    const repo = sandbox.world().bitbucket.repos[0]!;
    for (let i = 0; i < 228; i++) {
      repo.hooks.push({
        uuid: `{00000000-0000-4000-8000-${String(i).padStart(12, "0")}}`,
        url: `https://ci.acme.example/h/${i}`,
        description: "",
        active: true,
        events: ["repo:push"],
        skip_cert_verification: false,
        secret_set: false,
        created_at: "2024-01-02T03:04:05.000Z",
      });
    }
    const listing = await client.listWebhooks("acme-team/mobile");
    expect(listing.items).toHaveLength(230);
    expect(new Set(listing.items.map((h) => h.id)).size).toBe(230);
    expect(sandbox.counters().byEndpoint["GET /bitbucket/2.0/repositories/:workspace/:repo_slug/hooks"]).toBe(3);
  });

  it("reports a missing repository as exists: false", async () => {
    expect(await client.listWebhooks("acme-team/gone")).toEqual({ exists: false, items: [] });
    expect(await client.listDeployKeys("acme-team/gone")).toEqual({ exists: false, items: [] });
  });

  it("deletes a hook by its braced uuid, then reports it gone", async () => {
    expect(await client.deleteWebhook("acme-team/mobile", bbHook(BUILD_HOOK))).toBe("deleted");
    expect(sandbox.world().bitbucket.repos[0]!.hooks.map((h) => h.uuid)).toEqual(["{9f8e7d6c-0000-4a5b-8c9d-0e1f2a3b4c5d}"]);
    expect(await client.deleteWebhook("acme-team/mobile", bbHook(BUILD_HOOK))).toBe("gone");
  });
});

describe("deploy keys", () => {
  it("maps keys to ObservedDeployKey and deletes them idempotently", async () => {
    expect(await client.listDeployKeys("acme-team/mobile")).toEqual({
      exists: true,
      items: [{ id: "501", title: "Docker Hub Builder", readOnly: true }],
    });
    expect(await client.deleteDeployKey("acme-team/mobile", bbKey("501"))).toBe("deleted");
    expect(await client.deleteDeployKey("acme-team/mobile", bbKey("501"))).toBe("gone");
    expect(sandbox.world().bitbucket.repos[0]!.keys).toEqual([]);
  });
});

describe("credentials", () => {
  it("sends an API token as Basic with the account's email, and an access token as Bearer without one", async () => {
    expect((await client.listWebhooks("acme-team/mobile")).items).toHaveLength(2);
    const access = createBitbucketClient({ apiUrl, username: "", token: new Secret(creds.workspaceAccessToken) });
    expect((await access.listWebhooks("acme-team/mobile")).items).toHaveLength(2);
    expect(await access.deleteDeployKey("acme-team/mobile", bbKey("501"))).toBe("deleted");
  });

  it("says what to use instead when Bitbucket refuses an app password", async () => {
    const legacy = createBitbucketClient({ apiUrl, username: creds.bitbucketUser, token: new Secret(creds.bitbucketAppPassword) });
    const error = (await legacy.listWebhooks("acme-team/mobile").catch((e: unknown) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(401);
    expect(error.detail).toBe(
      `App passwords are no longer supported. Use an API token with scopes (with your Atlassian account email) or an access token. ${BITBUCKET_CREDENTIAL_ADVICE}`,
    );
    expect(error.message).toContain(
      "set BITBUCKET_EMAIL to your Atlassian account's email and BITBUCKET_API_TOKEN to an API token with scopes",
    );
    expect(error.message).not.toContain(creds.bitbucketAppPassword);
  });
});

describe("errors", () => {
  it("throws HttpError with Bitbucket's error.message for 401 and 403", async () => {
    const wrong = createBitbucketClient({ apiUrl, username: creds.bitbucketEmail, token: new Secret("wrong-password") });
    const unauthorized = await wrong.listWebhooks("acme-team/mobile").catch((e: unknown) => e);
    expect(unauthorized).toBeInstanceOf(HttpError);
    expect(unauthorized).toMatchObject({ status: 401, service: "bitbucket", method: "GET", detail: "Invalid credentials" });
    const outsider = createBitbucketClient({ apiUrl, username: creds.outsiderEmail, token: new Secret(creds.outsiderPassword) });
    await expect(outsider.deleteWebhook("acme-team/mobile", bbHook(BUILD_HOOK))).rejects.toMatchObject({
      status: 403,
      detail: "You do not have admin access to this repository.",
    });
    expect(sandbox.world().bitbucket.repos[0]!.hooks).toHaveLength(2);
  });

  it("rejects a malformed repository name before any request", () => {
    const before = sandbox.counters().requests;
    expect(() => deleteDeployKeyRequest("bitbucket", apiUrl, "mobile", "1")).toThrow(
      'bitbucket: repository must be "workspace/repo_slug", got "mobile"',
    );
    expect(sandbox.counters().requests).toBe(before);
  });
});

describe("retries through the sandbox's injected faults", () => {
  it.each([
    ["an injected 503", { errorRate: 1, errorStatus: 503 }, [250]],
    ["an injected 429 with retry-after", { rateLimitRate: 1, retryAfterSeconds: 2 }, [2000]],
  ] as const)("lists webhooks after %s", async (_what, fault, expectedSleeps) => {
    const sleeps: number[] = [];
    const patient = createBitbucketClient({
      apiUrl,
      username: creds.bitbucketEmail,
      token: new Secret(creds.bitbucketPassword),
      transport: { sleep: async (ms) => void sleeps.push(ms) },
    });
    sandbox.injectFault({ ...fault, count: 1, match: { service: "bitbucket", method: "GET" } });
    expect((await patient.listWebhooks("acme-team/mobile")).items).toHaveLength(2);
    expect(sleeps).toEqual(expectedSleeps);
  });

  it("deletes after an injected 500, and gives up after its bounded retries", async () => {
    const sleeps: number[] = [];
    const patient = createBitbucketClient({
      apiUrl,
      username: creds.bitbucketEmail,
      token: new Secret(creds.bitbucketPassword),
      transport: { sleep: async (ms) => void sleeps.push(ms) },
    });
    sandbox.injectFault({ errorRate: 1, count: 1, match: { service: "bitbucket", method: "DELETE" } });
    expect(await patient.deleteDeployKey("acme-team/mobile", bbKey("501"))).toBe("deleted");
    sandbox.injectFault({ errorRate: 1, count: 3, match: { service: "bitbucket", method: "DELETE" } });
    await expect(patient.deleteWebhook("acme-team/mobile", bbHook(BUILD_HOOK))).rejects.toMatchObject({
      status: 500,
      detail: "sandbox: injected 500",
    });
    expect(sleeps).toEqual([250, 250, 500]);
    expect(sandbox.world().bitbucket.repos[0]!.hooks).toHaveLength(2);
  });
});

describe("secrets in errors", () => {
  let echo: Server;
  let echoUrl: string;
  let nextUrl: string | null;

  beforeEach(async () => {
    nextUrl = null;
    // A hostile server that echoes the Authorization header, decoded too, in Bitbucket's error shape.
    echo = createServer((req, res) => {
      if (nextUrl !== null) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ pagelen: 1, values: [], next: nextUrl }));
        return;
      }
      const header = String(req.headers.authorization);
      const decoded = Buffer.from(header.replace(/^Basic /, ""), "base64").toString("utf8");
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ type: "error", error: { message: `you sent ${header} meaning ${decoded}` } }));
    });
    await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
    echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/2.0`;
  });
  afterEach(() => new Promise<void>((resolve) => echo.close(() => resolve())));

  it("never carries the app password or the Basic token in message, stack, JSON or inspect output", async () => {
    const password = fakeToken("echoed-app-password");
    const basic = Buffer.from(`someone:${password}`).toString("base64");
    const echoing = createBitbucketClient({ apiUrl: echoUrl, username: "someone", token: new Secret(password), transport: { retries: 0 } });
    const error = await echoing.listWebhooks("ws/repo").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).detail).toBe("you sent [redacted] meaning someone:[redacted]");
    for (const text of [
      (error as Error).message,
      (error as Error).stack ?? "",
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
      inspect(echoing, { depth: 10 }),
    ]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(basic);
    }
  });

  it("refuses to follow a next link to another origin, so credentials stay on the API host", async () => {
    nextUrl = "http://127.0.0.2:9/2.0/repositories/ws/repo/hooks?page=2";
    const echoing = createBitbucketClient({ apiUrl: echoUrl, username: "someone", token: new Secret(fakeToken("pw")) });
    await expect(echoing.listWebhooks("ws/repo")).rejects.toMatchObject({
      status: 0,
      detail: `refusing to follow a pagination link off ${new URL(echoUrl).origin}`,
    });
  });
});
