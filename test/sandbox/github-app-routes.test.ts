/**
 * The sandbox's GitHub App endpoints over loopback HTTP: JWTs checked as GitHub checks them (RS256
 * against the seed's public key, iss, iat and exp on the sandbox clock), installation tokens that
 * expire after an hour, owner and permission checks, and rate limits kept per installation.
 */
import { createSign } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { APP_ID, appKeyPair, INSTALLATIONS, startAppWorld, type AppWorld } from "../support/github-app-harness.js";

let world: AppWorld;
beforeEach(async () => {
  world = await startAppWorld();
});
afterEach(async () => {
  await world.close();
});

/** A JWT signed with `key`, with claims relative to the sandbox clock (seconds). */
function jwt(key: string, claims: { iss?: unknown; iat?: number; exp?: number } = {}): string {
  const now = Math.floor(world.now() / 1000);
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  const body = `${part({ alg: "RS256", typ: "JWT" })}.${part({ iss: APP_ID, iat: now - 30, exp: now + 540, ...claims })}`;
  return `${body}.${createSign("RSA-SHA256").update(body).sign(key).toString("base64url")}`;
}

async function call(
  method: string,
  path: string,
  authorization: string,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${world.apiUrl}${path}`, { method, headers: { authorization, accept: "application/vnd.github+json" } });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
}

async function mint(installation: number): Promise<string> {
  const answer = await call("POST", `/app/installations/${installation}/access_tokens`, `Bearer ${jwt(world.privateKey)}`);
  expect(answer.status).toBe(201);
  return answer.body["token"] as string;
}

describe("the app's JWT", () => {
  it("mints an installation token that expires an hour later on the sandbox clock, with the installation's permissions", async () => {
    const answer = await call("POST", `/app/installations/${INSTALLATIONS.acme}/access_tokens`, `Bearer ${jwt(world.privateKey)}`);
    expect(answer.status).toBe(201);
    expect(answer.body["token"]).toMatch(/^sbx-ghs-[0-9a-f]{32}$/);
    expect(Date.parse(answer.body["expires_at"] as string) - world.now()).toBeGreaterThan(3590_000);
    expect(Date.parse(answer.body["expires_at"] as string) - world.now()).toBeLessThanOrEqual(3600_000);
    expect(answer.body["permissions"]).toEqual({
      metadata: "read",
      repository_hooks: "write",
      administration: "write",
      organization_hooks: "write",
    });
  });

  it("finds an org's installation, and 404s a user without one", async () => {
    const org = await call("GET", "/orgs/globex/installation", `Bearer ${jwt(world.privateKey)}`);
    expect(org.status).toBe(200);
    expect(org.body).toMatchObject({ id: INSTALLATIONS.globex, app_id: APP_ID, account: { login: "globex", type: "Organization" } });
    expect((await call("GET", "/users/octo-admin/installation", `Bearer ${jwt(world.privateKey)}`)).status).toBe(404);
    expect((await call("GET", "/orgs/octo-admin/installation", `Bearer ${jwt(world.privateKey)}`)).status).toBe(404);
  });

  it.each([
    ["signed by another key", () => jwt(appKeyPair().privateKey), "A JSON web token could not be decoded"],
    ["of an unknown app", () => jwt(world.privateKey, { iss: 99 }), "'Issuer' claim ('iss') must be an Integer"],
    [
      "expired",
      () => jwt(world.privateKey, { iat: Math.floor(world.now() / 1000) - 700, exp: Math.floor(world.now() / 1000) - 100 }),
      "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
    ],
    [
      "valid for over 10 minutes",
      () => jwt(world.privateKey, { exp: Math.floor(world.now() / 1000) + 1200 }),
      "'Expiration time' claim ('exp') is too far in the future",
    ],
    [
      "issued in the future",
      () => jwt(world.privateKey, { iat: Math.floor(world.now() / 1000) + 300, exp: Math.floor(world.now() / 1000) + 500 }),
      "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
    ],
  ])("is refused with 401 when %s", async (_what, make, message) => {
    const answer = await call("POST", `/app/installations/${INSTALLATIONS.acme}/access_tokens`, `Bearer ${make()}`);
    expect(answer.status).toBe(401);
    expect(answer.body["message"]).toBe(message);
    expect(world.sandbox.world().github.installationTokens ?? []).toEqual([]);
  });

  it("is judged on the sandbox clock: a JWT signed an hour before the sandbox's now is expired", async () => {
    const stale = jwt(world.privateKey);
    world.advance(3600_000);
    expect((await call("GET", "/orgs/acme/installation", `Bearer ${stale}`)).status).toBe(401);
  });
});

describe("the sandbox clock set off real time", () => {
  it("judges JWTs on the shifted clock and dates its answers with it (PUT /_sandbox/clock)", async () => {
    // Dated on the real clock: 90 s ahead of a sandbox set 90 s behind, so `exp` is over 10 minutes away.
    const ahead = jwt(world.privateKey, { iat: Math.floor(world.now() / 1000) - 30, exp: Math.floor(world.now() / 1000) + 570 });
    const set = await fetch(`${world.sandbox.baseUrl}/_sandbox/clock`, { method: "PUT", body: JSON.stringify({ offsetSeconds: -90 }) });
    expect(await set.json()).toEqual({ offsetSeconds: -90 });
    const refused = await call("GET", "/orgs/acme/installation", `Bearer ${ahead}`);
    expect(refused.status).toBe(401);
    expect(refused.body["message"]).toBe("'Expiration time' claim ('exp') is too far in the future");
    const dated = Date.parse(refused.headers.get("date") ?? "");
    expect(Math.abs(dated - (world.now() - 90_000))).toBeLessThan(2000);
    const bad = await fetch(`${world.sandbox.baseUrl}/_sandbox/clock`, { method: "PUT", body: JSON.stringify({ offsetSeconds: "soon" }) });
    expect(bad.status).toBe(400);
    world.sandbox.setClockOffset(0);
    expect((await call("GET", "/orgs/acme/installation", `Bearer ${ahead}`)).status).toBe(200);
  });
});

describe("an installation token", () => {
  it("answers 401 once its hour is over", async () => {
    const token = await mint(INSTALLATIONS.acme);
    expect((await call("GET", "/repos/acme/api/hooks", `token ${token}`)).status).toBe(200);
    world.advance(3600_000);
    const expired = await call("GET", "/repos/acme/api/hooks", `token ${token}`);
    expect(expired.status).toBe(401);
    expect(expired.body["message"]).toBe("Bad credentials");
  });

  it("sees only its owner's repositories, and within its permissions: 403 naming the permission GitHub accepts", async () => {
    const token = await mint(INSTALLATIONS.initech);
    expect((await call("GET", "/repos/initech/api", `token ${token}`)).status).toBe(200);
    expect((await call("GET", "/repos/acme/api", `token ${token}`)).status).toBe(404);
    const hooks = await call("GET", "/repos/initech/api/hooks", `token ${token}`);
    expect(hooks.status).toBe(403);
    expect(hooks.body["message"]).toBe("Resource not accessible by integration");
    expect(hooks.headers.get("x-accepted-github-permissions")).toBe("repository_hooks=read");
    expect((await call("DELETE", "/repos/initech/api/keys/1", `token ${token}`)).headers.get("x-accepted-github-permissions")).toBe(
      "administration=write",
    );
  });

  it("spends its installation's budget: a new token of the same installation shares it, another installation has its own", async () => {
    world.sandbox.setLimits({ enabled: true, primaryPointsPerHour: 3 });
    const first = await mint(INSTALLATIONS.acme);
    for (let i = 0; i < 3; i++) expect((await call("GET", "/repos/acme/api", `token ${first}`)).status).toBe(200);
    const limited = await call("GET", "/repos/acme/api", `token ${first}`);
    expect(limited.status).toBe(403);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    const second = await mint(INSTALLATIONS.acme);
    expect((await call("GET", "/repos/acme/web", `token ${second}`)).status).toBe(403);
    const other = await mint(INSTALLATIONS.globex);
    const fresh = await call("GET", "/repos/globex/api", `token ${other}`);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get("x-ratelimit-remaining")).toBe("2");
  });
});
