import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { StateFileError } from "../../sandbox/store.js";
import type { SeedDocument } from "../../sandbox/seed.js";
import { auth, testGitHubRouter } from "../support/core-harness.js";

const open: SandboxHandle[] = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

async function start(options: Parameters<typeof startSandbox>[0] = {}): Promise<SandboxHandle> {
  const sandbox = await startSandbox({ routers: [testGitHubRouter()], ...options });
  open.push(sandbox);
  return sandbox;
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "sourcelinks-sandbox-"));
}

const tinySeed: SeedDocument = {
  github: { users: [{ login: "alice", pat: "sbx-alice-pat" }] },
  buildService: { namespaces: [{ name: "ns", tokens: [{ value: "sbx-ns-token" }] }] },
};

describe("startSandbox", () => {
  it("listens on 127.0.0.1 and hands out the env variables of every service for the demo world", async () => {
    const sandbox = await start();
    expect(sandbox.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const env = sandbox.env;
    expect(Object.keys(env)).toEqual([
      "SOURCELINKS_BUILD_API_URL",
      "SOURCELINKS_BUILD_TOKEN",
      "SOURCELINKS_GITHUB_API_URL",
      "GITHUB_TOKEN",
      "SOURCELINKS_BITBUCKET_API_URL",
      "BITBUCKET_EMAIL",
      "BITBUCKET_API_TOKEN",
      "SOURCELINKS_GITHUB_CLIENT_SECRET",
      "SOURCELINKS_DOCKER_HUB_API_URL",
      "DOCKER_HUB_USERNAME",
      "DOCKER_HUB_READ_TOKEN",
    ]);
    expect(env.SOURCELINKS_GITHUB_API_URL).toBe(`${sandbox.baseUrl}/github`);
    expect(env.SOURCELINKS_BITBUCKET_API_URL).toBe(`${sandbox.baseUrl}/bitbucket/2.0`);
    expect(env.SOURCELINKS_BUILD_API_URL).toBe(`${sandbox.baseUrl}/build/api/build/v1`);
    const world = sandbox.world();
    expect(world.github.tokens.find((t) => t.token === env.GITHUB_TOKEN)).toMatchObject({ login: "jdoe", kind: "pat" });
    expect(world.buildService.tokens.find((t) => t.token === env.SOURCELINKS_BUILD_TOKEN)?.namespaces).toContain("acme");
    expect(env.BITBUCKET_EMAIL).toBe(world.bitbucket.users[0]!.email);
    expect(env.BITBUCKET_API_TOKEN).toBe(world.bitbucket.users[0]!.apiToken);
    expect(env.SOURCELINKS_GITHUB_CLIENT_SECRET).toBe(world.oauthApps.find((a) => a.provider === "github")!.clientSecret);
    expect(env.SOURCELINKS_DOCKER_HUB_API_URL).toBe(`${sandbox.baseUrl}/dockerhub`);
    expect(env.DOCKER_HUB_USERNAME).toBe("acme-ci");
    expect(world.dockerHub!.users[0]!.accessTokens.find((t) => t.token === env.DOCKER_HUB_READ_TOKEN)?.scope).toBe("read");
  });

  it("takes a seed as a file path", async () => {
    const path = join(tempDir(), "seed.yaml");
    writeFileSync(path, "github:\n  users:\n    - { login: dora, pat: sbx-dora-pat }\n");
    expect((await start({ seed: path })).env.GITHUB_TOKEN).toBe("sbx-dora-pat");
  });

  it("takes a seed as YAML text, a document, or a world", async () => {
    const fromText = await start({ seed: "github:\n  users:\n    - { login: bob, pat: sbx-bob-pat }\n" });
    expect(fromText.env.GITHUB_TOKEN).toBe("sbx-bob-pat");
    const fromDoc = await start({ seed: tinySeed });
    expect(fromDoc.env.GITHUB_TOKEN).toBe("sbx-alice-pat");
    expect(fromDoc.env.SOURCELINKS_BUILD_TOKEN).toBe("sbx-ns-token");
    const fromWorld = await start({ seed: fromDoc.world() });
    expect(fromWorld.world()).toEqual(fromDoc.world());
    expect(fromWorld.world()).not.toBe(fromDoc.world());
  });
});

describe("dispatch", () => {
  it("answers an unknown mount with 404 {message: Not Found}", async () => {
    const sandbox = await start();
    const res = await fetch(`${sandbox.baseUrl}/nowhere/at/all`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: "Not Found" });
  });

  it("answers an unknown path inside each service in that service's error shape", async () => {
    const sandbox = await start();
    const gh = await fetch(`${sandbox.baseUrl}/github/_test/no-such-route`);
    expect(gh.status).toBe(404);
    expect(await gh.json()).toMatchObject({ message: "Not Found", documentation_url: expect.stringContaining("docs.github.com") });
    const bb = await fetch(`${sandbox.baseUrl}/bitbucket/2.0/no/such/route/at/all/here`);
    expect(bb.status).toBe(404);
    expect(await bb.json()).toMatchObject({ type: "error", error: { message: expect.any(String) } });
    const bs = await fetch(`${sandbox.baseUrl}/build/api/build/v1/no/such/route/at/all/`);
    expect(bs.status).toBe(404);
    expect(await bs.json()).toEqual({ detail: expect.any(String) });
  });

  it("answers invalid JSON with 400 before any handler runs", async () => {
    const sandbox = await start();
    const before = sandbox.world().nextId;
    const res = await fetch(`${sandbox.baseUrl}/github/_test/mutate`, {
      method: "POST",
      body: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ message: "Problems parsing JSON" });
    expect(res.headers.get("x-ratelimit-limit")).toBe("5000");
    expect(sandbox.world().nextId).toBe(before);
  });

  it("answers a wrong method with 405 and an unsupported one with 405", async () => {
    const sandbox = await start();
    expect((await fetch(`${sandbox.baseUrl}/github/_test/etag`, { method: "PUT" })).status).toBe(405);
    expect((await fetch(`${sandbox.baseUrl}/github/_test/etag`, { method: "OPTIONS" })).status).toBe(405);
  });

  it("dispatches to the handler with path params and serializes JSON", async () => {
    const sandbox = await start();
    const res = await fetch(`${sandbox.baseUrl}/github/_test/items/a%20b`, { headers: auth(sandbox.env.GITHUB_TOKEN) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await res.json()).toEqual({ id: "a b" });
  });

  it("turns a handler exception into a 500 in the service's shape", async () => {
    const sandbox = await start();
    const res = await fetch(`${sandbox.baseUrl}/github/_test/boom`);
    expect(res.status).toBe(500);
    expect(((await res.json()) as { message: string }).message).toContain("kaboom");
  });
});

describe("persistence", () => {
  it("writes the state file atomically after a successful mutating request and resumes it", async () => {
    const dir = tempDir();
    const stateFile = join(dir, "state.json");
    const first = await start({ stateFile, seed: tinySeed });
    const before = first.world().nextId;
    const res = await fetch(`${first.baseUrl}/github/_test/mutate`, { method: "POST" });
    expect(res.status).toBe(201);
    expect(JSON.parse(readFileSync(stateFile, "utf8")).nextId).toBe(before + 1);
    expect(readdirSync(dir)).toEqual(["state.json"]);
    await first.close();
    open.splice(open.indexOf(first), 1);

    const resumed = await start({ stateFile });
    expect(resumed.world().nextId).toBe(before + 1);
    expect(resumed.env.GITHUB_TOKEN).toBe("sbx-alice-pat");
  });

  it("does not persist GETs or failed requests", async () => {
    const dir = tempDir();
    const stateFile = join(dir, "state.json");
    const sandbox = await start({ stateFile, seed: tinySeed });
    sandbox.world().nextId += 100; // an unpersisted in-memory change
    await fetch(`${sandbox.baseUrl}/github/_test/etag`);
    await fetch(`${sandbox.baseUrl}/github/_test/mutate`, { method: "POST", body: "{" });
    expect(JSON.parse(readFileSync(stateFile, "utf8")).nextId).toBe(sandbox.world().nextId - 100);
  });

  it("a seed does not replace an existing state file: the saved world is resumed, and reset() goes back to the seed", async () => {
    const stateFile = join(tempDir(), "state.json");
    const first = await start({ stateFile, seed: tinySeed });
    const before = first.world().nextId;
    await fetch(`${first.baseUrl}/github/_test/mutate`, { method: "POST" });
    await first.close();
    open.splice(open.indexOf(first), 1);
    const restarted = await start({ stateFile, seed: tinySeed });
    expect(restarted.world().nextId).toBe(before + 1);
    await restarted.reset();
    expect(restarted.world().nextId).toBe(before);
  });

  it("refuses a state file that is not a world", async () => {
    const stateFile = join(tempDir(), "state.json");
    writeFileSync(stateFile, '{"hello": 1}');
    await expect(startSandbox({ stateFile })).rejects.toThrow(StateFileError);
  });

  it("reset() goes back to the start seed and persists it", async () => {
    const stateFile = join(tempDir(), "state.json");
    const sandbox = await start({ stateFile, seed: tinySeed });
    const start0 = sandbox.world().nextId;
    await fetch(`${sandbox.baseUrl}/github/_test/mutate`, { method: "POST" });
    await sandbox.reset();
    expect(sandbox.world().nextId).toBe(start0);
    expect(JSON.parse(readFileSync(stateFile, "utf8")).nextId).toBe(start0);
  });
});
