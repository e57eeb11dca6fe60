/**
 * Repositories as GitHub changes and lists them: a rename keeps the id and the old name redirects
 * (301 to reads, 307 to writes, `Location: /repositories/{id}…`), every repository route answers by id,
 * GraphQL follows renames; an archived repository can be unarchived; a user's repositories are public
 * to everyone but the user, who lists the private ones with `GET /user/repos`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startGitHubSandbox, type GitHubSandbox } from "../support/github-harness.js";

let gh: GitHubSandbox;

beforeAll(async () => {
  gh = await startGitHubSandbox({ manyHooks: 1 });
});

afterAll(async () => {
  await gh.close();
});

beforeEach(async () => {
  await gh.sandbox.reset();
});

/** One exchange without following redirects. */
async function raw(
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; location: string | null; body: unknown }> {
  const res = await fetch(path.startsWith("http") ? path : `${gh.sandbox.baseUrl}/github${path}`, {
    method,
    redirect: "manual",
    headers: { authorization: `token ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, location: res.headers.get("location"), body: text === "" ? null : (JSON.parse(text) as unknown) };
}

describe("renaming a repository", () => {
  it("keeps its id, hooks and keys; the old name answers 301 to reads and 307 to writes, pointing at /repositories/{id}", async () => {
    const admin = gh.tokens.admin;
    const renamed = await raw("PATCH", "/repos/acme/api", admin, { name: "api-v2" });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: 100, name: "api-v2", full_name: "acme/api-v2" });

    const base = `${gh.sandbox.baseUrl}/github/repositories/100`;
    const read = await raw("GET", "/repos/acme/api", admin);
    expect([read.status, read.location]).toEqual([301, base]);
    expect(read.body).toMatchObject({ message: "Moved Permanently", url: base });
    const hooks = await raw("GET", "/repos/acme/api/hooks?per_page=50", admin);
    expect([hooks.status, hooks.location]).toEqual([301, `${base}/hooks?per_page=50`]);
    const write = await raw("DELETE", "/repos/acme/api/hooks/101", admin);
    expect([write.status, write.location]).toEqual([307, `${base}/hooks/101`]);
    expect((await raw("PATCH", "/repos/acme/api", admin, { archived: true })).status).toBe(307);

    // By id, every repository route answers as for the current name.
    const byId = await raw("GET", `${base}/hooks`, admin);
    expect(byId.status).toBe(200);
    expect((byId.body as { id: number }[]).map((h) => h.id)).toEqual([101, 102]);
    expect((await raw("GET", base, admin)).body).toMatchObject({ full_name: "acme/api-v2" });
    expect((await raw("DELETE", `${base}/keys/103`, admin)).status).toBe(204);
    expect(gh.sandbox.world().github.repos.find((r) => r.id === 100)?.keys).toEqual([]);
    expect((await raw("GET", "/repositories/999999/hooks", admin)).status).toBe(404);

    // The listing shows the new name; whoever cannot see the private repository gets 404 for the old name too.
    const listing = await raw("GET", "/orgs/acme/repos", admin);
    expect((listing.body as { full_name: string }[]).map((r) => r.full_name)).toContain("acme/api-v2");
    expect((await raw("GET", "/repos/acme/api", gh.tokens.outsider)).status).toBe(404);
  });

  it("follows renames in GraphQL unless followRenames is false", async () => {
    await raw("PATCH", "/repos/acme/api", gh.tokens.admin, { name: "api-v2" });
    const query = async (follow: boolean): Promise<{ data: { repository: unknown } | null; errors?: { type: string }[] }> => {
      const res = await fetch(`${gh.sandbox.baseUrl}/github/graphql`, {
        method: "POST",
        headers: { authorization: `bearer ${gh.tokens.admin}`, "content-type": "application/json" },
        body: JSON.stringify({
          query: `query { repository(owner: "acme", name: "api", followRenames: ${follow}) { databaseId nameWithOwner } }`,
        }),
      });
      return (await res.json()) as { data: { repository: unknown } | null; errors?: { type: string }[] };
    };
    expect((await query(true)).data?.repository).toEqual({ databaseId: 100, nameWithOwner: "acme/api-v2" });
    const unfollowed = await query(false);
    expect(unfollowed.data?.repository).toBeNull();
    expect(unfollowed.errors?.map((e) => e.type)).toEqual(["NOT_FOUND"]);
  });

  it("refuses a name the owner already has, and a malformed one, with 422", async () => {
    gh.sandbox.world().github.repos.push({ id: 140, owner: "acme", name: "web", private: true, hooks: [], keys: [] });
    expect((await raw("PATCH", "/repos/acme/api", gh.tokens.admin, { name: "WEB" })).status).toBe(422);
    expect((await raw("PATCH", "/repos/acme/api", gh.tokens.admin, { name: "a/b" })).status).toBe(422);
    expect((await raw("PATCH", "/repos/acme/api", gh.tokens.outsider, { name: "x" })).status).toBe(404);
  });
});

describe("archiving a repository", () => {
  it("refuses writes while archived, takes only unarchiving, and writes go through again once unarchived", async () => {
    const admin = gh.tokens.admin;
    expect((await raw("PATCH", "/repos/acme/api", admin, { archived: true })).body).toMatchObject({ archived: true });
    expect((await raw("DELETE", "/repos/acme/api/hooks/101", admin)).status).toBe(403);
    expect((await raw("PATCH", "/repos/acme/api", admin, { name: "api-v2" })).status).toBe(403);

    const unarchived = await raw("PATCH", "/repos/acme/api", admin, { archived: false });
    expect(unarchived.status).toBe(200);
    expect(unarchived.body).toMatchObject({ archived: false, full_name: "acme/api" });
    expect((await raw("DELETE", "/repos/acme/api/hooks/101", admin)).status).toBe(204);
  });
});

describe("a user's repositories", () => {
  it("GET /users/{username}/repos lists public repositories only, even to the user; GET /user/repos?affiliation=owner lists the private ones too", async () => {
    gh.sandbox.world().github.repos.push({ id: 131, owner: "jdoe", name: "secret-app", private: true, hooks: [], keys: [] });
    const names = (body: unknown): string[] => (body as { full_name: string }[]).map((r) => r.full_name);
    const token = gh.tokens.jdoeOauth;
    expect(names((await raw("GET", "/users/jdoe/repos?type=owner", token)).body)).toEqual(["jdoe/dotfiles"]);
    expect(names((await raw("GET", "/users/jdoe/repos", gh.tokens.admin)).body)).toEqual(["jdoe/dotfiles"]);
    expect(names((await raw("GET", "/user/repos?affiliation=owner", token)).body)).toEqual(["jdoe/dotfiles", "jdoe/secret-app"]);
    expect(names((await raw("GET", "/user/repos?affiliation=owner&visibility=private", token)).body)).toEqual(["jdoe/secret-app"]);
    // Without a filter, the org repositories the user is a member of come too.
    expect(names((await raw("GET", "/user/repos", token)).body)).toEqual(["acme/api", "acme/many", "jdoe/dotfiles", "jdoe/secret-app"]);
    expect((await raw("GET", "/user/repos?type=owner&affiliation=owner", token)).status).toBe(422);
  });
});
