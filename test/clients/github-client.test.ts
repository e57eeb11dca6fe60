import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EtagCache } from "../../engine/clients/etag-cache.js";
import { createGitHubClients, type ClientLogger, type GitHubClientSettings } from "../../engine/clients/github/index.js";
import { HttpError } from "../../engine/clients/http-error.js";
import { Secret } from "../../engine/model/secret.js";
import type { PlannedRequest } from "../../engine/model/plan.js";
import { deleteDeployKeyRequest } from "../../engine/reconcile/steps/delete-deploy-key.js";
import { deleteWebhookRequest } from "../../engine/reconcile/steps/delete-webhook.js";
import { revokeGrantRequest } from "../../engine/reconcile/steps/revoke-grant.js";
import { Faults } from "../../sandbox/faults.js";
import { startGitHubSandbox, type GitHubSandbox } from "../support/github-harness.js";

/** A logger that keeps every line, to prove no secret is ever logged. */
function capturingLogger(): ClientLogger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (m: string): void => {
    lines.push(m);
  };
  return { lines, debug: keep, info: keep, warn: keep, error: keep };
}

/** A fault seed whose single rate-limit answer has the wanted status (the sandbox draws 403 or 429). */
function seedFor(status: 403 | 429, path: string): number {
  for (let seed = 1; seed < 1000; seed++) {
    const faults = new Faults();
    faults.add({ rateLimitRate: 1, seed });
    const outcome = faults.decide("github", "GET", path).outcome;
    if (outcome.kind === "rate-limit" && outcome.status === status) return seed;
  }
  throw new Error(`no seed gives ${status}`);
}

let gh: GitHubSandbox;
let logger: ReturnType<typeof capturingLogger>;

/** The planned delete of a repository's webhook or deploy key, as its step kind builds it. */
const ghHook = (repository: string, id: string, api = gh.apiUrl): PlannedRequest => deleteWebhookRequest("github", api, repository, id);
const ghKey = (repository: string, id: string): PlannedRequest => deleteDeployKeyRequest("github", gh.apiUrl, repository, id);

function clients(overrides: Partial<GitHubClientSettings> = {}) {
  return createGitHubClients({ apiUrl: gh.apiUrl, token: new Secret(gh.tokens.admin), retryAfterBaseMs: 5, logger, ...overrides });
}

function primaryPoints(): number {
  return Object.values(gh.sandbox.counters().primaryPointsByToken).reduce((a, b) => a + b, 0);
}

beforeEach(async () => {
  gh = await startGitHubSandbox();
  logger = capturingLogger();
});

afterEach(async () => {
  await gh.close();
});

describe("GitHubProviderClient", () => {
  it("maps hooks: id as string, secret presence, insecure_ssl, last_response", async () => {
    const { provider } = clients();
    expect(provider.kind).toBe("github");
    const listing = await provider.listWebhooks("acme/api");
    expect(listing.exists).toBe(true);
    expect(listing.items).toEqual([
      {
        id: "101",
        url: "https://cloud.docker.com/api/build/v1/vcs/1111/trigger/call/",
        active: true,
        events: ["push", "pull_request"],
        hasSecret: true,
        insecureSsl: false,
        lastResponse: { code: 200, status: "active", message: "OK" },
      },
      {
        id: "102",
        url: "https://ci.acme.example/hooks/github",
        active: false,
        events: ["push", "pull_request"],
        hasSecret: false,
        insecureSsl: true,
        lastResponse: { code: 200, status: "active", message: "OK" },
      },
    ]);
    expect(await provider.listDeployKeys("acme/api")).toEqual({
      exists: true,
      items: [{ id: "103", title: "Docker Hub Builder acme/api", readOnly: true }],
    });
  });

  it("reports a missing or invisible repository as exists: false", async () => {
    const { provider } = clients();
    expect(await provider.listWebhooks("acme/does-not-exist")).toEqual({ exists: false, items: [] });
    const outsider = clients({ token: new Secret(gh.tokens.outsider) }).provider;
    expect(await outsider.listDeployKeys("acme/api")).toEqual({ exists: false, items: [] });
  });

  it("follows pagination across 3 pages of 100 for 250 hooks", async () => {
    const { provider } = clients();
    const before = gh.sandbox.counters().byEndpoint["GET /github/repos/:owner/:repo/hooks"] ?? 0;
    const listing = await provider.listWebhooks("acme/many");
    expect(listing.items).toHaveLength(250);
    expect(new Set(listing.items.map((h) => h.id)).size).toBe(250);
    expect(gh.sandbox.counters().byEndpoint["GET /github/repos/:owner/:repo/hooks"]! - before).toBe(3);
  });

  it("revalidates a second listing with If-None-Match: every page 304, zero primary points", async () => {
    const etagCache = new EtagCache();
    const { provider } = clients({ etagCache });
    const first = await provider.listWebhooks("acme/many");
    const pointsAfterFirst = primaryPoints();
    const notModifiedBefore = gh.sandbox.counters().notModified;
    const second = await provider.listWebhooks("acme/many");
    expect(second).toEqual(first);
    expect(gh.sandbox.counters().notModified - notModifiedBefore).toBe(3);
    expect(primaryPoints()).toBe(pointsAfterFirst);
  });

  it("persists the ETag cache to a file and revalidates from it in a new run", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sourcelinks-etag-"));
    try {
      const file = join(dir, "nested", "etags.json");
      const cache = new EtagCache({ file });
      await clients({ etagCache: cache }).provider.listWebhooks("acme/many");
      await cache.save();
      const reloaded = EtagCache.fromFile(file);
      expect(reloaded.size).toBe(3);
      const before = gh.sandbox.counters().notModified;
      const listing = await clients({ etagCache: reloaded }).provider.listWebhooks("acme/many");
      expect(listing.items).toHaveLength(250);
      expect(gh.sandbox.counters().notModified - before).toBe(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("deletes idempotently and invalidates the repository's cached listings", async () => {
    const etagCache = new EtagCache();
    const { provider } = clients({ etagCache });
    await provider.listWebhooks("acme/api");
    await provider.listWebhooks("acme/many");
    expect(await provider.deleteWebhook("acme/api", ghHook("acme/api", "101"))).toBe("deleted");
    expect(await provider.deleteWebhook("acme/api", ghHook("acme/api", "101"))).toBe("gone");
    const before = gh.sandbox.counters().notModified;
    const after = await provider.listWebhooks("acme/api");
    expect(after.items.map((h) => h.id)).toEqual(["102"]);
    // acme/api was fetched afresh (no If-None-Match); acme/many's cache is untouched.
    expect(gh.sandbox.counters().notModified).toBe(before);
    await provider.listWebhooks("acme/many");
    expect(gh.sandbox.counters().notModified - before).toBe(3);
    expect(await provider.deleteDeployKey("acme/api", ghKey("acme/api", "103"))).toBe("deleted");
    expect(await provider.deleteDeployKey("acme/api", ghKey("acme/api", "103"))).toBe("gone");
  });

  it("constructs without a token and fails calls with 'no GitHub token'", async () => {
    const { provider } = clients({ token: null });
    await expect(provider.listWebhooks("acme/api")).rejects.toThrow(/no GitHub token/);
    expect(gh.sandbox.counters().requests).toBe(0);
  });
});

describe("rate limits and retries", () => {
  it.each([403, 429] as const)("waits out a secondary rate limit (%i, retry-after) and succeeds", async (status) => {
    gh.sandbox.injectFault({
      rateLimitRate: 1,
      retryAfterSeconds: 1,
      count: 1,
      match: { service: "github", pathPrefix: "/github/repos/acme/api/hooks" },
      seed: seedFor(status, "/github/repos/acme/api/hooks"),
    });
    const { provider } = clients();
    const listing = await provider.listWebhooks("acme/api");
    expect(listing.items).toHaveLength(2);
    const counters = gh.sandbox.counters();
    expect(counters.rejections.injected).toBe(1);
    expect(counters.byStatus[String(status)]).toBe(1);
    expect(logger.lines.some((l) => l.includes("secondary rate limit"))).toBe(true);
  });

  it("retries a 5xx answer", async () => {
    gh.sandbox.injectFault({
      errorRate: 1,
      errorStatus: 502,
      count: 1,
      match: { service: "github", pathPrefix: "/github/repos/acme/api/keys" },
    });
    const { provider } = clients();
    expect((await provider.listDeployKeys("acme/api")).items).toHaveLength(1);
    expect(gh.sandbox.counters().byStatus["502"]).toBe(1);
  });

  it("gives up after the configured rate-limit retries with an HttpError carrying retry-after", async () => {
    gh.sandbox.injectFault({
      rateLimitRate: 1,
      retryAfterSeconds: 1,
      count: 10,
      match: { service: "github", pathPrefix: "/github/repos/acme/api/hooks" },
    });
    const { provider } = clients({ rateLimitRetries: 1 });
    const error = await provider.listWebhooks("acme/api").then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).retryAfterSeconds).toBe(1);
    expect(gh.sandbox.counters().rejections.injected).toBe(2);
  });
});

describe("GitHubGrantClient", () => {
  it("checks and revokes a grant with Basic client credentials, idempotently", async () => {
    const { grants } = clients({ token: null });
    const id = gh.tokens.clientId;
    const secret = new Secret(gh.tokens.clientSecret);
    const access = new Secret(gh.tokens.jdoeOauth);
    expect(await grants.checkGrant(id, secret, access)).toBe("active");
    expect(await grants.revokeGrant(revokeGrantRequest(gh.apiUrl, id), id, secret, access)).toBe("revoked");
    expect(await grants.checkGrant(id, secret, access)).toBe("revoked");
    expect(await grants.checkGrant(id, secret, new Secret(gh.tokens.jdoeOauth2))).toBe("revoked");
    expect(await grants.revokeGrant(revokeGrantRequest(gh.apiUrl, id), id, secret, access)).toBe("gone");
  });
});

describe("GitHubOrgAccessProbe", () => {
  it("detects the OAuth App restriction 403 as denied and a normal answer as granted", async () => {
    const { orgAccess } = clients();
    expect(await orgAccess.probe("contractor-co", new Secret(gh.tokens.jdoeOauth))).toBe("denied");
    expect(await orgAccess.probe("acme", new Secret(gh.tokens.jdoeOauth))).toBe("granted");
  });

  it("rethrows other failures of a probe", async () => {
    const { orgAccess } = clients();
    await expect(orgAccess.probe("acme", new Secret(gh.tokens.revoked))).rejects.toMatchObject({ status: 401, service: "github" });
  });

  it("reads the newest org.oauth_app_access_* event for the app from the audit log; null where there is none", async () => {
    const { orgAccess } = clients();
    expect(await orgAccess.fromAuditLog("acme", gh.tokens.clientId)).toBe("granted");
    expect(await orgAccess.fromAuditLog("acme", "Iv1.unknownapp")).toBeNull();
    expect(await orgAccess.fromAuditLog("contractor-co", gh.tokens.clientId)).toBeNull();
  });
});

describe("secrets", () => {
  it("never puts a token in an error's message, stack, JSON or inspection, nor in a log line", async () => {
    const badToken = gh.tokens.revoked;
    const secrets = [badToken, gh.tokens.clientSecret, gh.tokens.jdoeOauth, gh.tokens.admin];
    const failures: unknown[] = [];
    const collect = (p: Promise<unknown>): Promise<void> =>
      p.then(
        () => {
          throw new Error("expected a failure");
        },
        (e: unknown) => {
          failures.push(e);
        },
      );
    await collect(clients({ token: new Secret(badToken) }).provider.listWebhooks("acme/api"));
    await collect(clients({ token: new Secret(badToken) }).provider.deleteWebhook("acme/api", ghHook("acme/api", "101")));
    await collect(clients().grants.checkGrant(gh.tokens.clientId, new Secret(gh.tokens.clientSecret), new Secret("")));
    await collect(
      clients().grants.revokeGrant(
        revokeGrantRequest(gh.apiUrl, "Iv1.wrongclient"),
        "Iv1.wrongclient",
        new Secret(gh.tokens.clientSecret),
        new Secret(gh.tokens.jdoeOauth),
      ),
    );
    await collect(clients().orgAccess.probe("acme", new Secret(badToken)));
    expect(failures).toHaveLength(5);
    for (const error of failures) {
      expect(error).toBeInstanceOf(HttpError);
      const e = error as HttpError;
      const views = [e.message, e.stack ?? "", JSON.stringify(e), inspect(e, { depth: 10 }), String(e.cause ?? "")];
      for (const view of views) for (const s of secrets) expect(view).not.toContain(s);
    }
    expect(logger.lines.length).toBeGreaterThan(0);
    for (const line of logger.lines) for (const s of secrets) expect(line).not.toContain(s);
  });
});

describe("against the sandbox's enforced limits", () => {
  let limited: GitHubSandbox;
  beforeAll(async () => {
    // A GitHub minute lasts 0.5 s; 20 points per endpoint per minute, 4 content-creating requests.
    limited = await startGitHubSandbox({
      timeScale: 120,
      limits: { enabled: true, endpointPointsPerMinute: 20, contentCreatingPerMinute: 4 },
    });
  });
  afterAll(async () => {
    await limited.close();
  });

  it("paces reads and deletes so that no request is rejected", async () => {
    const { provider } = createGitHubClients({
      apiUrl: limited.apiUrl,
      token: new Secret(limited.tokens.admin),
      pacing: { budgets: true, timeScale: 120, endpointPointsPerMinute: 20, contentCreatingPerMinute: 4 },
    });
    const reads = Array.from({ length: 30 }, () => provider.listDeployKeys("acme/api"));
    const deletes = Array.from({ length: 6 }, (_, i) =>
      provider.deleteWebhook("acme/many", ghHook("acme/many", String(5000 + i), limited.apiUrl)),
    );
    const results = await Promise.all([...reads, ...deletes]);
    expect(results.slice(30)).toEqual(Array(6).fill("deleted"));
    const counters = limited.sandbox.counters();
    expect(counters.rejections).toMatchObject({ "secondary-points": 0, "secondary-content-creation": 0, primary: 0 });
    expect(counters.byEndpoint["GET /github/repos/:owner/:repo/keys"]).toBe(30);
  });
});
