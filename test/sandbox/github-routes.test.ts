import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, startGitHubSandbox, type GitHubSandbox } from "../support/github-harness.js";

let gh: GitHubSandbox;

beforeAll(async () => {
  gh = await startGitHubSandbox();
});

afterAll(async () => {
  await gh.close();
});

describe("authentication", () => {
  it("answers 401 Requires authentication without credentials", async () => {
    const res = await gh.get("/user", null);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ message: "Requires authentication", documentation_url: expect.stringContaining("docs.github.com") });
  });

  it("answers 401 Bad credentials for unknown and revoked tokens", async () => {
    for (const token of ["test-unknown-token", gh.tokens.revoked]) {
      const res = await gh.get("/user", token);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ message: "Bad credentials" });
    }
  });

  it("accepts both `token X` and `Bearer X`", async () => {
    const a = await gh.get("/user", gh.tokens.admin);
    const b = await gh.get("/user", null, { authorization: `Bearer ${gh.tokens.admin}` });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect((a.body as { login: string }).login).toBe("octo-admin");
    expect((b.body as { login: string }).login).toBe("octo-admin");
  });

  it("sends the x-ratelimit-* headers on GitHub answers", async () => {
    const res = await gh.get("/user", gh.tokens.admin);
    for (const name of ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "x-ratelimit-used"]) {
      expect(res.headers.get(name), name).toMatch(/^\d+$/);
    }
  });
});

describe("users, orgs and repositories", () => {
  it("serves users and orgs, 404 for unknown logins", async () => {
    expect(((await gh.get("/users/jdoe", gh.tokens.admin)).body as { type: string }).type).toBe("User");
    expect(((await gh.get("/users/acme", gh.tokens.admin)).body as { type: string }).type).toBe("Organization");
    expect((await gh.get("/users/nobody-here", gh.tokens.admin)).status).toBe(404);
    const org = await gh.get("/orgs/acme", gh.tokens.admin);
    expect(org.body).toMatchObject({ login: "acme", type: "Organization", hooks_url: `${gh.apiUrl}/orgs/acme/hooks` });
    expect((await gh.get("/orgs/nope", gh.tokens.admin)).status).toBe(404);
  });

  it("hides private repositories and admin resources behind 404", async () => {
    expect((await gh.get("/repos/acme/api", gh.tokens.admin)).status).toBe(200);
    const hidden = await gh.get("/repos/acme/api", gh.tokens.outsider);
    expect(hidden.status).toBe(404);
    expect(hidden.body).toMatchObject({ message: "Not Found" });
    expect((await gh.get("/repos/acme/many", gh.tokens.outsider)).status).toBe(200);
    expect((await gh.get("/repos/acme/many/hooks", gh.tokens.outsider)).status).toBe(404);
  });

  it("lists an org's repositories the caller may see", async () => {
    const mine = await gh.get("/orgs/acme/repos", gh.tokens.admin);
    expect((mine.body as { full_name: string }[]).map((r) => r.full_name)).toEqual(["acme/api", "acme/many"]);
    const theirs = await gh.get("/orgs/acme/repos", gh.tokens.outsider);
    expect((theirs.body as { full_name: string }[]).map((r) => r.full_name)).toEqual(["acme/many"]);
  });

  it("answers an unapproved OAuth app's token with the restriction 403, an approved one normally", async () => {
    const denied = await gh.get("/repos/contractor-co/app/hooks", gh.tokens.jdoeOauth);
    expect(denied.status).toBe(403);
    expect((denied.body as { message: string }).message).toContain("has enabled OAuth App access restrictions");
    expect((await gh.get("/orgs/contractor-co/repos", gh.tokens.jdoeOauth)).status).toBe(403);
    expect((await gh.get("/repos/acme/api/hooks", gh.tokens.jdoeOauth)).status).toBe(200);
    // A personal token is not subject to OAuth App restrictions.
    expect((await gh.get("/repos/contractor-co/app/hooks", gh.tokens.admin)).status).toBe(200);
  });
});

describe("pagination", () => {
  it("pages 250 hooks by per_page with rel=next/last/prev/first Link headers", async () => {
    const first = await gh.get("/repos/acme/many/hooks?per_page=100", gh.tokens.admin);
    expect((first.body as unknown[]).length).toBe(100);
    const link = first.headers.get("link") ?? "";
    expect(link).toContain(`<${gh.apiUrl}/repos/acme/many/hooks?per_page=100&page=2>; rel="next"`);
    expect(link).toContain(`<${gh.apiUrl}/repos/acme/many/hooks?per_page=100&page=3>; rel="last"`);
    const last = await gh.get("/repos/acme/many/hooks?per_page=100&page=3", gh.tokens.admin);
    expect((last.body as { id: number }[]).map((h) => h.id)[0]).toBe(5200);
    expect((last.body as unknown[]).length).toBe(50);
    const lastLink = last.headers.get("link") ?? "";
    expect(lastLink).toContain('rel="prev"');
    expect(lastLink).toContain('rel="first"');
    expect(lastLink).not.toContain('rel="next"');
  });

  it("defaults to 30 per page and caps per_page at 100", async () => {
    expect(((await gh.get("/repos/acme/many/hooks", gh.tokens.admin)).body as unknown[]).length).toBe(30);
    expect(((await gh.get("/repos/acme/many/hooks?per_page=500", gh.tokens.admin)).body as unknown[]).length).toBe(100);
  });
});

describe("conditional requests", () => {
  it("sends a strong ETag and answers If-None-Match with an empty 304 until the resource changes", async () => {
    const first = await gh.get("/repos/acme/api/keys", gh.tokens.admin);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const again = await gh.get("/repos/acme/api/keys", gh.tokens.admin, { "if-none-match": etag! });
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
    const created = await gh.send("POST", "/repos/acme/api/keys", {
      token: gh.tokens.admin,
      body: { title: "other", key: "ssh-ed25519 AAAAOtherKeyMaterial x" },
    });
    expect(created.status).toBe(201);
    const changed = await gh.get("/repos/acme/api/keys", gh.tokens.admin, { "if-none-match": etag! });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect(
      (await gh.send("DELETE", `/repos/acme/api/keys/${(created.body as { id: number }).id}`, { token: gh.tokens.admin })).status,
    ).toBe(204);
  });
});

describe("repository webhooks", () => {
  it("creates, reads, updates and deletes a hook in GitHub's shape, never echoing the secret", async () => {
    const created = await gh.send("POST", "/repos/acme/api/hooks", {
      token: gh.tokens.admin,
      body: {
        name: "web",
        config: {
          url: "https://cloud.docker.com/api/build/v1/vcs/new/trigger/call/",
          content_type: "json",
          secret: "s3cr3t-value",
          insecure_ssl: "0",
        },
        events: ["push"],
      },
    });
    expect(created.status).toBe(201);
    const hook = created.body as {
      id: number;
      type: string;
      name: string;
      config: Record<string, string>;
      url: string;
      test_url: string;
      ping_url: string;
      deliveries_url: string;
    };
    expect(hook).toMatchObject({ type: "Repository", name: "web", active: true, events: ["push"] });
    expect(hook.config).toEqual({
      url: "https://cloud.docker.com/api/build/v1/vcs/new/trigger/call/",
      content_type: "json",
      insecure_ssl: "0",
      secret: "********",
    });
    expect(created.text).not.toContain("s3cr3t-value");
    expect(hook.url).toBe(`${gh.apiUrl}/repos/acme/api/hooks/${hook.id}`);
    expect(hook.test_url).toBe(`${hook.url}/tests`);
    expect(hook.ping_url).toBe(`${hook.url}/pings`);

    const patched = await gh.send("PATCH", `/repos/acme/api/hooks/${hook.id}`, {
      token: gh.tokens.admin,
      body: { active: false, add_events: ["pull_request"] },
    });
    expect(patched.body).toMatchObject({ active: false, events: ["push", "pull_request"], config: { secret: "********" } });
    expect((await gh.get(`/repos/acme/api/hooks/${hook.id}`, gh.tokens.admin)).body).toMatchObject({ id: hook.id, active: false });

    expect((await gh.send("DELETE", `/repos/acme/api/hooks/${hook.id}`, { token: gh.tokens.admin })).status).toBe(204);
    expect((await gh.send("DELETE", `/repos/acme/api/hooks/${hook.id}`, { token: gh.tokens.admin })).status).toBe(404);
    expect((await gh.get(`/repos/acme/api/hooks/${hook.id}`, gh.tokens.admin)).status).toBe(404);
  });

  it("omits config.secret when none is set and reports insecure_ssl and last_response", async () => {
    const hooks = (await gh.get("/repos/acme/api/hooks", gh.tokens.admin)).body as {
      id: number;
      config: Record<string, string>;
      last_response: unknown;
    }[];
    const foreign = hooks.find((h) => h.id === 102)!;
    expect(foreign.config).toEqual({ url: "https://ci.acme.example/hooks/github", content_type: "form", insecure_ssl: "1" });
    expect(hooks.find((h) => h.id === 101)!.last_response).toEqual({ code: 200, status: "active", message: "OK" });
  });

  it("answers invalid and duplicate hooks with 422 Validation Failed", async () => {
    const missing = await gh.send("POST", "/repos/acme/api/hooks", { token: gh.tokens.admin, body: { config: {} } });
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({ message: "Validation Failed", errors: [{ resource: "Hook", code: "custom" }] });
    const badType = await gh.send("POST", "/repos/acme/api/hooks", {
      token: gh.tokens.admin,
      body: { config: { url: "https://x.example/h", content_type: "xml" } },
    });
    expect(badType.body).toMatchObject({ errors: [{ field: "content_type", code: "invalid" }] });
    const dup = await gh.send("POST", "/repos/acme/api/hooks", {
      token: gh.tokens.admin,
      body: { config: { url: "https://ci.acme.example/hooks/github" } },
    });
    expect(dup.status).toBe(422);
    expect(dup.body).toMatchObject({ errors: [{ message: "Hook already exists on this repository" }] });
  });

  it("serves org webhooks to org owners only", async () => {
    const list = await gh.get("/orgs/acme/hooks", gh.tokens.admin);
    expect(list.body).toMatchObject([{ id: 900, type: "Organization", name: "web" }]);
    expect((await gh.get("/orgs/acme/hooks", gh.tokens.outsider)).status).toBe(404);
    const created = await gh.send("POST", "/orgs/acme/hooks", {
      token: gh.tokens.admin,
      body: { name: "web", config: { url: "https://ci.acme.example/org2" } },
    });
    expect(created.status).toBe(201);
    const id = (created.body as { id: number }).id;
    expect((await gh.send("DELETE", `/orgs/acme/hooks/${id}`, { token: gh.tokens.admin })).status).toBe(204);
  });
});

describe("deploy keys", () => {
  it("creates, reads and deletes a key; rejects malformed keys with 422", async () => {
    const created = await gh.send("POST", "/repos/acme/api/keys", {
      token: gh.tokens.admin,
      body: { title: "Docker Hub Builder x", key: "ssh-rsa AAAAB3NzaFakeMaterial c", read_only: true },
    });
    expect(created.status).toBe(201);
    const key = created.body as { id: number };
    expect(created.body).toMatchObject({
      title: "Docker Hub Builder x",
      read_only: true,
      verified: true,
      added_by: "octo-admin",
      last_used: null,
      enabled: true,
    });
    expect((await gh.get(`/repos/acme/api/keys/${key.id}`, gh.tokens.admin)).status).toBe(200);
    expect((await gh.send("DELETE", `/repos/acme/api/keys/${key.id}`, { token: gh.tokens.admin })).status).toBe(204);
    expect((await gh.get(`/repos/acme/api/keys/${key.id}`, gh.tokens.admin)).status).toBe(404);
    const bad = await gh.send("POST", "/repos/acme/api/keys", { token: gh.tokens.admin, body: { key: "not a key" } });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ message: "Validation Failed", errors: [{ resource: "PublicKey", field: "key" }] });
  });
});

describe("audit log (GHEC)", () => {
  it("filters by action: qualifiers, newest first", async () => {
    const res = await gh.get(
      `/orgs/acme/audit-log?phrase=${encodeURIComponent("action:org.oauth_app_access_approved action:org.oauth_app_access_requested")}`,
      gh.tokens.admin,
    );
    expect(res.status).toBe(200);
    expect((res.body as { action: string }[]).map((e) => e.action)).toEqual([
      "org.oauth_app_access_approved",
      "org.oauth_app_access_requested",
    ]);
    const prefix = await gh.get(`/orgs/acme/audit-log?phrase=${encodeURIComponent("action:org.oauth_app_access_*")}`, gh.tokens.admin);
    expect((prefix.body as unknown[]).length).toBe(3);
  });

  it("answers 404 for orgs without an audit log and for non-owners", async () => {
    expect((await gh.get("/orgs/contractor-co/audit-log", gh.tokens.admin)).status).toBe(404);
    expect((await gh.get("/orgs/acme/audit-log", gh.tokens.outsider)).status).toBe(404);
  });
});

describe("OAuth app token endpoints", () => {
  it("checks a token with Basic client credentials; 404 for tokens that are not live", async () => {
    const auth = basicAuth(gh.tokens.clientId, gh.tokens.clientSecret);
    const ok = await gh.send("POST", `/applications/${gh.tokens.clientId}/token`, {
      headers: { authorization: auth },
      body: { access_token: gh.tokens.jdoeOauth },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ app: { client_id: gh.tokens.clientId, name: "Docker Hub Builder" }, user: { login: "jdoe" } });
    const unknown = await gh.send("POST", `/applications/${gh.tokens.clientId}/token`, {
      headers: { authorization: auth },
      body: { access_token: "test-not-a-token" },
    });
    expect(unknown.status).toBe(404);
    const missing = await gh.send("POST", `/applications/${gh.tokens.clientId}/token`, { headers: { authorization: auth }, body: {} });
    expect(missing.status).toBe(422);
    const wrongSecret = await gh.send("POST", `/applications/${gh.tokens.clientId}/token`, {
      headers: { authorization: basicAuth(gh.tokens.clientId, "test-wrong") },
      body: { access_token: gh.tokens.jdoeOauth },
    });
    expect(wrongSecret.status).toBe(401);
  });
});

describe("OAuth grant revocation", () => {
  it("DELETE /applications/{client_id}/grant revokes every token of the user for the app", async () => {
    const local = await startGitHubSandbox({ manyHooks: 0 });
    try {
      const auth = basicAuth(local.tokens.clientId, local.tokens.clientSecret);
      const res = await local.send("DELETE", `/applications/${local.tokens.clientId}/grant`, {
        headers: { authorization: auth },
        body: { access_token: local.tokens.jdoeOauth },
      });
      expect(res.status).toBe(204);
      expect((await local.get("/user", local.tokens.jdoeOauth2)).status).toBe(401);
      const check = await local.send("POST", `/applications/${local.tokens.clientId}/token`, {
        headers: { authorization: auth },
        body: { access_token: local.tokens.jdoeOauth },
      });
      expect(check.status).toBe(404);
      const again = await local.send("DELETE", `/applications/${local.tokens.clientId}/grant`, {
        headers: { authorization: auth },
        body: { access_token: local.tokens.jdoeOauth },
      });
      expect(again.status).toBe(404);
      expect((await local.get("/user", local.tokens.admin)).status).toBe(200);
    } finally {
      await local.close();
    }
  });
});
