import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../../sandbox/server.js";
import type { BuildServiceLinkWire, BuildServiceListWire, LinkCredentialsWire } from "../../engine/clients/build-service/wire.js";
import { startHarness, testWorld, triggerUrl, type TestCredentials } from "../support/bb-harness.js";

let sandbox: SandboxHandle;
let creds: TestCredentials;

beforeEach(async () => {
  const seeded = testWorld();
  creds = seeded.creds;
  sandbox = await startHarness(seeded.world);
});
afterEach(() => sandbox.close());

async function call(
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown } = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const token = options.token === undefined ? creds.buildToken : options.token;
  const headers: Record<string, string> = {};
  if (token !== null) headers["authorization"] = `Bearer ${token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${sandbox.baseUrl}/build/api/build/v1${path}`, {
    method,
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { status: res.status, body: text === "" ? undefined : JSON.parse(text), headers: res.headers };
}

const newLink = { provider: "github", account: "acme-builder", team: "ci", service_account: true };

describe("authentication", () => {
  it("answers 401 with DRF's detail without a token", async () => {
    const res = await call("GET", "/acme/links/", { token: null });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ detail: "Authentication credentials were not provided." });
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("answers 401 for an unknown token", async () => {
    const res = await call("GET", "/acme/links/", { token: "not-a-token" });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ detail: "Invalid token." });
  });

  it("answers 403 when the token may not act on the namespace", async () => {
    const res = await call("GET", "/acme/links/", { token: creds.otherNamespaceToken });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ detail: "You do not have permission to perform this action." });
  });
});

describe("GET /{namespace}/links/", () => {
  it("pages with limit/offset and absolute meta.next until every link, unlinked ones included, is read", async () => {
    sandbox.world().buildService.links.find((l) => l.id === "link-bb")!.state = "unlinked";
    const ids: string[] = [];
    let url: string | null = `${sandbox.baseUrl}/build/api/build/v1/acme/links/?limit=1`;
    const metas: BuildServiceListWire<BuildServiceLinkWire>["meta"][] = [];
    while (url) {
      const res = await fetch(url, { headers: { authorization: `Bearer ${creds.buildToken}` } });
      const page = (await res.json()) as BuildServiceListWire<BuildServiceLinkWire>;
      metas.push(page.meta);
      ids.push(...page.objects.map((o) => o.id));
      url = page.meta.next;
    }
    expect(ids).toEqual(["link-jdoe", "link-bb"]);
    expect(metas[0]).toEqual({
      limit: 1,
      offset: 0,
      next: `${sandbox.baseUrl}/build/api/build/v1/acme/links/?limit=1&offset=1`,
      previous: null,
      total_count: 2,
    });
    expect(metas[1]).toMatchObject({
      offset: 1,
      next: null,
      previous: `${sandbox.baseUrl}/build/api/build/v1/acme/links/?limit=1&offset=0`,
    });
  });

  it("serves links in the documented shape without the grant token", async () => {
    const res = await call("GET", "/acme/links/");
    const page = res.body as BuildServiceListWire<BuildServiceLinkWire>;
    expect(page.objects[0]).toEqual({
      id: "link-jdoe",
      resource_uri: "/build/api/build/v1/acme/links/link-jdoe/",
      namespace: "acme",
      provider: "github",
      account: "jdoe",
      team: "ci",
      service_account: false,
      state: "enabled",
      created_at: "2024-01-02T03:04:05.000Z",
      updated_at: "2024-01-02T03:04:05.000Z",
    });
  });

  it("rejects a malformed limit with 400", async () => {
    const res = await call("GET", "/acme/links/?limit=zero");
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: "limit must be a positive integer." });
  });
});

describe("POST /{namespace}/links/", () => {
  it("creates an enabled link and issues a GitHub oauth token for the account and the app", async () => {
    const res = await call("POST", "/acme/links/", { body: newLink });
    expect(res.status).toBe(201);
    const link = res.body as BuildServiceLinkWire;
    expect(link).toMatchObject({
      namespace: "acme",
      provider: "github",
      account: "acme-builder",
      team: "ci",
      service_account: true,
      state: "enabled",
    });
    expect(res.headers.get("location")).toBe(`${sandbox.baseUrl}/build/api/build/v1/acme/links/${link.id}/`);
    const stored = sandbox.world().buildService.links.find((l) => l.id === link.id)!;
    const token = sandbox.world().github.tokens.find((t) => t.token === stored.grantToken);
    expect(token).toEqual({
      token: stored.grantToken,
      login: "acme-builder",
      kind: "oauth",
      clientId: creds.githubClientId,
      revoked: false,
    });
  });

  it("creates a Bitbucket link with a grant on the Bitbucket user", async () => {
    const res = await call("POST", "/acme/links/", {
      body: { provider: "bitbucket", account: creds.bitbucketUser, team: "mobile", service_account: true },
    });
    expect(res.status).toBe(201);
    const stored = sandbox.world().buildService.links.find((l) => l.id === (res.body as BuildServiceLinkWire).id)!;
    const user = sandbox.world().bitbucket.users.find((u) => u.username === creds.bitbucketUser)!;
    expect(user.grants.at(-1)).toEqual({ consumerKey: creds.bitbucketKey, revoked: false, accessToken: stored.grantToken });
  });

  it("answers 409 when a live link for the same provider, account and team exists, and not once it is unlinked", async () => {
    const body = { provider: "github", account: "jdoe", team: "ci", service_account: false };
    const clash = await call("POST", "/acme/links/", { body });
    expect(clash.status).toBe(409);
    expect(clash.body).toEqual({ detail: 'A link for github account "jdoe" in team "ci" already exists (link-jdoe).' });
    expect((await call("DELETE", "/acme/links/link-jdoe/")).status).toBe(204);
    expect((await call("POST", "/acme/links/", { body })).status).toBe(201);
  });

  it("answers 400 for an unknown provider account or an invalid body", async () => {
    const unknown = await call("POST", "/acme/links/", { body: { ...newLink, account: "nobody" } });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ detail: 'Unknown github account "nobody".' });
    const org = await call("POST", "/acme/links/", { body: { ...newLink, account: "acme" } });
    expect(org.status).toBe(400);
    const invalid = await call("POST", "/acme/links/", { body: { provider: "gitlab", account: "x", service_account: true } });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual({ detail: 'provider must be "github" or "bitbucket".' });
    expect(sandbox.world().buildService.links).toHaveLength(2);
  });
});

describe("GET and PATCH /{namespace}/links/{id}/", () => {
  it("reads one link, and answers 404 with DRF's text for an unknown id or another namespace's link", async () => {
    expect((await call("GET", "/acme/links/link-jdoe/")).body).toMatchObject({ id: "link-jdoe", state: "enabled" });
    const missing = await call("GET", "/acme/links/nope/");
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: "Not found." });
    sandbox
      .world()
      .buildService.tokens.find((t) => t.token === creds.otherNamespaceToken)!
      .namespaces.push("acme");
    sandbox.world().buildService.links[0]!.namespace = "other";
    expect((await call("GET", "/acme/links/link-jdoe/")).status).toBe(404);
  });

  it("disables and re-enables a link in place", async () => {
    const disabled = await call("PATCH", "/acme/links/link-jdoe/", { body: { state: "disabled" } });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ id: "link-jdoe", state: "disabled" });
    expect(sandbox.world().buildService.links[0]!.state).toBe("disabled");
    expect((await call("PATCH", "/acme/links/link-jdoe/", { body: { state: "enabled" } })).body).toMatchObject({ state: "enabled" });
  });

  it("answers 400 for another state and 409 for an unlinked record", async () => {
    const bad = await call("PATCH", "/acme/links/link-jdoe/", { body: { state: "unlinked" } });
    expect(bad.status).toBe(400);
    await call("DELETE", "/acme/links/link-jdoe/");
    const gone = await call("PATCH", "/acme/links/link-jdoe/", { body: { state: "enabled" } });
    expect(gone.status).toBe(409);
    expect(gone.body).toEqual({ detail: "The link is unlinked; create a new link instead." });
  });
});

describe("DELETE /{namespace}/links/{id}/", () => {
  it("marks the link unlinked and leaves the provider grant and the webhooks in place, idempotently", async () => {
    const before = structuredClone(sandbox.world().github.repos);
    const grant = sandbox.world().buildService.links[0]!.grantToken;
    const res = await call("DELETE", "/acme/links/link-jdoe/");
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect(sandbox.world().buildService.links[0]!.state).toBe("unlinked");
    expect(sandbox.world().github.tokens.find((t) => t.token === grant)!.revoked).toBe(false);
    expect(sandbox.world().github.repos).toEqual(before);
    expect((await call("GET", "/acme/links/")).body).toMatchObject({ meta: { total_count: 2 } });
    expect((await call("DELETE", "/acme/links/link-jdoe/")).status).toBe(204);
    expect((await call("DELETE", "/acme/links/nope/")).status).toBe(404);
  });
});

describe("GET /{namespace}/links/{id}/credentials/", () => {
  it("returns the grant's access token, also after unlinking", async () => {
    await call("DELETE", "/acme/links/link-jdoe/");
    const res = await call("GET", "/acme/links/link-jdoe/credentials/");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      provider: "github",
      client_id: creds.githubClientId,
      access_token: sandbox.world().buildService.links[0]!.grantToken!,
    } satisfies LinkCredentialsWire);
  });

  it("still returns a token revoked on the provider, and answers 404 when the link holds none", async () => {
    const link = sandbox.world().buildService.links[0]!;
    sandbox.world().github.tokens.find((t) => t.token === link.grantToken)!.revoked = true;
    const revoked = await call("GET", "/acme/links/link-jdoe/credentials/");
    expect(revoked.status).toBe(200);
    expect((revoked.body as LinkCredentialsWire).access_token).toBe(link.grantToken);
    const bb = sandbox.world().buildService.links[1]!;
    bb.grantToken = null;
    const none = await call("GET", "/acme/links/link-bb/credentials/");
    expect(none.status).toBe(404);
    expect(none.body).toEqual({ detail: "Not found." });
  });
});

describe("GET /{namespace}/links/{id}/repositories/", () => {
  it("lists autobuild sources with the installed webhook URL, or the one the service would install, across pages", async () => {
    const first = await call("GET", "/acme/links/link-jdoe/repositories/?limit=1");
    expect(first.body).toEqual({
      meta: {
        limit: 1,
        offset: 0,
        next: `${sandbox.baseUrl}/build/api/build/v1/acme/links/link-jdoe/repositories/?limit=1&offset=1`,
        previous: null,
        total_count: 2,
      },
      objects: [{ repository: "acme/api", provider: "github", webhook_url: triggerUrl("0b6cbd6e-8d6f-4f27-9a9c-2f1f6f3c1a11") }],
    });
    const second = await fetch((first.body as BuildServiceListWire<unknown>).meta.next!, {
      headers: { authorization: `Bearer ${creds.buildToken}` },
    });
    expect(await second.json()).toMatchObject({
      objects: [{ repository: "acme/web", provider: "github", webhook_url: triggerUrl("link-jdoe") }],
    });
  });
});

describe("GET|PUT /{namespace}/links/{id}/orgs/{org}/access/", () => {
  it("reports the org's decision, and denied for a restricted org without one", async () => {
    expect((await call("GET", "/acme/links/link-jdoe/orgs/acme/access/")).body).toEqual({ org: "acme", access: "granted" });
    expect((await call("GET", "/acme/links/link-jdoe/orgs/contractor-co/access/")).body).toEqual({
      org: "contractor-co",
      access: "denied",
    });
    sandbox.world().github.orgs[1]!.oauthRestrictionsEnabled = false;
    expect((await call("GET", "/acme/links/link-jdoe/orgs/contractor-co/access/")).body).toEqual({
      org: "contractor-co",
      access: "granted",
    });
  });

  it("sets the org policy for the app and records one audit-log event per change", async () => {
    const res = await call("PUT", "/acme/links/link-jdoe/orgs/acme/access/", { body: { access: "denied" } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ org: "acme", access: "denied" });
    const org = sandbox.world().github.orgs[0]!;
    expect(org.oauthAppAccess[creds.githubClientId]).toBe("denied");
    expect(org.auditLog).toEqual([
      {
        action: "org.oauth_app_access_denied",
        created_at: expect.any(String),
        actor: "jdoe",
        oauth_application_client_id: creds.githubClientId,
      },
    ]);
    await call("PUT", "/acme/links/link-jdoe/orgs/acme/access/", { body: { access: "denied" } });
    expect(org.auditLog).toHaveLength(1);
    await call("PUT", "/acme/links/link-jdoe/orgs/acme/access/", { body: { access: "granted" } });
    expect(org.auditLog!.map((e) => e.action)).toEqual(["org.oauth_app_access_denied", "org.oauth_app_access_approved"]);
  });

  it("grants in an org without an audit log, and denying turns restrictions on", async () => {
    const org = sandbox.world().github.orgs[1]!;
    await call("PUT", "/acme/links/link-jdoe/orgs/contractor-co/access/", { body: { access: "granted" } });
    expect(org.oauthAppAccess[creds.githubClientId]).toBe("granted");
    expect(org.auditLog).toBeNull();
    org.oauthRestrictionsEnabled = false;
    await call("PUT", "/acme/links/link-jdoe/orgs/contractor-co/access/", { body: { access: "denied" } });
    expect(org.oauthRestrictionsEnabled).toBe(true);
  });

  it("answers 404 for an unknown org, 400 for a Bitbucket link or a bad body", async () => {
    expect(await call("GET", "/acme/links/link-jdoe/orgs/nope/access/")).toMatchObject({ status: 404, body: { detail: "Not found." } });
    expect(await call("GET", "/acme/links/link-bb/orgs/acme/access/")).toMatchObject({
      status: 400,
      body: { detail: "Organization access applies to GitHub links only." },
    });
    expect(await call("PUT", "/acme/links/link-jdoe/orgs/acme/access/", { body: { access: "maybe" } })).toMatchObject({ status: 400 });
  });
});

describe("GET /namespaces/", () => {
  it("lists the namespaces the token may act on, and 401 without a token", async () => {
    const own = await call("GET", "/namespaces/");
    expect(own.status).toBe(200);
    const tokenNamespaces = sandbox.world().buildService.tokens.find((t) => t.token === creds.buildToken)!.namespaces;
    expect((own.body as BuildServiceListWire<{ name: string }>).objects).toEqual(tokenNamespaces.map((name) => ({ name })));
    const other = await call("GET", "/namespaces/", { token: creds.otherNamespaceToken });
    expect((other.body as BuildServiceListWire<{ name: string }>).objects.map((n) => n.name)).not.toContain("acme");
    expect((await call("GET", "/namespaces/", { token: null })).status).toBe(401);
  });
});
