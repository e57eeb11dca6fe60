/**
 * The sandbox's GitHub Enterprise Cloud audit log: every write on an org that has one records an
 * event, and queries see it as GitHub serves it (phrase qualifiers, the `after` cursor, retention,
 * the log's delay, the hourly budget). Time is the sandbox's injected clock, moved by the test.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { githubFixtureWorld, type GitHubFixtureTokens } from "../support/github-harness.js";

const START = Date.parse("2026-12-01T00:00:00Z");
let nowMs = START;
let sandbox: SandboxHandle;
let tokens: GitHubFixtureTokens;

interface Event {
  action: string;
  repo?: string;
  hook_id?: number;
  oauth_application_id?: number;
  public_key_id?: number;
  old_name?: string;
  created_at: number;
}

beforeEach(async () => {
  nowMs = START;
  const fixture = githubFixtureWorld(0);
  fixture.world.github.orgs[0]!.auditLog = [];
  tokens = fixture.tokens;
  sandbox = await startSandbox({ seed: fixture.world, now: () => nowMs });
});

afterEach(async () => {
  await sandbox.close();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
  token = tokens.admin,
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const url = path.startsWith("http") ? path : `${sandbox.baseUrl}${path.startsWith("/_sandbox") ? "" : "/github"}${path}`;
  const res = await fetch(url, {
    method,
    headers: { authorization: `token ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text.length > 0 ? JSON.parse(text) : undefined };
}

async function log(org = "acme", phrase = ""): Promise<Event[]> {
  const res = await call("GET", `/orgs/${org}/audit-log?order=asc&per_page=100&phrase=${encodeURIComponent(phrase)}`);
  expect(res.status).toBe(200);
  return res.body as Event[];
}

const DOCKER = "https://cloud.docker.com/api/build/v1/vcs/77/trigger/call/";

describe("audit log events", () => {
  it("records hook, deploy key and repository writes with the repository, the hook and the creating app", async () => {
    const created = await call("POST", "/repos/acme/api/hooks", { config: { url: DOCKER } }, tokens.jdoeOauth);
    expect(created.status).toBe(201);
    const hookId = (created.body as { id: number }).id;
    await call("PATCH", `/repos/acme/api/hooks/${hookId}`, { config: { url: `${DOCKER}x` } });
    await call("PATCH", `/repos/acme/api/hooks/${hookId}`, { events: ["push", "create"], active: false });
    await call("DELETE", `/repos/acme/api/hooks/${hookId}`);
    const key = await call("POST", "/repos/acme/api/keys", { key: "ssh-ed25519 AAAAnewkey k", title: "t" });
    const keyId = (key.body as { id: number }).id;
    await call("DELETE", `/repos/acme/api/keys/${keyId}`);
    await call("PATCH", "/repos/acme/api", { name: "api2" });
    await call("PATCH", "/repos/acme/api2", { archived: true });
    await call("PATCH", "/repos/acme/api2", { archived: false });
    // A write on an org without Enterprise Cloud's log records nothing anywhere.
    await call("POST", "/repos/contractor-co/app/hooks", { config: { url: DOCKER } });

    const events = await log();
    expect(events.map((e) => e.action)).toEqual([
      "hook.create",
      "hook.config_changed",
      "hook.events_changed",
      "hook.active_changed",
      "hook.destroy",
      "public_key.create",
      "public_key.delete",
      "repo.rename",
      "repo.archived",
      "repo.unarchived",
    ]);
    expect(events[0]).toMatchObject({ repo: "acme/api", hook_id: hookId, oauth_application_id: expect.any(Number) });
    expect(events[4]).not.toHaveProperty("oauth_application_id");
    expect(events[5]).toMatchObject({ repo: "acme/api", public_key_id: keyId });
    expect(events[7]).toMatchObject({ repo: "acme/api2", old_name: "acme/api" });
    expect((await call("GET", "/orgs/contractor-co/audit-log")).status).toBe(404);
  });

  it("records what /_sandbox/act does: org access decisions and repositories created, deleted and transferred", async () => {
    const act = (body: unknown) => call("POST", "/_sandbox/act", body);
    expect((await act({ as: "org-owner", org: "acme", app: tokens.clientId, action: "deny" })).status).toBe(200);
    expect((await act({ as: "repo-admin", repo: "acme/fresh", action: "create" })).status).toBe(200);
    expect((await act({ as: "repo-admin", repo: "acme/fresh", action: "transfer", to: "contractor-co" })).status).toBe(200);
    expect((await act({ as: "repo-admin", repo: "acme/api", action: "delete" })).status).toBe(200);
    const events = await log();
    expect(events.map((e) => [e.action, e.repo ?? e.old_name ?? null])).toEqual([
      ["org.oauth_app_access_denied", null],
      ["repo.create", "acme/fresh"],
      ["repo.transfer", "contractor-co/fresh"],
      ["repo.destroy", "acme/api"],
    ]);
    expect(events[2]).toMatchObject({ old_name: "acme/fresh" });
  });
});

describe("audit log queries", () => {
  it("filters by action: category and created: bounds, and pages with the after cursor of the Link header", async () => {
    for (let i = 0; i < 5; i++) {
      await call("POST", "/repos/acme/api/keys", { key: `ssh-ed25519 AAAAkey${i} k`, title: `k${i}` });
      nowMs += 60_000;
    }
    await call("POST", "/repos/acme/api/hooks", { config: { url: DOCKER } });
    expect((await log("acme", "action:hook")).map((e) => e.action)).toEqual(["hook.create"]);
    const since = new Date(START + 2 * 60_000).toISOString();
    expect(await log("acme", `action:public_key created:>=${since}`)).toHaveLength(3);
    expect(await log("acme", `created:<${since}`)).toHaveLength(2);

    const seen: string[] = [];
    let next: string | null = "/orgs/acme/audit-log?order=asc&per_page=2&phrase=action%3Apublic_key";
    while (next !== null) {
      const page = await call("GET", next);
      seen.push(...(page.body as Event[]).map((e) => String(e.public_key_id)));
      const link = page.headers.get("link");
      next = link === null ? null : (/<([^>]+)>; rel="next"/.exec(link)?.[1] ?? null);
      if (next !== null) expect(new URL(next).searchParams.get("after")).not.toBeNull();
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    // A later query from the last page's cursor sees only what came after it.
    await call("POST", "/repos/acme/api/keys", { key: "ssh-ed25519 AAAAlater k", title: "later" });
    const first = await call("GET", "/orgs/acme/audit-log?order=asc&per_page=5&phrase=action%3Apublic_key");
    const cursor = new URL(/<([^>]+)>/.exec(first.headers.get("link") ?? "")?.[1] ?? "http://x/").searchParams.get("after");
    const rest = await call("GET", `/orgs/acme/audit-log?order=asc&phrase=action%3Apublic_key&after=${cursor}`);
    expect((rest.body as Event[]).map((e) => e.action)).toEqual(["public_key.create"]);
    expect((await call("GET", "/orgs/acme/audit-log?after=not-a-cursor")).status).toBe(422);
    expect((await call("GET", `/orgs/acme/audit-log?phrase=${encodeURIComponent("created:>=yesterday")}`)).status).toBe(422);
  });

  it("shows an event only once the configured delay has passed, and keeps 180 days", async () => {
    expect((await call("PUT", "/_sandbox/audit-log", { delaySeconds: 120 })).body).toEqual({ delaySeconds: 120, queriesPerHour: 1750 });
    await call("POST", "/repos/acme/api/hooks", { config: { url: DOCKER } });
    expect(await log()).toEqual([]);
    nowMs += 119_000;
    expect(await log()).toEqual([]);
    nowMs += 1_000;
    expect((await log()).map((e) => e.action)).toEqual(["hook.create"]);
    nowMs += 180 * 86_400_000 - 120_000;
    expect(await log()).toHaveLength(1);
    nowMs += 1;
    expect(await log()).toEqual([]);
    expect((await call("PUT", "/_sandbox/audit-log", { delaySeconds: -1 })).status).toBe(400);
  });

  it("answers 429 past the hourly query budget, until the hour has passed", async () => {
    await call("PUT", "/_sandbox/audit-log", { queriesPerHour: 2 });
    expect((await call("GET", "/orgs/acme/audit-log")).status).toBe(200);
    expect((await call("GET", "/orgs/acme/audit-log")).status).toBe(200);
    const refused = await call("GET", "/orgs/acme/audit-log");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBe(3600);
    nowMs += 3_600_000;
    expect((await call("GET", "/orgs/acme/audit-log")).status).toBe(200);
  });
});
