import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../../sandbox/server.js";
import { createBuildServiceClient } from "../../engine/clients/build-service/index.js";
import { HttpError } from "../../engine/clients/http-error.js";
import { createLinkRequest } from "../../engine/reconcile/steps/link.js";
import { setOrgAccessRequest } from "../../engine/reconcile/steps/set-org-access.js";
import { setLinkStateRequest } from "../../engine/reconcile/steps/set-state.js";
import { unlinkRequest } from "../../engine/reconcile/steps/unlink.js";
import { Secret } from "../../engine/model/secret.js";
import type { BuildServiceClient } from "../../engine/clients/types.js";
import { fakeToken, startHarness, testWorld, type TestCredentials } from "../support/bb-harness.js";

let sandbox: SandboxHandle;
let creds: TestCredentials;
let client: BuildServiceClient;
let apiUrl: string;

beforeEach(async () => {
  const seeded = testWorld();
  creds = seeded.creds;
  sandbox = await startHarness(seeded.world);
  apiUrl = `${sandbox.baseUrl}/build/api/build/v1`;
  client = createBuildServiceClient({ apiUrl, token: new Secret(creds.buildToken), pageSize: 1 });
});
afterEach(() => sandbox.close());

describe("links", () => {
  it("lists every link across pages by following meta.next, unlinked records included, in the model's states", async () => {
    sandbox.world().buildService.links[1]!.state = "unlinked";
    const links = await client.listLinks("acme");
    expect(links.map((l) => [l.id, l.state])).toEqual([
      ["link-jdoe", "linked"],
      ["link-bb", "revoked"],
    ]);
    expect(sandbox.counters().byEndpoint["GET /build/api/build/v1/:namespace/links/"]).toBe(2);
  });

  it("creates a link whose grant token the credentials endpoint then returns as a Secret", async () => {
    const link = await client.createLink(createLinkRequest(apiUrl, "acme"), {
      provider: "github",
      account: "acme-builder",
      team: "ci",
      serviceAccount: true,
    });
    expect(link).toMatchObject({ provider: "github", account: "acme-builder", team: "ci", serviceAccount: true, state: "linked" });
    const secret = await client.getCredentials("acme", link.id);
    expect(secret).toBeInstanceOf(Secret);
    const issued = sandbox.world().github.tokens.find((t) => t.login === "acme-builder" && t.kind === "oauth")!;
    expect(secret!.reveal()).toBe(issued.token);
    expect(String(secret)).toBe("[redacted]");
  });

  it("sets the state, and unlinks idempotently (already unlinked, or unknown id)", async () => {
    expect(await client.setLinkState(setLinkStateRequest(apiUrl, "acme", "link-jdoe"), "disabled")).toMatchObject({ state: "disabled" });
    expect(sandbox.world().buildService.links[0]!.state).toBe("disabled");
    // The model's `linked` is the service's `enabled`, on the way out and back.
    expect(await client.setLinkState(setLinkStateRequest(apiUrl, "acme", "link-jdoe"), "linked")).toMatchObject({ state: "linked" });
    expect(sandbox.world().buildService.links[0]!.state).toBe("enabled");
    await client.unlink(unlinkRequest(apiUrl, "acme", "link-jdoe"));
    await client.unlink(unlinkRequest(apiUrl, "acme", "link-jdoe"));
    await client.unlink(unlinkRequest(apiUrl, "acme", "never-existed"));
    expect(sandbox.world().buildService.links[0]!.state).toBe("unlinked");
  });

  it("returns null credentials when the link holds no token", async () => {
    sandbox.world().buildService.links[0]!.grantToken = null;
    expect(await client.getCredentials("acme", "link-jdoe")).toBeNull();
  });

  it("throws HttpError with the service's detail on a conflict", async () => {
    const error = await client
      .createLink(createLinkRequest(apiUrl, "acme"), { provider: "github", account: "jdoe", team: "ci", serviceAccount: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({
      status: 409,
      service: "build-service",
      method: "POST",
      url: `${apiUrl}/acme/links/`,
      detail: 'A link for github account "jdoe" in team "ci" already exists (link-jdoe).',
    });
  });

  it("throws a 401 HttpError without a token and a 403 one for another namespace", async () => {
    const anonymous = createBuildServiceClient({ apiUrl, token: null });
    await expect(anonymous.listLinks("acme")).rejects.toMatchObject({
      status: 401,
      detail: "Authentication credentials were not provided.",
    });
    await expect(client.listLinks("other")).rejects.toMatchObject({ status: 403 });
  });
});

describe("namespaces", () => {
  it("lists the namespaces the token may act on across pages, and null where the service has no such listing (404)", async () => {
    const expected = sandbox.world().buildService.tokens.find((t) => t.token === creds.buildToken)!.namespaces;
    expect(await client.listNamespaces()).toEqual(expected);
    const elsewhere = createBuildServiceClient({
      apiUrl: `${sandbox.baseUrl}/build/api/build/v1/no-such-mount`,
      token: new Secret(creds.buildToken),
    });
    expect(await elsewhere.listNamespaces()).toBeNull();
  });
});

describe("repositories and org access", () => {
  it("lists autobuild repositories across pages", async () => {
    const repos = await client.listAutobuildRepositories("acme", "link-jdoe");
    expect(repos).toEqual(["acme/api", "acme/web"]);
  });

  it("reads and sets org access, changing the org's policy for the app", async () => {
    expect(await client.getOrgAccess("acme", "link-jdoe", "contractor-co")).toBe("denied");
    await client.setOrgAccess(setOrgAccessRequest(apiUrl, "acme", "link-jdoe", "contractor-co"), "granted");
    expect(sandbox.world().github.orgs[1]!.oauthAppAccess[creds.githubClientId]).toBe("granted");
    expect(await client.getOrgAccess("acme", "link-jdoe", "contractor-co")).toBe("granted");
  });
});

describe("faults", () => {
  it("retries an idempotent unlink after an injected 429, but sends a create only once", async () => {
    const sleeps: number[] = [];
    const patient = createBuildServiceClient({
      apiUrl,
      token: new Secret(creds.buildToken),
      transport: { sleep: async (ms) => void sleeps.push(ms) },
    });
    sandbox.injectFault({ rateLimitRate: 1, retryAfterSeconds: 1, count: 1, match: { service: "build-service", method: "DELETE" } });
    await patient.unlink(unlinkRequest(apiUrl, "acme", "link-jdoe"));
    expect(sleeps).toEqual([1000]);
    expect(sandbox.world().buildService.links[0]!.state).toBe("unlinked");
    sandbox.injectFault({ errorRate: 1, errorStatus: 503, count: 1, match: { service: "build-service", method: "POST" } });
    await expect(
      patient.createLink(createLinkRequest(apiUrl, "acme"), {
        provider: "github",
        account: "acme-builder",
        team: null,
        serviceAccount: true,
      }),
    ).rejects.toMatchObject({ status: 503 });
    expect(sleeps).toEqual([1000]);
    expect(sandbox.counters().byEndpoint["POST /build/api/build/v1/:namespace/links/"]).toBe(1);
  });
});

describe("secrets in errors", () => {
  let echo: Server;
  let echoUrl: string;

  beforeEach(async () => {
    // A hostile server that echoes the Authorization header back in its error text.
    echo = createServer((req, res) => {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ detail: `bad header: ${req.headers.authorization}; token ${String(req.headers.authorization).slice(7)}` }));
    });
    await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
    echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/api/build/v1`;
  });
  afterEach(() => new Promise<void>((resolve) => echo.close(() => resolve())));

  it("never carries the token in message, stack, JSON or inspect output", async () => {
    const token = fakeToken("echoed-build-token");
    const echoing = createBuildServiceClient({ apiUrl: echoUrl, token: new Secret(token) });
    const error = await echoing
      .createLink(createLinkRequest(echoUrl, "acme"), { provider: "github", account: "x", team: null, serviceAccount: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).detail).toContain("bad header: [redacted]");
    for (const text of [
      (error as Error).message,
      (error as Error).stack ?? "",
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
      inspect(echoing, { depth: 10 }),
    ]) {
      expect(text).not.toContain(token);
    }
  });
});
