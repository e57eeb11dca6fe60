import { afterEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import type { World } from "../../sandbox/world.js";
import { testGitHubRouter } from "../support/core-harness.js";

const CLIENT_ID = "Iv1.5a9d0c3e7b214f68";
const open: SandboxHandle[] = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

async function start(): Promise<SandboxHandle> {
  const sandbox = await startSandbox({ routers: [testGitHubRouter()] });
  open.push(sandbox);
  return sandbox;
}

async function call(sandbox: SandboxHandle, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${sandbox.baseUrl}/_sandbox${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

describe("/_sandbox admin API", () => {
  it("GET /snapshot returns the world with token values", async () => {
    const sandbox = await start();
    const { status, json } = await call(sandbox, "GET", "/snapshot");
    expect(status).toBe(200);
    expect(json).toEqual(sandbox.world());
    expect((json as World).github.tokens.map((t) => t.token)).toContain(sandbox.env.GITHUB_TOKEN);
  });

  it("POST /reset restores the start world, with the same credentials", async () => {
    const sandbox = await start();
    const env = sandbox.env;
    sandbox.world().github.repos = [];
    const { status, json } = await call(sandbox, "POST", "/reset");
    expect(status).toBe(200);
    expect((json as { env: unknown }).env).toEqual(env);
    expect(sandbox.world().github.repos.length).toBeGreaterThan(0);
  });

  it("POST /seed replaces the world and answers the new env; a bad seed is 422 with each problem", async () => {
    const sandbox = await start();
    const ok = await call(sandbox, "POST", "/seed", { github: { users: [{ login: "zed", pat: "sbx-zed" }] } });
    expect(ok.status).toBe(200);
    expect((ok.json as { env: { GITHUB_TOKEN: string } }).env.GITHUB_TOKEN).toBe("sbx-zed");
    expect(sandbox.world().github.accounts.map((a) => a.login)).toEqual(["zed"]);
    const bad = await call(sandbox, "POST", "/seed", { github: { userz: [] } });
    expect(bad.status).toBe(422);
    expect(bad.json).toEqual({ message: "invalid seed", errors: ['seed: /github/userz: unknown key "userz" in /github'] });
    expect(sandbox.world().github.accounts.map((a) => a.login)).toEqual(["zed"]);
  });

  it("GET /counters and POST /counters/reset", async () => {
    const sandbox = await start();
    await fetch(`${sandbox.baseUrl}/github/_test/etag`);
    const counted = await call(sandbox, "GET", "/counters");
    expect(counted.json).toMatchObject({ requests: 1, byService: { github: 1 } });
    const reset = await call(sandbox, "POST", "/counters/reset");
    expect(reset.json).toMatchObject({ requests: 0, byService: {} });
    expect(sandbox.counters().requests).toBe(0);
  });

  describe("POST /act", () => {
    it("an org owner denies the app: access changes and the audit log records it", async () => {
      const sandbox = await start();
      const { status } = await call(sandbox, "POST", "/act", { as: "org-owner", org: "acme", app: CLIENT_ID, action: "deny" });
      expect(status).toBe(200);
      const acme = sandbox.world().github.orgs.find((o) => o.login === "acme")!;
      expect(acme.oauthAppAccess[CLIENT_ID]).toBe("denied");
      expect(acme.auditLog!.at(-1)).toMatchObject({
        action: "org.oauth_app_access_denied",
        actor: "jdoe",
        oauth_application_client_id: CLIENT_ID,
      });
      await call(sandbox, "POST", "/act", { as: "org-owner", org: "contractor-co", app: CLIENT_ID, action: "grant" });
      const contractor = sandbox.world().github.orgs.find((o) => o.login === "contractor-co")!;
      expect(contractor.oauthAppAccess[CLIENT_ID]).toBe("granted");
      expect(contractor.auditLog).toBeNull();
    });

    it("a GitHub user revokes the app's authorization: every oauth token of that user and app", async () => {
      const sandbox = await start();
      const { json } = await call(sandbox, "POST", "/act", {
        as: "user",
        login: "legacy-builder",
        action: "revoke-authorization",
        app: CLIENT_ID,
      });
      expect(json).toMatchObject({ changed: 1 });
      const tokens = sandbox.world().github.tokens.filter((t) => t.login === "legacy-builder");
      expect(tokens.filter((t) => t.kind === "oauth").every((t) => t.revoked)).toBe(true);
      expect(tokens.filter((t) => t.kind === "pat").every((t) => !t.revoked)).toBe(true);
      expect(sandbox.world().github.tokens.find((t) => t.login === "jdoe" && t.kind === "oauth")!.revoked).toBe(false);
    });

    it("a Bitbucket user revokes the consumer's grant", async () => {
      const sandbox = await start();
      const { status } = await call(sandbox, "POST", "/act", {
        as: "user",
        provider: "bitbucket",
        username: "acme-bb-builder",
        action: "revoke-authorization",
        app: "SbxKey7Q2w",
      });
      expect(status).toBe(200);
      expect(sandbox.world().bitbucket.users[0]!.grants.map((g) => g.revoked)).toEqual([true]);
    });

    it("a namespace owner disables, enables and unlinks; an unlinked link cannot be enabled", async () => {
      const sandbox = await start();
      const link = sandbox.world().buildService.links.find((l) => l.account === "jdoe")!;
      const act = (action: string) => call(sandbox, "POST", "/act", { as: "namespace-owner", namespace: "acme", linkId: link.id, action });
      await act("disable");
      expect(sandbox.world().buildService.links.find((l) => l.id === link.id)!.state).toBe("disabled");
      await act("enable");
      expect(sandbox.world().buildService.links.find((l) => l.id === link.id)!.state).toBe("enabled");
      await act("unlink");
      const unlinked = sandbox.world().buildService.links.find((l) => l.id === link.id)!;
      expect(unlinked.state).toBe("unlinked");
      expect(unlinked.grantToken).toBe(link.grantToken);
      expect((await act("enable")).status).toBe(409);
    });

    it("rejects malformed actions with 400 and unknown targets with 404", async () => {
      const sandbox = await start();
      expect((await call(sandbox, "POST", "/act", { as: "robot" })).status).toBe(400);
      expect((await call(sandbox, "POST", "/act", { as: "org-owner", org: "acme", app: CLIENT_ID, action: "shrug" })).status).toBe(400);
      expect(await call(sandbox, "POST", "/act", { as: "org-owner", org: "nope", app: CLIENT_ID, action: "deny" })).toEqual({
        status: 404,
        json: { message: 'act: no GitHub org "nope"' },
      });
    });
  });

  it("POST, GET and DELETE /faults", async () => {
    const sandbox = await start();
    const added = await call(sandbox, "POST", "/faults", { errorRate: 1, errorStatus: 503, match: { service: "github" }, count: 1 });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ remaining: 1, spec: { errorStatus: 503 } });
    expect((await call(sandbox, "GET", "/faults")).json).toMatchObject({ faults: [{ remaining: 1 }] });
    expect((await call(sandbox, "POST", "/faults", { errorRate: 2 })).status).toBe(400);
    expect((await call(sandbox, "POST", "/faults", { bogus: 1 })).json).toEqual({ message: 'fault: unknown field "bogus"' });
    expect((await call(sandbox, "DELETE", "/faults")).status).toBe(204);
    expect((await call(sandbox, "GET", "/faults")).json).toEqual({ faults: [] });
  });

  it("GET and PUT /limits", async () => {
    const sandbox = await start();
    expect((await call(sandbox, "GET", "/limits")).json).toEqual({
      enabled: false,
      primaryPointsPerHour: 5000,
      maxConcurrent: 100,
      endpointPointsPerMinute: 900,
      contentCreatingPerMinute: 80,
      graphqlPointsPerHour: 5000,
      graphqlEndpointPointsPerMinute: 2000,
    });
    const put = await call(sandbox, "PUT", "/limits", { enabled: true, maxConcurrent: 10 });
    expect(put.json).toMatchObject({ enabled: true, maxConcurrent: 10 });
    expect((await call(sandbox, "PUT", "/limits", { enabled: "yes" })).status).toBe(400);
  });

  it("unknown admin paths are 404", async () => {
    const sandbox = await start();
    expect(await call(sandbox, "GET", "/nothing")).toEqual({ status: 404, json: { message: "Not Found" } });
  });
});
