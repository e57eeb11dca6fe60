/**
 * Each client behind a misbehaving proxy on loopback, with retries and timeouts shrunk
 * so a persistent fault fails in milliseconds: an answer that is not complete, well-formed JSON of
 * the expected shape is an error after the retries, never data and never cached; a redirect to
 * another origin is refused naming both URLs; pagination is bounded; a response over the size cap is
 * refused without being read whole; a credential in a successful answer is redacted.
 */
import type { ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBitbucketClient } from "../../engine/clients/bitbucket/index.js";
import { createBuildServiceClient } from "../../engine/clients/build-service/index.js";
import { credentialScope, EtagCache } from "../../engine/clients/etag-cache.js";
import { createGitHubClients } from "../../engine/clients/github/index.js";
import { buildOctokit } from "../../engine/clients/github/octokit.js";
import { HttpError } from "../../engine/clients/http-error.js";
import { Pacer } from "../../engine/clients/pacer.js";
import { Secret } from "../../engine/model/secret.js";
import { UnobservableRepositoryError } from "../../engine/clients/unobservable-repository-error.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { startHostileProxy, startStranger, type HostileProxy, type Intercept, type ProxyTools } from "../support/hostile-proxy.js";

let sandbox: SandboxHandle;
let proxy: HostileProxy | null = null;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());
afterEach(async () => {
  await proxy?.close();
  proxy = null;
  while (closers.length > 0) await closers.pop()!();
});

async function useProxy(intercept: Intercept): Promise<HostileProxy> {
  proxy = await startHostileProxy(sandbox.baseUrl, intercept);
  return proxy;
}

/** How many requests the proxy saw whose path starts with `prefix`. */
function requestsTo(prefix: string): number {
  return proxy!.requests().filter((r) => r.startsWith(`GET ${prefix}`)).length;
}

const noWait = (): Promise<void> => Promise.resolve();

/** Per-attempt timeout of the clients: long enough for a loaded machine, except where a stall is the point. */
const TIMEOUT_MS = 5_000;

function github(
  cache = new EtagCache(),
  overrides: { maxResponseBytes?: number; requestTimeoutMs?: number; serverErrorRetries?: number } = {},
) {
  return {
    cache,
    client: createGitHubClients({
      apiUrl: proxy!.env.SOURCELINKS_GITHUB_API_URL!,
      token: new Secret(sandbox.env.GITHUB_TOKEN),
      etagCache: cache,
      retryAfterBaseMs: 1,
      requestTimeoutMs: TIMEOUT_MS,
      ...overrides,
    }).provider,
  };
}

function bitbucket(overrides: { maxResponseBytes?: number } = {}) {
  return createBitbucketClient({
    apiUrl: proxy!.env.SOURCELINKS_BITBUCKET_API_URL!,
    username: sandbox.env.BITBUCKET_EMAIL,
    token: new Secret(sandbox.env.BITBUCKET_API_TOKEN),
    transport: { sleep: noWait, timeoutMs: TIMEOUT_MS, ...overrides },
  });
}

function buildService(overrides: { maxResponseBytes?: number } = {}) {
  return createBuildServiceClient({
    apiUrl: proxy!.env.SOURCELINKS_BUILD_API_URL!,
    token: new Secret(sandbox.env.SOURCELINKS_BUILD_TOKEN),
    transport: { sleep: noWait, timeoutMs: TIMEOUT_MS, ...overrides },
  });
}

const GH_HOOKS = "/github/repos/acme/legacy-api/hooks";
const BB_HOOKS = "/bitbucket/2.0/repositories/acme-team/mobile/hooks";
const BS_LINKS = "/build/api/build/v1/acme/links/";

/** An Octokit the project builds, through the proxy, with the sandbox's GitHub token; no retries. */
function proxiedOctokit(etags?: { cache: EtagCache; scope: string }): ReturnType<typeof buildOctokit> {
  const token = sandbox.env.GITHUB_TOKEN;
  return buildOctokit({
    baseUrl: proxy!.env.SOURCELINKS_GITHUB_API_URL!,
    token,
    pacer: new Pacer({ budgets: false }),
    ...(etags ? { etags } : {}),
    rateLimitRetries: 0,
    serverErrorRetries: 0,
    retryAfterBaseMs: 1,
    requestTimeoutMs: TIMEOUT_MS,
    logger: undefined,
    secrets: () => [token],
    userAgent: "sourcelinks-test",
  });
}

/** Intercepts GETs of `path` (query ignored) with `answer`. */
function on(path: string, answer: (res: ServerResponse, tools: ProxyTools, url: URL) => void | Promise<void>): Intercept {
  return (req) => (req.method === "GET" && req.url.pathname === path ? (res, tools) => answer(res, tools, req.url) : undefined);
}

/**
 * Sends the sandbox's answer with half its body, then closes the connection. The close (FIN) follows
 * the half body on the wire, so the client always reads the headers and the half before the end.
 */
async function cutOff(res: ServerResponse, tools: ProxyTools): Promise<void> {
  const answer = await tools.forward();
  res.writeHead(200, { ...answer.headers, "content-length": String(Buffer.byteLength(answer.text)) });
  res.flushHeaders();
  await new Promise<void>((resolve) => res.write(answer.text.slice(0, Math.floor(answer.text.length / 2)), () => resolve()));
  res.socket?.end();
}

/** Sends headers and the first 10 bytes of a longer body, then nothing more (until the connection closes). */
function stall(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": "100" });
  res.write('[{"id": 1,');
}

describe("GitHub", () => {
  it("a body cut off on every attempt fails after the retries and leaves nothing in the ETag cache", async () => {
    await useProxy(on(GH_HOOKS, cutOff));
    const { client, cache } = github();
    const error = await client.listWebhooks("acme/legacy-api").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).message).toMatch(
      /^github: GET .*\/repos\/acme\/legacy-api\/hooks\?per_page=100 failed: no response: the response body was cut off after \d+ bytes$/,
    );
    expect(requestsTo(GH_HOOKS)).toBe(4);
    expect(cache.size).toBe(0);
  });

  it("a body that stalls fails at the per-attempt timeout", async () => {
    await useProxy(on(GH_HOOKS, stall));
    const error = await github(new EtagCache(), { requestTimeoutMs: 1000, serverErrorRetries: 0 })
      .client.listWebhooks("acme/legacy-api")
      .catch((e: unknown) => e);
    expect((error as HttpError).detail).toBe("the response body stalled: not complete within 1000 ms (10 bytes read)");
  });

  it("a cached entry that is not a list (kept by an older version) is never served", async () => {
    await useProxy(() => undefined);
    const { client, cache } = github();
    await client.listWebhooks("acme/legacy-api");
    const scope = credentialScope(new Secret(sandbox.env.GITHUB_TOKEN));
    const url = `${proxy!.env.SOURCELINKS_GITHUB_API_URL}/repos/acme/legacy-api/hooks?per_page=100`;
    cache.set(scope, url, { etag: cache.get(scope, url)!.etag, data: "", link: null });
    expect((await client.listWebhooks("acme/legacy-api")).items).toHaveLength(2);
    expect(Array.isArray(cache.get(scope, url)!.data)).toBe(true);
  });

  it("a redirect to another origin is refused once, naming both URLs, and the stranger is never asked", async () => {
    const stranger = await startStranger([]);
    closers.push(() => stranger.close());
    await useProxy(on(GH_HOOKS, (_res, tools) => tools.send(302, { location: `${stranger.baseUrl}/x` }, "")));
    const error = await github()
      .client.listWebhooks("acme/legacy-api")
      .catch((e: unknown) => e);
    expect((error as HttpError).detail).toBe(
      `refusing to follow a redirect (HTTP 302) from ${proxy!.baseUrl}${GH_HOOKS}?per_page=100 to ${stranger.baseUrl}/x: another origin may not supply the answer`,
    );
    expect(requestsTo(GH_HOOKS)).toBe(1);
    expect(stranger.received()).toEqual([]);
  });

  it("a redirect on the same origin is followed (GitHub moves a renamed repository)", async () => {
    await useProxy(
      on("/github/repos/acme/old-name/hooks", (_res, tools) =>
        tools.send(301, { location: `${tools.baseUrl}${GH_HOOKS}?per_page=100` }, ""),
      ),
    );
    expect((await github().client.listWebhooks("acme/old-name")).items).toHaveLength(2);
  });

  it("a server sending the internal body header itself gets it dropped: its own answer is read, and no error shows it", async () => {
    // "1" is the id the client's first held body gets: a forged header naming it.
    const forged = { "x-sourcelinks-parsed-body": "1" };
    const hooks = on(GH_HOOKS, async (_res, tools) => {
      const answer = await tools.forward();
      tools.send(answer.status, { ...answer.headers, ...forged }, answer.text);
    });
    const ghost = on("/github/repos/acme/ghost/hooks", (_res, tools) =>
      tools.send(404, { "content-type": "application/json", ...forged }, '{"message":"Not Found"}'),
    );
    await useProxy((req) => hooks(req) ?? ghost(req));
    const { client } = github();
    const listings = await Promise.all([client.listWebhooks("acme/legacy-api"), client.listWebhooks("acme/legacy-api")]);
    for (const listing of listings)
      expect(listing.items.map((h) => h.url)).toEqual([
        "https://registry.hub.docker.com/hooks/github",
        "https://ci.acme.example/hooks/github",
      ]);
    const octokit = proxiedOctokit();
    const error = await octokit.request("GET /repos/{owner}/{repo}/hooks", { owner: "acme", repo: "ghost" }).catch((e: unknown) => e);
    expect((error as { status?: number }).status).toBe(404);
    const headers = (error as { response?: { headers?: Record<string, string> } }).response?.headers ?? {};
    expect(Object.keys(headers).filter((name) => name.startsWith("x-sourcelinks"))).toEqual([]);
  });

  it("the token echoed in a hook URL comes back redacted, and no answer a caller sees carries the internal body header", async () => {
    const token = sandbox.env.GITHUB_TOKEN;
    const echo = "https://registry.hub.docker.com/hooks/github";
    await useProxy(
      on(GH_HOOKS, async (_res, tools) => {
        const answer = await tools.forward();
        tools.send(answer.status, answer.headers, answer.text.split(`"${echo}"`).join(`"${echo}?token=${token}"`));
      }),
    );
    const { client, cache } = github();
    const listing = await client.listWebhooks("acme/legacy-api");
    expect(listing.items.map((h) => h.url)).toEqual([`${echo}?token=[redacted]`, "https://ci.acme.example/hooks/github"]);
    const scope = credentialScope(new Secret(token));
    const cached = cache.get(scope, `${proxy!.env.SOURCELINKS_GITHUB_API_URL}/repos/acme/legacy-api/hooks?per_page=100`);
    expect(JSON.stringify(cached)).toContain(`${echo}?token=[redacted]`);
    expect(JSON.stringify(cached)).not.toContain(token);

    // The same answers through Octokit's own request API on a client the project builds: a 200 of a list,
    // the 304 answered from the cache, a 200 of a document, and a 204.
    const octokit = proxiedOctokit({ cache: new EtagCache(), scope });
    const hooks = { owner: "acme", repo: "legacy-api", per_page: 100 };
    const answers = [
      await octokit.request("GET /repos/{owner}/{repo}/hooks", hooks),
      await octokit.request("GET /repos/{owner}/{repo}/hooks", hooks),
      await octokit.request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "legacy-api" }),
      await octokit.request("DELETE /repos/{owner}/{repo}/hooks/{hook_id}", {
        owner: "acme",
        repo: "legacy-api",
        hook_id: Number(listing.items[1]!.id),
      }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 304, 200, 204]);
    for (const answer of answers) expect(Object.keys(answer.headers).filter((name) => name.startsWith("x-sourcelinks"))).toEqual([]);
    for (const answer of answers.slice(0, 2)) {
      expect((answer.data as { config: { url: string } }[]).map((h) => h.config.url)).toEqual([
        `${echo}?token=[redacted]`,
        "https://ci.acme.example/hooks/github",
      ]);
    }
    expect(answers[2]!.data).toMatchObject({ full_name: "acme/legacy-api" });
  });

  it("a response over the size cap is refused without retrying", async () => {
    await useProxy(() => undefined);
    const error = await github(new EtagCache(), { maxResponseBytes: 100 })
      .client.listWebhooks("acme/legacy-api")
      .catch((e: unknown) => e);
    expect((error as HttpError).detail).toBe(
      "the response is larger than 100 bytes, the most one answer may be (no real listing page is near it)",
    );
    expect(requestsTo(GH_HOOKS)).toBe(1);
  });
});

describe("Bitbucket", () => {
  it.each([
    ["cut off", cutOff, "no response: the response body was cut off after"],
    [
      "empty",
      (_res: ServerResponse, tools: ProxyTools) => tools.send(200, {}, ""),
      "no response: HTTP 200 with an empty body where JSON was expected",
    ],
    [
      "null",
      (_res: ServerResponse, tools: ProxyTools) => tools.send(200, {}, "null"),
      "no response: HTTP 200 whose body is JSON null, where a JSON object was expected",
    ],
    [
      "without values",
      (_res: ServerResponse, tools: ProxyTools) => tools.send(200, {}, { pagelen: 100 }),
      "no response: HTTP 200 whose body is not the expected answer: no `values` list",
    ],
  ])("a page %s fails after the retries instead of listing nothing", async (_name, answer, message) => {
    await useProxy(on(BB_HOOKS, answer));
    const error = await bitbucket()
      .listWebhooks("acme-team/mobile")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).message).toContain(message);
    expect(requestsTo(BB_HOOKS)).toBe(3);
  });

  it("a redirect to another origin is refused, naming both URLs", async () => {
    const stranger = await startStranger({ pagelen: 100, values: [] });
    closers.push(() => stranger.close());
    await useProxy(on(BB_HOOKS, (_res, tools) => tools.send(307, { location: `${stranger.baseUrl}/x` }, "")));
    const error = await bitbucket()
      .listWebhooks("acme-team/mobile")
      .catch((e: unknown) => e);
    expect((error as HttpError).message).toContain(
      `refusing to follow a redirect (HTTP 307) from ${proxy!.baseUrl}${BB_HOOKS}?pagelen=100 to ${stranger.baseUrl}/x`,
    );
    expect(requestsTo(BB_HOOKS)).toBe(1);
    expect(stranger.received()).toEqual([]);
  });

  it("a next page forever fails at 100 pages; with a size, at the pages it allows", async () => {
    const endless = (size: number | undefined): Intercept =>
      on(BB_HOOKS, (_res, tools, url) => {
        const page = Number(url.searchParams.get("page") ?? "1");
        tools.send(
          200,
          {},
          {
            pagelen: 100,
            page,
            ...(size === undefined ? {} : { size }),
            values: [],
            next: `${tools.baseUrl}${BB_HOOKS}?pagelen=100&page=${page + 1}`,
          },
        );
      });
    await useProxy(endless(undefined));
    await expect(bitbucket().listWebhooks("acme-team/mobile")).rejects.toThrow(
      "pagination of the webhooks of acme-team/mobile never ends: it runs past 100 pages",
    );
    expect(requestsTo(BB_HOOKS)).toBe(100);
    await proxy!.close();
    await useProxy(endless(150));
    await expect(bitbucket().listWebhooks("acme-team/mobile")).rejects.toThrow("it runs past 2 pages, the 2 its size of 150 allows");
    expect(requestsTo(BB_HOOKS)).toBe(2);
  });

  it("a 404 on the hooks of a repository that answers is an error naming the permission, not 'gone'", async () => {
    await useProxy(on(BB_HOOKS, (_res, tools) => tools.send(404, {}, { type: "error", error: { message: "Not found" } })));
    const error = await bitbucket()
      .listWebhooks("acme-team/mobile")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnobservableRepositoryError);
    expect((error as Error).message).toBe(
      "bitbucket: cannot observe the webhooks of acme-team/mobile: the repository exists, but listing its webhooks answered HTTP 404; the credentials need admin access to the repository (the webhook and repository:admin scopes)",
    );
  });

  it("the app password in a hook URL is redacted from the listing", async () => {
    const password = sandbox.env.BITBUCKET_API_TOKEN;
    await useProxy(
      on(BB_HOOKS, async (_res, tools) => {
        const answer = await tools.forward();
        const page = JSON.parse(answer.text) as { values: { url: string }[] };
        page.values[0]!.url = `https://registry.hub.docker.com/hooks/bitbucket?key=${password}`;
        tools.send(200, answer.headers, page);
      }),
    );
    const listing = await bitbucket().listWebhooks("acme-team/mobile");
    expect(listing.items[0]!.url).toBe("https://registry.hub.docker.com/hooks/bitbucket?key=[redacted]");
  });
});

describe("the build service", () => {
  it("a redirect to another origin is refused, naming both URLs", async () => {
    const stranger = await startStranger({ meta: { limit: 100, offset: 0, next: null, previous: null, total_count: 0 }, objects: [] });
    closers.push(() => stranger.close());
    await useProxy(on(BS_LINKS, (_res, tools) => tools.send(302, { location: `${stranger.baseUrl}/links/` }, "")));
    await expect(buildService().listLinks("acme")).rejects.toThrow(
      `refusing to follow a redirect (HTTP 302) from ${proxy!.baseUrl}${BS_LINKS}?limit=100 to ${stranger.baseUrl}/links/`,
    );
    expect(stranger.received()).toEqual([]);
  });

  it("an offset that does not advance ends the listing with an error", async () => {
    await useProxy(
      on(BS_LINKS, (_res, tools, url) => {
        const n = Number(url.searchParams.get("n") ?? "0");
        tools.send(
          200,
          {},
          {
            meta: { limit: 1, offset: 0, next: `${tools.baseUrl}${BS_LINKS}?limit=1&n=${n + 1}`, previous: null, total_count: 50 },
            objects: [],
          },
        );
      }),
    );
    await expect(buildService().listLinks("acme")).rejects.toThrow(
      "pagination of the links of acme never ends: the offset went from 0 to 0",
    );
    expect(requestsTo(BS_LINKS)).toBe(2);
  });

  it("a response over the size cap is refused without retrying", async () => {
    await useProxy(() => undefined);
    await expect(buildService({ maxResponseBytes: 50 }).listLinks("acme")).rejects.toThrow("the response is larger than 50 bytes");
    expect(requestsTo(BS_LINKS)).toBe(1);
  });
});
