import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { demoSeedPath } from "../../sandbox/server.js";
import { generateScaleWorld, scaleSeed, SCALE_CLIENT_ID } from "../../sandbox/scale-world.js";
import { loadSeed, loadSeedFile, SeedError, type SeedDocument } from "../../sandbox/seed.js";

const CLIENT_ID = "Iv1.5a9d0c3e7b214f68";

/** A small valid seed; each test changes one thing. */
function happySeed(): SeedDocument {
  return {
    oauthApps: [{ provider: "github", clientId: "Iv1.app", name: "Builder" }],
    github: {
      users: [{ login: "alice" }],
      orgs: [{ login: "org", owners: ["alice"], appAccess: { "Iv1.app": "granted" } }],
      repos: [{ name: "org/repo", hooks: [{ url: "https://hooks.example/x", secret: true }], deployKeys: [{ title: "Builder" }] }],
    },
    buildService: { namespaces: [{ name: "ns", links: [{ provider: "github", account: "alice", repositories: ["org/repo"] }] }] },
  };
}

function problemsOf(input: string | SeedDocument): string[] {
  try {
    loadSeed(input, "seed.yaml");
  } catch (e) {
    if (e instanceof SeedError) return e.problems;
    throw e;
  }
  throw new Error("expected a SeedError");
}

describe("demo world (sandbox/worlds/demo.yaml)", () => {
  const world = loadSeedFile(demoSeedPath());
  const repo = (full: string) => world.github.repos.find((r) => `${r.owner}/${r.name}` === full)!;
  const isBuildHook = (url: string) =>
    url.startsWith("https://cloud.docker.com/api/build/v1/vcs/") || url.startsWith("https://registry.hub.docker.com/hooks/");

  it("has the build service's OAuth apps with a generated GitHub client secret", () => {
    expect(world.oauthApps.map((a) => [a.provider, a.clientId, a.name])).toEqual([
      ["github", CLIENT_ID, "Docker Hub Builder"],
      ["bitbucket", "SbxKey7Q2w", "Docker Hub Builder"],
    ]);
    expect(world.oauthApps[0]!.clientSecret).toMatch(/^sbx-cs-[0-9a-f]{32}$/);
  });

  it("has the users, orgs and org app policies", () => {
    expect(world.github.accounts.filter((a) => a.type === "User").map((a) => a.login)).toEqual(["jdoe", "acme-builder", "legacy-builder"]);
    const acme = world.github.orgs.find((o) => o.login === "acme")!;
    const contractor = world.github.orgs.find((o) => o.login === "contractor-co")!;
    expect(acme.oauthAppAccess).toEqual({ [CLIENT_ID]: "granted" });
    expect(acme.auditLog?.map((e) => e.action)).toEqual(["org.oauth_app_access_approved"]);
    expect(contractor.oauthAppAccess).toEqual({ [CLIENT_ID]: "denied" });
    expect(contractor.oauthRestrictionsEnabled).toBe(true);
    expect(world.bitbucket.users.map((u) => [u.username, u.workspaces])).toEqual([["acme-bb-builder", ["acme-team"]]]);
  });

  it("has the three live links of namespace acme with their grants", () => {
    const [team, legacy, mobile] = world.buildService.links;
    expect(world.buildService.links.every((l) => l.namespace === "acme")).toBe(true);
    expect(team).toMatchObject({
      team: "ci",
      provider: "github",
      account: "jdoe",
      service_account: false,
      state: "enabled",
      repositories: ["acme/api", "acme/web"],
    });
    expect(legacy).toMatchObject({
      provider: "github",
      account: "legacy-builder",
      state: "unlinked",
      repositories: ["acme/legacy-api", "acme/legacy-web", "acme/legacy-worker"],
    });
    expect(mobile).toMatchObject({
      provider: "bitbucket",
      account: "acme-bb-builder",
      state: "enabled",
      repositories: ["acme-team/mobile"],
    });
    const legacyGrant = world.github.tokens.find((t) => t.token === legacy!.grantToken)!;
    expect(legacyGrant).toMatchObject({ kind: "oauth", login: "legacy-builder", clientId: CLIENT_ID, revoked: false });
    expect(world.bitbucket.users[0]!.grants).toEqual([{ consumerKey: "SbxKey7Q2w", revoked: false, accessToken: mobile!.grantToken }]);
  });

  it("puts a secret build-service webhook and a deploy key on acme/api and acme/web", () => {
    for (const name of ["acme/api", "acme/web"]) {
      const r = repo(name);
      expect(r.hooks).toHaveLength(1);
      expect(r.hooks[0]!.config.url).toMatch(/^https:\/\/cloud\.docker\.com\/api\/build\/v1\/vcs\/[0-9a-f-]{36}\/trigger\/call\/$/);
      expect(r.hooks[0]!.active).toBe(true);
      expect(r.hooks[0]!.config.secret).toMatch(/^sbx-hook-/);
      expect(r.keys.map((k) => k.title)).toEqual([expect.stringMatching(/^Docker Hub Builder/)]);
    }
  });

  it("leaves a build-service webhook, a deploy key and ONE foreign webhook on each legacy repository", () => {
    for (const name of ["acme/legacy-api", "acme/legacy-web", "acme/legacy-worker"]) {
      const urls = repo(name).hooks.map((h) => h.config.url);
      expect(urls.filter(isBuildHook)).toHaveLength(1);
      expect(urls.filter((u) => !isBuildHook(u))).toEqual(["https://ci.acme.example/hooks/github"]);
      expect(repo(name).keys.map((k) => k.title)).toEqual(["Docker Hub Builder"]);
    }
  });

  it("has a build-service webhook on acme-team/mobile and an operator for the env (Docker Hub included)", () => {
    const mobile = world.bitbucket.repos.find((r) => r.workspace === "acme-team" && r.slug === "mobile")!;
    expect(mobile.hooks.map((h) => h.url).filter(isBuildHook)).toHaveLength(1);
    expect(world.operator).toEqual({ github: "jdoe", bitbucket: "acme-bb-builder", namespace: "acme", dockerHub: "acme-ci" });
  });

  it("matches examples/basic/sourcelinks.yaml (apps, links, orgs)", () => {
    const config = parse(readFileSync(new URL("../../examples/basic/sourcelinks.yaml", import.meta.url), "utf8")) as {
      buildService: { oauthApps: { github: { clientId: string }; bitbucket: { key: string } } };
      links: { name: string; namespace: string; account: string; repositories: string[] }[];
      orgAccess: { org: string; access: string }[];
    };
    expect(config.buildService.oauthApps.github.clientId).toBe(CLIENT_ID);
    expect(config.buildService.oauthApps.bitbucket.key).toBe("SbxKey7Q2w");
    const declared = new Set([
      ...world.github.repos.map((r) => `${r.owner}/${r.name}`),
      ...world.bitbucket.repos.map((r) => `${r.workspace}/${r.slug}`),
    ]);
    for (const link of config.links) {
      expect(link.namespace).toBe("acme");
      for (const r of link.repositories) expect(declared.has(r)).toBe(true);
    }
    expect(config.links.map((l) => [l.name, l.account])).toEqual([
      ["acme-builds", "acme-builder"],
      ["legacy-builds", "legacy-builder"],
      ["mobile-builds", "acme-bb-builder"],
    ]);
    expect(config.orgAccess.map((o) => [o.org, world.github.orgs.find((g) => g.login === o.org)!.oauthAppAccess[CLIENT_ID]])).toEqual([
      ["acme", "granted"],
      ["contractor-co", "denied"],
    ]);
  });

  it("generates fresh fake secrets on every load, none shaped like GitHub tokens", () => {
    const again = loadSeedFile(demoSeedPath());
    const secrets = [
      ...world.github.tokens.map((t) => t.token),
      ...world.buildService.tokens.map((t) => t.token),
      world.bitbucket.users[0]!.appPassword,
    ];
    for (const s of secrets) expect(s).toMatch(/^sbx-[a-z-]+-[0-9a-f]{32}$/);
    expect(secrets.some((s) => /^(ghp_|gho_|ghs_|ghu_|github_pat_)/.test(s))).toBe(false);
    expect(again.github.tokens[0]!.token).not.toBe(world.github.tokens[0]!.token);
  });
});

describe("loadSeed", () => {
  it("builds ids from nextId and keeps given values", () => {
    const seed = happySeed();
    seed.github!.users![0]!.pat = "sbx-fixed-pat";
    const world = loadSeed(seed);
    const ids = [
      ...world.github.accounts.map((a) => a.id),
      ...world.github.repos.map((r) => r.id),
      ...world.github.repos[0]!.hooks.map((h) => h.id),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    expect(Math.min(...ids)).toBeGreaterThanOrEqual(1000);
    expect(world.nextId).toBeGreaterThan(Math.max(...ids));
    expect(world.github.tokens[0]).toEqual({ token: "sbx-fixed-pat", login: "alice", kind: "pat", clientId: null, revoked: false });
    expect(world.github.repos[0]!.hooks[0]).toMatchObject({
      active: true,
      events: ["push"],
      config: { content_type: "json", insecure_ssl: "0" },
      last_response: { code: null, status: "unused" },
    });
  });

  it("issues the link's grant as an oauth token, revoked when asked, none when asked", () => {
    for (const [grant, revoked] of [
      ["active", false],
      ["revoked", true],
    ] as const) {
      const seed = happySeed();
      seed.buildService!.namespaces![0]!.links![0]!.grant = grant;
      const world = loadSeed(seed);
      const link = world.buildService.links[0]!;
      expect(world.github.tokens.find((t) => t.token === link.grantToken)).toMatchObject({
        kind: "oauth",
        login: "alice",
        clientId: "Iv1.app",
        revoked,
      });
    }
    const seed = happySeed();
    seed.buildService!.namespaces![0]!.links![0]!.grant = "none";
    expect(loadSeed(seed).buildService.links[0]!.grantToken).toBeNull();
  });

  it("merges one token value listed under two namespaces", () => {
    const seed = happySeed();
    seed.buildService!.namespaces = [
      { name: "a", tokens: [{ value: "sbx-shared" }] },
      { name: "b", tokens: [{ value: "sbx-shared" }] },
    ];
    expect(loadSeed(seed).buildService.tokens).toEqual([{ token: "sbx-shared", namespaces: ["a", "b"] }]);
  });

  it("reports an unknown key with its line and column", () => {
    const text = "github:\n  users:\n    - login: alice\n      nmae: Alice\n";
    expect(problemsOf(text)).toEqual(['seed.yaml:4:7: unknown key "nmae" in /github/users/0']);
  });

  it("reports a bad enum value at its key", () => {
    const text = "buildService:\n  namespaces:\n    - name: ns\n      links:\n        - { provider: gitlab, account: a }\n";
    expect(problemsOf(text)).toEqual(["seed.yaml:5:13: /buildService/namespaces/0/links/0/provider must be one of github, bitbucket"]);
  });

  it("reports YAML syntax errors with a position", () => {
    expect(problemsOf("github: [\n")[0]).toMatch(/^seed\.yaml:\d+:\d+: /);
  });

  it("reports every dangling reference", () => {
    const seed = happySeed();
    seed.github!.repos!.push({ name: "nobody/repo" });
    seed.github!.orgs![0]!.members = ["ghost-user"];
    seed.buildService!.namespaces![0]!.links![0]!.repositories = ["org/missing"];
    expect(problemsOf(seed)).toEqual([
      'seed.yaml: /github/orgs/0/members/0: "ghost-user" is not a declared GitHub user',
      'seed.yaml: /github/repos/1/name: owner "nobody" is not a declared GitHub user or org',
      'seed.yaml: /buildService/namespaces/0/links/0/repositories/0: "org/missing" is not a declared github repository',
    ]);
  });

  it("refuses a link grant without an OAuth app for its provider", () => {
    const seed = happySeed();
    seed.oauthApps = [];
    seed.github!.orgs![0]!.appAccess = {};
    expect(problemsOf(seed)).toEqual([
      "seed.yaml: /buildService/namespaces/0/links/0/grant: a grant needs a github OAuth app in oauthApps (or set grant: none)",
    ]);
  });
});

describe("generateScaleWorld", () => {
  it("deals repositories to links and gives some repositories more than 100 hooks", () => {
    const world = generateScaleWorld({
      links: 10,
      repositories: 50,
      foreignHooksPerRepo: 2,
      multiPageRepos: 3,
      hooksPerMultiPageRepo: 125,
    });
    expect(world.buildService.links).toHaveLength(10);
    expect(world.buildService.links.every((l) => l.repositories.length === 5)).toBe(true);
    expect(world.github.repos).toHaveLength(50);
    expect(world.github.repos.slice(0, 3).map((r) => r.hooks.length)).toEqual([125, 125, 125]);
    expect(world.github.repos[3]!.hooks).toHaveLength(3);
    expect(world.github.tokens.filter((t) => t.kind === "oauth" && t.clientId === SCALE_CLIENT_ID)).toHaveLength(10);
  });

  it("defaults to 1,000 links over 5,000 repositories", () => {
    const seed = scaleSeed();
    expect(seed.buildService!.namespaces![0]!.links).toHaveLength(1000);
    expect(seed.github!.repos).toHaveLength(5000);
  });
});
