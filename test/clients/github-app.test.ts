/**
 * GitHub App authentication against the sandbox: the JWT and installation-token flow,
 * tokens replaced before expiry and after a 401 in the middle of a run (injected clock), one pacer
 * per installation, a missing permission reported as such, and the ETag cache across tokens: GitHub's
 * ETags are token specific, so a new token pays its listings in full; a dated resource revalidates by date.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EtagCache, type CachedResponse } from "../../engine/clients/etag-cache.js";
import { MissingPermissionError } from "../../engine/clients/github/missing-permission-error.js";
import { GitHubAppSetupError } from "../../engine/clients/github/app-credentials.js";
import { GitHubContext } from "../../engine/clients/github/context.js";
import { deleteWebhookRequest } from "../../engine/reconcile/steps/delete-webhook.js";
import type { PacerClock } from "../../engine/clients/pacer.js";
import { APP_ID, INSTALLATIONS, served, startAppWorld, type AppWorld } from "../support/github-app-harness.js";
import { expectNoSecretIn } from "../support/no-secret.js";

const MINT = "POST /github/app/installations/:installation_id/access_tokens";
const ORG_INSTALLATION = "GET /github/orgs/:org/installation";
const USER_INSTALLATION = "GET /github/users/:username/installation";
const HOOKS = "GET /github/repos/:owner/:repo/hooks";
const MINUTE = 60_000;

let world: AppWorld;
let dir: string;
beforeEach(async () => {
  world = await startAppWorld();
  dir = await mkdtemp(join(tmpdir(), "sourcelinks-app-etag-"));
});
afterEach(async () => {
  await world.close();
  await rm(dir, { recursive: true, force: true });
});

describe("GitHub App authentication", () => {
  it("signs a JWT, finds the owner's installation, mints one token per installation and lists with it", async () => {
    const gh = world.clients();
    const listing = await gh.provider.listWebhooks("acme/api");
    expect(listing.exists).toBe(true);
    expect(listing.items.map((h) => h.url)).toEqual(["https://cloud.docker.com/api/build/v1/vcs/acme-api/trigger/call/"]);
    await gh.provider.listWebhooks("acme/web");
    await gh.provider.listDeployKeys("acme/web");
    await gh.provider.listWebhooks("globex/api");
    // One look-up and one token per owner, however many requests follow.
    expect(served(world.sandbox, ORG_INSTALLATION)).toBe(2);
    expect(served(world.sandbox, MINT)).toBe(2);
    const issued = world.sandbox.world().github.installationTokens ?? [];
    expect(issued.map((t) => t.installationId).sort()).toEqual([INSTALLATIONS.acme, INSTALLATIONS.globex]);
    // The requests were charged to the installations, not to a token.
    const labels = Object.keys(world.sandbox.counters().primaryPointsByToken);
    expect(labels).toEqual(
      expect.arrayContaining([`installation:acme#${INSTALLATIONS.acme}`, `installation:globex#${INSTALLATIONS.globex}`]),
    );
  });

  it("uses the configured installation ids without looking them up", async () => {
    const gh = world.clients({}, { acme: INSTALLATIONS.acme });
    await gh.provider.listWebhooks("acme/api");
    expect(served(world.sandbox, ORG_INSTALLATION)).toBe(0);
    expect(served(world.sandbox, MINT)).toBe(1);
  });

  it("says the app is not installed on an owner that has no installation (orgs, then users, answered 404)", async () => {
    const gh = world.clients();
    await expect(gh.provider.listWebhooks("octo-admin/dotfiles")).rejects.toThrow(GitHubAppSetupError);
    await expect(gh.provider.listWebhooks("octo-admin/dotfiles")).rejects.toThrow(
      `github: the GitHub App 424242 is not installed on octo-admin (GET /orgs/octo-admin/installation and /users/octo-admin/installation answered 404): install the app on octo-admin (its settings → Install App), or name the installation under providers.github.auth.installations`,
    );
    expect(served(world.sandbox, USER_INSTALLATION)).toBe(2);
  });

  it("replaces a token before it expires, in the middle of a run (injected clock)", async () => {
    const gh = world.clients();
    await gh.provider.listWebhooks("acme/api");
    world.advance(50 * MINUTE);
    await gh.provider.listWebhooks("acme/web");
    expect(served(world.sandbox, MINT)).toBe(1);
    // Past 55 minutes (a twelfth of the hour before expiry): a new token, before GitHub would refuse the old one.
    world.advance(6 * MINUTE);
    await gh.provider.listWebhooks("acme/api");
    expect(served(world.sandbox, MINT)).toBe(2);
    expect(world.sandbox.counters().byStatus["401"]).toBeUndefined();
  });

  it("mints a new token when GitHub refuses the held one (401: expired or revoked early), and the request succeeds", async () => {
    const gh = world.clients();
    await gh.provider.listWebhooks("acme/api");
    // GitHub ends the token early (as when an installation token is revoked): the client still holds it.
    const held = world.sandbox.world().github.installationTokens![0]!;
    held.expiresAt = world.now() - 1;
    const listing = await gh.provider.listWebhooks("acme/api");
    expect(listing.exists).toBe(true);
    expect(served(world.sandbox, MINT)).toBe(2);
    expect(served(world.sandbox, HOOKS)).toBe(3);
    expect(world.sandbox.counters().byStatus["401"]).toBe(1);
  });
});

describe("a machine whose clock is off from GitHub's", () => {
  it.each([
    ["90 s ahead", 90_000],
    ["90 s behind", -90_000],
    ["5 minutes ahead", 5 * MINUTE],
    ["11 minutes behind", -11 * MINUTE],
  ])(
    "still authenticates as the app when it is %s: JWTs refused for their dates are signed again on the clock of GitHub's Date header",
    async (_name, skew) => {
      const gh = world.clients();
      world.sandbox.setClockOffset(-skew);
      const listing = await gh.provider.listWebhooks("acme/api");
      expect(listing.items.map((h) => h.url)).toEqual(["https://cloud.docker.com/api/build/v1/vcs/acme-api/trigger/call/"]);
      await gh.provider.listWebhooks("globex/api");
      expect(served(world.sandbox, MINT)).toBe(2);
      // At most the first JWT is refused: the offset learnt from it dates every later one.
      expect(world.sandbox.counters().byStatus["401"] ?? 0).toBeLessThanOrEqual(1);
    },
  );
});

describe("a GitHub App installation without a permission", () => {
  it("is reported as the installation lacking it, naming the permission GitHub accepts, not as a missing repository", async () => {
    const gh = world.clients();
    const listing = gh.provider.listWebhooks("initech/api");
    await expect(listing).rejects.toThrow(MissingPermissionError);
    await expect(listing).rejects.toThrow(
      `github: the GitHub App installation for initech lacks permission repository_hooks=read (needed to list the webhooks of initech/api); ` +
        `GET ${world.apiUrl}/repos/initech/api/hooks?per_page=100 answered HTTP 403: Resource not accessible by integration. ` +
        "Add the permission in the app's settings (Permissions & events), then approve it on the installation of initech",
    );
    await expect(gh.provider.listDeployKeys("initech/api")).rejects.toThrow(
      /lacks permission administration=read \(needed to list the deploy keys of initech\/api\)/,
    );
    await expect(
      gh.provider.deleteWebhook("initech/api", deleteWebhookRequest("github", world.apiUrl, "initech/api", "1")),
    ).rejects.toThrow(/lacks permission repository_hooks=write \(needed to delete a webhook of initech\/api\)/);
  });

  it("says which permission an org's webhook listing lacks (organization_hooks), not a bare 403", async () => {
    const gh = world.clients();
    const listing = gh.owner.listOrgWebhooks("initech");
    await expect(listing).rejects.toThrow(MissingPermissionError);
    await expect(listing).rejects.toThrow(
      `github: the GitHub App installation for initech lacks permission organization_hooks=read (needed to list the webhooks of org initech); ` +
        `GET ${world.apiUrl}/orgs/initech/hooks?per_page=100 answered HTTP 403: Resource not accessible by integration. ` +
        "Add the permission in the app's settings (Permissions & events), then approve it on the installation of initech",
    );
  });
});

/** A pacer clock that stands still; `paced()` settles once a request has to wait for a budget (a timer is set). */
class StillClock implements PacerClock {
  #waiting: Array<() => void> = [];
  readonly #timers: Array<() => void> = [];
  t = 0;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void): unknown {
    this.#timers.push(fn);
    for (const wake of this.#waiting.splice(0)) wake();
    return fn;
  }
  clearTimeout(): void {}
  paced(): Promise<"paced"> {
    return new Promise((resolve) => this.#waiting.push(() => resolve("paced")));
  }
  /** A GitHub minute passes: every window empties and waiting requests go. */
  nextMinute(): void {
    this.t += MINUTE;
    for (const fn of this.#timers.splice(0)) fn();
  }
}

describe("pacing per installation", () => {
  it("gives each installation its own budget: two orgs' listings do not wait for each other, one more of one org does", async () => {
    const clock = new StillClock();
    // Three points per endpoint per minute: a fourth listing within a minute of one installation must wait.
    const gh = world.clients(
      { pacing: { budgets: true, endpointPointsPerMinute: 3, clock } },
      { acme: INSTALLATIONS.acme, globex: INSTALLATIONS.globex },
    );
    // Tokens first (minting is an app-level POST, paced on the app's own budget), each in its own minute.
    await gh.provider.accountExists!("acme");
    clock.nextMinute();
    await gh.provider.listWebhooks("globex/web");
    clock.nextMinute();
    const repos = ["acme/api", "acme/web", "acme/api", "globex/api", "globex/web", "globex/api"];
    const six = Promise.all(repos.map((r) => gh.provider.listWebhooks(r))).then(() => "done" as const);
    expect(await Promise.race([six, clock.paced()])).toBe("done");
    const fourth = gh.provider.listWebhooks("acme/web").then(() => "done" as const);
    expect(await Promise.race([fourth, clock.paced()])).toBe("paced");
    clock.nextMinute();
    expect(await fourth).toBe("done");
    expect(served(world.sandbox, HOOKS)).toBe(8);
  });
});

describe("the ETag cache across token rotation", () => {
  /** REST primary points the sandbox has charged installation tokens so far (the app's JWT calls aside). */
  const primaryPoints = (): number =>
    Object.entries(world.sandbox.counters().primaryPointsByToken)
      .filter(([label]) => label.startsWith("installation:"))
      .reduce((sum, [, points]) => sum + points, 0);
  const REPOS = ["acme/api", "acme/web"] as const;

  /** Both repositories' webhooks and deploy keys, as a refresh lists them. */
  async function listAll(gh: ReturnType<AppWorld["clients"]>): Promise<unknown[]> {
    return Promise.all(REPOS.flatMap((r) => [gh.provider.listWebhooks(r), gh.provider.listDeployKeys(r)]));
  }

  it("revalidates for free while the installation token is the same", async () => {
    const gh = world.clients({ etagCache: new EtagCache() });
    const first = await listAll(gh);
    const before = primaryPoints();
    const second = await listAll(gh);
    expect(world.sandbox.counters().notModified).toBe(4);
    expect(primaryPoints()).toBe(before);
    expect(second).toEqual(first);
  });

  it("pays every listing in full after the hourly token changed, observes the same, then revalidates under the new token", async () => {
    const file = join(dir, "etags.json");
    const gh = world.clients({ etagCache: new EtagCache({ file }) });
    const first = await listAll(gh);
    world.advance(56 * MINUTE);
    const before = primaryPoints();
    const second = await listAll(gh);
    expect(served(world.sandbox, MINT)).toBe(2);
    // GitHub's ETags are token specific: the last token's are not sent, and nothing is a 304.
    expect(world.sandbox.counters().notModified).toBe(0);
    expect(primaryPoints() - before).toBe(4);
    expect(second).toEqual(first);
    const third = await listAll(gh);
    expect(world.sandbox.counters().notModified).toBe(4);
    expect(primaryPoints() - before).toBe(4);
    expect(third).toEqual(first);
  });

  it("keeps no token in the cache file", async () => {
    const file = join(dir, "etags.json");
    const etagCache = new EtagCache({ file });
    const gh = world.clients({ etagCache });
    await listAll(gh);
    world.advance(56 * MINUTE);
    await listAll(gh);
    await etagCache.save();
    const text = await readFile(file, "utf8");
    expect(text).toContain("acme-api");
    const tokens = world.sandbox.world().github.installationTokens!.map((t) => t.token);
    expect(new Set(tokens).size).toBe(2);
    expectNoSecretIn(text, tokens, "the ETag cache file");
  });

  it("revalidates a dated resource with If-Modified-Since after the token changed: a 304 answered from the cache", async () => {
    const etagCache = new EtagCache();
    const context = new GitHubContext({
      apiUrl: world.apiUrl,
      token: null,
      app: world.app(),
      appClock: world.now,
      retryAfterBaseMs: 1,
      etagCache,
    });
    const read = async (): Promise<unknown> =>
      (await context.forOwner("acme"))!.request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "api" });
    const first = (await read()) as { status: number; data: unknown; headers: Record<string, string | undefined> };
    expect(first.status).toBe(200);
    const date = first.headers["last-modified"];
    expect(date).toBeDefined();
    const entry = (): CachedResponse | undefined =>
      etagCache.get(`installation:${APP_ID}:${INSTALLATIONS.acme}`, `${world.apiUrl}/repos/acme/api`);
    expect(entry()?.lastModified).toBe(date);
    world.advance(56 * MINUTE);
    const before = primaryPoints();
    const second = (await read()) as { status: number; data: unknown };
    expect(served(world.sandbox, MINT)).toBe(2);
    expect(second.status).toBe(304);
    expect(second.data).toEqual(first.data);
    expect(primaryPoints()).toBe(before);
    expect(world.sandbox.counters().notModified).toBe(1);
    // The 304 named the new token's ETag: the entry now revalidates with it.
    expect(entry()?.token).not.toBe(undefined);
    const third = (await read()) as { status: number };
    expect(third.status).toBe(304);
    expect(world.sandbox.counters().notModified).toBe(2);
  });

  it("the sandbox's ETags are the token's: another token's ETag gets a 200 at full cost, its own a 304", async () => {
    const gh = world.clients();
    await gh.provider.listWebhooks("acme/api");
    world.advance(56 * MINUTE);
    await gh.provider.listWebhooks("acme/api");
    const [older, newer] = world.sandbox.world().github.installationTokens!.map((t) => t.token);
    const url = `${world.apiUrl}/repos/acme/api/hooks`;
    const get = (token: string, ifNoneMatch?: string): Promise<Response> =>
      fetch(url, { headers: { authorization: `token ${token}`, ...(ifNoneMatch ? { "if-none-match": ifNoneMatch } : {}) } });
    const olderTag = (await get(older!)).headers.get("etag")!;
    const newerTag = (await get(newer!)).headers.get("etag")!;
    expect(olderTag).not.toBe(newerTag);
    const before = primaryPoints();
    const other = await get(newer!, olderTag);
    expect(other.status).toBe(200);
    expect(primaryPoints() - before).toBe(1);
    const own = await get(newer!, newerTag);
    expect(own.status).toBe(304);
    expect(primaryPoints() - before).toBe(1);
  });
});
