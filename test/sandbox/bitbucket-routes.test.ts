import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../../sandbox/server.js";
import { startHarness, testWorld, triggerUrl, type TestCredentials } from "../support/bb-harness.js";

let sandbox: SandboxHandle;
let creds: TestCredentials;

beforeEach(async () => {
  const seeded = testWorld();
  creds = seeded.creds;
  sandbox = await startHarness(seeded.world);
});
afterEach(() => sandbox.close());

type Auth = { user: string; password: string } | { bearer: string } | null;

/** A Bitbucket answer: a page, an object or an error; tests assert the exact shape. */
interface BbBody {
  [key: string]: unknown;
  page?: number;
  size?: number;
  next?: string;
  previous?: string;
  values: Record<string, unknown>[];
  uuid?: string;
  id?: number;
}

async function call(
  method: string,
  pathOrUrl: string,
  options: { auth?: Auth; body?: unknown } = {},
): Promise<{ status: number; body: BbBody; headers: Headers }> {
  const auth = options.auth === undefined ? { user: creds.bitbucketEmail, password: creds.bitbucketPassword } : options.auth;
  const headers: Record<string, string> = {};
  if (auth && "user" in auth) headers["authorization"] = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString("base64")}`;
  if (auth && "bearer" in auth) headers["authorization"] = `Bearer ${auth.bearer}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const url = pathOrUrl.startsWith("http") ? pathOrUrl : `${sandbox.baseUrl}/bitbucket/2.0${pathOrUrl}`;
  const res = await fetch(url, { method, headers, body: options.body === undefined ? null : JSON.stringify(options.body) });
  const text = await res.text();
  return { status: res.status, body: text === "" ? undefined : JSON.parse(text), headers: res.headers };
}

const REPO = "/repositories/acme-team/mobile";
const BUILD_HOOK = "{2d1c3b4a-0000-4a5b-8c9d-0e1f2a3b4c5d}";

describe("authentication and errors", () => {
  it("accepts an API token only with the account's email, and a workspace or repository access token as Bearer", async () => {
    expect((await call("GET", `${REPO}/hooks`)).status).toBe(200);
    expect((await call("GET", `${REPO}/hooks`, { auth: { user: creds.bitbucketUser, password: creds.bitbucketPassword } })).status).toBe(
      401,
    );
    expect((await call("GET", `${REPO}/hooks`, { auth: { bearer: creds.workspaceAccessToken } })).status).toBe(200);
    // A repository access token reaches its own repository only.
    expect((await call("GET", `${REPO}/hooks`, { auth: { bearer: creds.repositoryAccessToken } })).status).toBe(403);
    expect((await call("GET", `${REPO}/hooks`, { auth: { bearer: creds.bitbucketPassword } })).status).toBe(401);
  });

  it("answers an app password with 401 and the message that app passwords are no longer supported", async () => {
    for (const user of [creds.bitbucketUser, creds.bitbucketEmail]) {
      const res = await call("GET", `${REPO}/hooks`, { auth: { user, password: creds.bitbucketAppPassword } });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        type: "error",
        error: {
          message:
            "App passwords are no longer supported. Use an API token with scopes (with your Atlassian account email) or an access token.",
        },
      });
    }
  });

  it("GET /user returns the API token's user", async () => {
    const res = await call("GET", "/user");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ type: "user", username: creds.bitbucketUser, uuid: expect.stringMatching(/^\{[0-9a-f-]{36}\}$/) });
  });

  it("accepts a live OAuth grant token as Bearer, and not a revoked one", async () => {
    const grant = sandbox.world().bitbucket.users[0]!.grants[0]!;
    expect((await call("GET", "/user", { auth: { bearer: grant.accessToken } })).body).toMatchObject({ username: creds.bitbucketUser });
    grant.revoked = true;
    expect((await call("GET", "/user", { auth: { bearer: grant.accessToken } })).status).toBe(401);
  });

  it("answers 401 in Bitbucket's error shape without or with wrong credentials", async () => {
    const none = await call("GET", "/user", { auth: null });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ type: "error", error: { message: "Authentication required" } });
    expect(none.headers.get("www-authenticate")).toMatch(/^Basic/);
    const wrong = await call("GET", `${REPO}/hooks`, { auth: { user: creds.bitbucketEmail, password: "wrong-password" } });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ type: "error", error: { message: "Invalid credentials" } });
  });

  it("answers 404 for an unknown repository and 403 for a user outside the workspace", async () => {
    const missing = await call("GET", "/repositories/acme-team/nope/hooks");
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ type: "error", error: { message: "Repository acme-team/nope not found" } });
    const outsider = await call("GET", `${REPO}/hooks`, { auth: { user: creds.outsiderEmail, password: creds.outsiderPassword } });
    expect(outsider.status).toBe(403);
    expect(outsider.body).toEqual({ type: "error", error: { message: "You do not have admin access to this repository." } });
  });

  it("GET /repositories/{workspace}/{repo_slug} describes the repository", async () => {
    const res = await call("GET", REPO);
    expect(res.body).toMatchObject({
      type: "repository",
      full_name: "acme-team/mobile",
      slug: "mobile",
      uuid: "{6a1f0e8e-1111-4c2b-9d3e-5f5a5a5a5a5a}",
    });
  });
});

describe("webhooks", () => {
  it("lists hooks in Bitbucket's page and webhook_subscription shapes", async () => {
    const res = await call("GET", `${REPO}/hooks`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ pagelen: 10, size: 2, page: 1 });
    expect(res.body.next).toBeUndefined();
    expect(res.body.values[0]).toEqual({
      type: "webhook_subscription",
      uuid: BUILD_HOOK,
      url: triggerUrl("2d1c3b4a-build"),
      description: "Docker Hub",
      subject_type: "repository",
      subject: expect.objectContaining({ type: "repository", full_name: "acme-team/mobile" }),
      active: true,
      events: ["repo:push"],
      skip_cert_verification: false,
      secret_set: true,
      created_at: "2024-01-02T03:04:05.000Z",
      links: { self: { href: `${sandbox.baseUrl}/bitbucket/2.0${REPO}/hooks/${encodeURIComponent(BUILD_HOOK)}` } },
    });
  });

  it("pages by pagelen and page with an absolute next URL until the last page", async () => {
    const repo = sandbox.world().bitbucket.repos[0]!;
    for (let i = 0; i < 23; i++) {
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
    const urls: string[] = [];
    let next: string | undefined = `${sandbox.baseUrl}/bitbucket/2.0${REPO}/hooks`;
    const pages: BbBody[] = [];
    while (next) {
      const res = await call("GET", next);
      pages.push(res.body);
      next = res.body.next;
      if (next) urls.push(next);
    }
    expect(pages.map((p) => [p.page, p.values.length, p.size])).toEqual([
      [1, 10, 25],
      [2, 10, 25],
      [3, 5, 25],
    ]);
    expect(urls).toEqual([
      `${sandbox.baseUrl}/bitbucket/2.0${REPO}/hooks?pagelen=10&page=2`,
      `${sandbox.baseUrl}/bitbucket/2.0${REPO}/hooks?pagelen=10&page=3`,
    ]);
    const big = await call("GET", `${REPO}/hooks?pagelen=500`);
    expect(big.body).toMatchObject({ pagelen: 100, size: 25 });
    expect(big.body.values).toHaveLength(25);
    expect((await call("GET", `${REPO}/hooks?page=0`)).status).toBe(400);
  });

  it("creates, reads (uuid with or without braces), updates and deletes a hook", async () => {
    const created = await call("POST", `${REPO}/hooks`, {
      body: { description: "Docker Hub", url: triggerUrl("new-one"), active: true, events: ["repo:push"], secret: "s3cret" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      url: triggerUrl("new-one"),
      secret_set: true,
      skip_cert_verification: false,
      subject_type: "repository",
    });
    expect(created.body.secret).toBeUndefined();
    const uuid = created.body.uuid!;
    const uid = encodeURIComponent(uuid);
    expect((await call("GET", `${REPO}/hooks/${uid}`)).body).toMatchObject({ uuid: created.body.uuid });
    expect((await call("GET", `${REPO}/hooks/${uuid.slice(1, -1)}`)).status).toBe(200);
    const updated = await call("PUT", `${REPO}/hooks/${uid}`, { body: { active: false, secret: null } });
    expect(updated.body).toMatchObject({ active: false, secret_set: false, url: triggerUrl("new-one") });
    expect((await call("DELETE", `${REPO}/hooks/${uid}`)).status).toBe(204);
    const again = await call("DELETE", `${REPO}/hooks/${uid}`);
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ type: "error", error: { message: `Webhook ${created.body.uuid} not found` } });
    expect(sandbox.world().bitbucket.repos[0]!.hooks.map((h) => h.uuid)).not.toContain(created.body.uuid);
  });

  it("answers 400 for a hook without url or events", async () => {
    const res = await call("POST", `${REPO}/hooks`, { body: { description: "x", events: ["repo:push"] } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ type: "error", error: { message: "url: Enter a valid URL." } });
    expect((await call("POST", `${REPO}/hooks`, { body: { url: "https://x.example/", events: [] } })).status).toBe(400);
  });
});

describe("deploy keys", () => {
  it("lists keys in the deploy_key shape", async () => {
    const res = await call("GET", `${REPO}/deploy-keys`);
    expect(res.body).toMatchObject({ pagelen: 10, size: 1, page: 1 });
    expect(res.body.values[0]).toEqual({
      type: "deploy_key",
      id: 501,
      key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests",
      label: "Docker Hub Builder",
      created_on: "2024-01-02T03:04:05.000Z",
      last_used: null,
      comment: "builder@docker",
      repository: expect.objectContaining({ full_name: "acme-team/mobile" }),
      links: { self: { href: `${sandbox.baseUrl}/bitbucket/2.0${REPO}/deploy-keys/501` } },
    });
  });

  it("adds, reads and deletes a key; a second delete is 404", async () => {
    const created = await call("POST", `${REPO}/deploy-keys`, {
      body: { key: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABFake other@host", label: "Docker Hub Builder 2" },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ type: "deploy_key", label: "Docker Hub Builder 2", comment: "other@host" });
    const id = created.body.id!;
    expect((await call("GET", `${REPO}/deploy-keys/${id}`)).body).toMatchObject({ id });
    expect((await call("DELETE", `${REPO}/deploy-keys/${id}`)).status).toBe(204);
    const again = await call("DELETE", `${REPO}/deploy-keys/${id}`);
    expect(again).toMatchObject({ status: 404, body: { type: "error", error: { message: `Deploy key ${id} not found` } } });
    expect((await call("POST", `${REPO}/deploy-keys`, { body: { key: "not a key", label: "x" } })).status).toBe(400);
  });

  it("pages deploy keys too", async () => {
    const repo = sandbox.world().bitbucket.repos[0]!;
    for (let i = 0; i < 4; i++)
      repo.keys.push({ id: 600 + i, key: `ssh-ed25519 AAAA${i}`, label: `k${i}`, created_on: "2024-01-02T03:04:05.000Z" });
    const first = await call("GET", `${REPO}/deploy-keys?pagelen=2`);
    expect(first.body).toMatchObject({
      pagelen: 2,
      size: 5,
      page: 1,
      next: `${sandbox.baseUrl}/bitbucket/2.0${REPO}/deploy-keys?pagelen=2&page=2`,
    });
    const third = await call("GET", `${REPO}/deploy-keys?pagelen=2&page=3`);
    expect(third.body.values.map((k) => k["id"])).toEqual([603]);
    expect(third.body.next).toBeUndefined();
    expect(third.body.previous).toBe(`${sandbox.baseUrl}/bitbucket/2.0${REPO}/deploy-keys?pagelen=2&page=2`);
  });
});
