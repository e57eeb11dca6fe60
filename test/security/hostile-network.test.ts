/**
 * A misbehaving proxy between the CLI and the sandbox: no answer the network garbles may
 * turn into a false "all clear", a wrong deletion, a cached lie or a printed credential. Each test
 * runs the CLI in process against a small world: a revoked link whose repository still holds the
 * build service's webhook beside a foreign one, so a clean `check --live` (exit 0) is a false proof.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../cli/program.js";
import type { CliIo } from "../../cli/io.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { startHostileProxy, startStranger, type HostileProxy, type Intercept } from "../support/hostile-proxy.js";

const BUILD_HOOK = "https://registry.hub.docker.com/hooks/github";
const FOREIGN_HOOK = "https://ci.acme.example/hooks/github";

/** The world: acme/legacy-api keeps the build service's hook and a foreign one; other/public-lib is public and not ours to administer. */
const SEED = `
operator: { github: jdoe, namespace: acme }
oauthApps:
  - { provider: github, clientId: Iv1.5a9d0c3e7b214f68, name: Docker Hub Builder }
github:
  users: [{ login: jdoe }, { login: legacy-builder }, { login: stranger }]
  orgs:
    - { login: acme, owners: [jdoe], members: [legacy-builder], restrictions: false }
    - { login: other, owners: [stranger], restrictions: false }
  repos:
    - name: acme/legacy-api
      hooks:
        - { url: ${BUILD_HOOK} }
        - { url: ${FOREIGN_HOOK}, secret: true }
    - name: acme/clean
    - name: other/public-lib
      private: false
buildService:
  namespaces:
    - name: acme
      links:
        - { provider: github, account: legacy-builder, serviceAccount: true, state: unlinked, grant: revoked, repositories: [acme/legacy-api] }
`;

function config(repositories: readonly string[]): string {
  return `apiVersion: sourcelinks/v1
buildService:
  kind: reference
  apiUrl: https://builds.example.com/api/build/v1
  webhookUrlPatterns: ["https://registry.hub.docker.com/hooks/*"]
  deployKeyTitlePatterns: ["Docker Hub Builder*"]
  oauthApps:
    github: { clientId: Iv1.5a9d0c3e7b214f68, name: Docker Hub Builder, clientSecretEnv: SOURCELINKS_GITHUB_CLIENT_SECRET }
providers:
  github: { tokenEnv: GITHUB_TOKEN }
links:
  - name: legacy-builds
    namespace: acme
    provider: github
    account: legacy-builder
    serviceAccount: true
    state: revoked
    repositories: [${repositories.join(", ")}]
`;
}

let sandbox: SandboxHandle;
let dir: string;
let proxy: HostileProxy | null = null;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ seed: SEED });
  dir = mkdtempSync(join(tmpdir(), "sourcelinks-hostile-"));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => sandbox.reset());
afterEach(async () => {
  await proxy?.close();
  proxy = null;
  while (closers.length > 0) await closers.pop()!();
});

/** Writes a config naming `repositories` and returns its path. */
function configFile(repositories: readonly string[] = ["acme/legacy-api"]): string {
  const file = join(mkdtempSync(join(dir, "config-")), "sourcelinks.yaml");
  writeFileSync(file, config(repositories));
  return file;
}

/** A fresh ETag cache file path (not yet written). */
function cacheFile(): string {
  return join(mkdtempSync(join(dir, "cache-")), "etags.json");
}

/** Runs the CLI in process with the sandbox's env, pointed through the proxy when one runs. */
async function cli(
  args: readonly string[],
  changes: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const env = { ...sandbox.env, ...(proxy?.env ?? {}), SOURCELINKS_ETAG_CACHE: "off", ...changes };
  const io: CliIo = {
    out: (t) => void (stdout += t.endsWith("\n") ? t : `${t}\n`),
    err: (t) => void (stderr += t.endsWith("\n") ? t : `${t}\n`),
    progress: () => {},
    interactive: false,
    ask: () => Promise.resolve(""),
    env,
  };
  const code = await runCli(args, io, dir);
  return { code, stdout, stderr };
}

/** The hooks of a repository in the sandbox's world, by URL. */
function hookUrls(repository: string): string[] {
  const [owner, name] = repository.split("/");
  return sandbox
    .world()
    .github.repos.find((r) => r.owner === owner && r.name === name)!
    .hooks.map((h) => h.config.url);
}

/** Whether a request path is the hook listing of acme/legacy-api. */
function isLegacyHooks(url: URL): boolean {
  return url.pathname === "/github/repos/acme/legacy-api/hooks";
}

/** Resolves when a response can take more data, or is gone. */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

function useProxy(intercept: Intercept): Promise<HostileProxy> {
  return startHostileProxy(sandbox.baseUrl, intercept).then((p) => (proxy = p));
}

describe("the world without a proxy", () => {
  it("fails check --live (3) while the build service's hook is there, and passes (0) once it is gone", async () => {
    const file = configFile();
    expect((await cli(["check", file, "--live"])).code).toBe(3);
    expect((await cli(["apply", file, "--yes"])).code).toBe(0);
    expect(hookUrls("acme/legacy-api")).toEqual([FOREIGN_HOOK]);
    expect((await cli(["check", file, "--live"])).code).toBe(0);
  });
});

describe("a body cut off mid-transfer", () => {
  it("is retried, never read as 'no webhooks', and never cached beside its ETag", async () => {
    await useProxy((req) => {
      if (req.method !== "GET" || !isLegacyHooks(req.url) || req.seen > 0) return undefined;
      return async (res, tools) => {
        const answer = await tools.forward();
        // Announce the whole body, send half of it, and drop the connection.
        res.writeHead(200, { ...answer.headers, "content-length": String(Buffer.byteLength(answer.text)) });
        res.flushHeaders();
        // Close the connection after the half: the close (FIN) follows it on the wire, so the client
        // always reads the headers and half the body before the connection ends.
        await new Promise<void>((resolve) => res.write(answer.text.slice(0, Math.floor(answer.text.length / 2)), () => resolve()));
        res.socket?.end();
      };
    });
    const cache = cacheFile();
    const file = configFile();
    const first = await cli(["check", file, "--live"], { SOURCELINKS_ETAG_CACHE: cache });
    expect(first.code, first.stderr).toBe(3);
    expect(first.stdout).toContain("revoked-link-has-no-webhooks");
    const entries = (JSON.parse(readFileSync(cache, "utf8")) as { entries: [string, { data: unknown }][] }).entries;
    const hooks = entries.find(([key]) => key.endsWith("/repos/acme/legacy-api/hooks?per_page=100"));
    expect((hooks?.[1].data as { config: { url: string } }[]).map((h) => h.config.url).sort()).toEqual([FOREIGN_HOOK, BUILD_HOOK].sort());
    // The next run revalidates the cached page (304) and still sees the hook.
    const second = await cli(["check", file, "--live"], { SOURCELINKS_ETAG_CACHE: cache });
    expect(second.code).toBe(3);
    expect(proxy!.requests().filter((r) => r.startsWith("GET /github/repos/acme/legacy-api/hooks"))).toHaveLength(3);
  });

  it.each([
    ["an empty 200", 200, ""],
    ["a null 200", 200, "null"],
    ["a 204", 204, ""],
    ["a 200 that is not JSON", 200, "<html>proxy error</html>"],
  ])("%s on the hook listing is no answer: it is retried, and plan sees the hook (4, not 0)", async (_name, status, body) => {
    await useProxy((req) =>
      req.method === "GET" && isLegacyHooks(req.url) && req.seen === 0 ? (_res, tools) => tools.send(status, {}, body) : undefined,
    );
    const run = await cli(["plan", configFile(), "--detailed-exitcode"]);
    expect(run.code, run.stderr).toBe(4);
    expect(run.stdout).toContain(BUILD_HOOK);
    expect(run.stdout).not.toContain(FOREIGN_HOOK);
  });
});

describe("a redirect to another origin", () => {
  it("is refused, naming both URLs: the stranger's list deletes nothing", async () => {
    const foreign = sandbox
      .world()
      .github.repos.find((r) => r.name === "legacy-api")!
      .hooks.find((h) => h.config.url === FOREIGN_HOOK)!;
    // The stranger's list gives the foreign hook's id the build service's URL.
    const stranger = await startStranger([
      { id: foreign.id, active: true, events: ["push"], config: { url: BUILD_HOOK, content_type: "form", insecure_ssl: "0" } },
    ]);
    closers.push(() => stranger.close());
    await useProxy((req) =>
      req.method === "GET" && isLegacyHooks(req.url)
        ? (_res, tools) => tools.send(302, { location: `${stranger.baseUrl}/hooks` }, "")
        : undefined,
    );
    const run = await cli(["apply", configFile(), "--yes"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `refusing to follow a redirect (HTTP 302) from ${proxy!.baseUrl}/github/repos/acme/legacy-api/hooks?per_page=100 to ${stranger.baseUrl}/hooks`,
    );
    expect(stranger.received()).toEqual([]);
    expect(hookUrls("acme/legacy-api").sort()).toEqual([BUILD_HOOK, FOREIGN_HOOK].sort());
  });
});

describe("a token that cannot administer a repository", () => {
  it("the sandbox models it: hooks 404, the repository 200 with permissions.admin false", async () => {
    const headers = { authorization: `token ${sandbox.env.GITHUB_TOKEN}` };
    expect((await fetch(`${sandbox.env.SOURCELINKS_GITHUB_API_URL}/repos/other/public-lib/hooks`, { headers })).status).toBe(404);
    const repo = await fetch(`${sandbox.env.SOURCELINKS_GITHUB_API_URL}/repos/other/public-lib`, { headers });
    expect(repo.status).toBe(200);
    expect(((await repo.json()) as { permissions: unknown }).permissions).toEqual({
      admin: false,
      maintain: false,
      push: false,
      triage: false,
      pull: true,
    });
  });

  it("fails check --live and plan --detailed-exitcode (1), naming the repository and the permission", async () => {
    const file = configFile(["acme/clean", "other/public-lib"]);
    const message =
      "github: cannot observe the webhooks of other/public-lib: the repository exists, but listing its webhooks answered HTTP 404; the credentials need admin access to the repository " +
      "(a classic token with the repo or admin:repo_hook scope, or a fine-grained token with Webhooks: read); the token's access to it: permissions.admin: false";
    const check = await cli(["check", file, "--live"]);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(message);
    const plan = await cli(["plan", file, "--detailed-exitcode"]);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(message);
  });

  it("a repository that is gone (404 on the repository too) is still reported as not found, not as an error", async () => {
    const run = await cli(["check", configFile(["acme/clean", "acme/deleted"]), "--live"]);
    // No error: the findings are the leftover on acme/legacy-api, which the link's build-service record
    // lists (revocation covers the record's repositories too), and the declared repository that answers
    // 404, which proves nothing until it is fixed or recorded gone (declared-repository-exists).
    expect(run.stderr).toBe("");
    expect(run.code).toBe(3);
    expect(run.stdout).toContain("is still on acme/legacy-api");
    expect(run.stdout).toContain("[declared-repository-exists] link");
    expect(run.stdout).toContain("declares github repository acme/deleted, which answers 404");
  });
});

describe("pagination that never ends", () => {
  it("a Link to the same page fails after one request", async () => {
    await useProxy((req) =>
      req.method === "GET" && isLegacyHooks(req.url)
        ? async (_res, tools) => {
            const answer = await tools.forward();
            tools.send(200, { ...answer.headers, link: `<${tools.baseUrl}${req.url.pathname}${req.url.search}>; rel="next"` }, answer.text);
          }
        : undefined,
    );
    const run = await cli(["check", configFile(), "--live"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "pagination of the webhooks of acme/legacy-api never ends: its next page is one already read (the cursor repeats)",
    );
    expect(proxy!.requests().filter((r) => r.startsWith("GET /github/repos/acme/legacy-api/hooks"))).toHaveLength(1);
  });

  it("a Link to page+1 forever fails at GitHub's bound, after 50 requests", async () => {
    await useProxy((req) =>
      req.method === "GET" && isLegacyHooks(req.url)
        ? (_res, tools) => {
            const page = Number(req.url.searchParams.get("page") ?? "1");
            tools.send(200, { link: `<${tools.baseUrl}${req.url.pathname}?per_page=100&page=${page + 1}>; rel="next"` }, []);
          }
        : undefined,
    );
    const run = await cli(["check", configFile(), "--live"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "pagination of the webhooks of acme/legacy-api never ends: it runs past 50 pages, far more than GitHub lets a repository hold",
    );
    expect(proxy!.requests().filter((r) => r.startsWith("GET /github/repos/acme/legacy-api/hooks"))).toHaveLength(50);
  });

  it("a build-service meta.next past its total_count fails before the extra page is requested", async () => {
    await useProxy((req) =>
      req.method === "GET" && req.url.pathname === "/build/api/build/v1/acme/links/"
        ? async (_res, tools) => {
            const answer = await tools.forward();
            const page = JSON.parse(answer.text) as { meta: { offset: number; next: string | null; limit: number } };
            const offset = Number(req.url.searchParams.get("offset") ?? "0");
            page.meta.offset = offset;
            page.meta.next = `${tools.baseUrl}${req.url.pathname}?limit=${page.meta.limit}&offset=${offset + page.meta.limit}`;
            tools.send(200, answer.headers, page);
          }
        : undefined,
    );
    const run = await cli(["check", configFile(), "--live"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("pagination of the links of acme never ends: it runs past 1 pages, the 1 its total_count of 1 allows");
    // The extra page is refused before it is requested.
    expect(proxy!.requests().filter((r) => r.startsWith("GET /build/api/build/v1/acme/links/"))).toHaveLength(1);
  });
});

describe("credentials in successful answers", () => {
  it("a hook URL carrying the token is printed in no format and stored in no cache", async () => {
    const token = sandbox.env.GITHUB_TOKEN;
    await useProxy((req) =>
      req.method === "GET" && isLegacyHooks(req.url)
        ? async (_res, tools) => {
            const answer = await tools.forward();
            // The build service's hook now carries the token, and the foreign one a prefix of it.
            const text = answer.text
              .split(BUILD_HOOK)
              .join(`${BUILD_HOOK}-${token}`)
              .split(FOREIGN_HOOK)
              .join(`${FOREIGN_HOOK}?t=${token.slice(0, 20)}`);
            tools.send(answer.status, answer.headers, text);
          }
        : undefined,
    );
    const file = configFile();
    const cache = cacheFile();
    const env = { SOURCELINKS_ETAG_CACHE: cache };
    const runs = [
      await cli(["plan", file, "--format", "text"], env),
      await cli(["plan", file, "--format", "json"], env),
      await cli(["plan", file, "--format", "markdown"], env),
      await cli(["check", file, "--live", "--format", "text"], env),
      await cli(["check", file, "--live", "--format", "json"], env),
      await cli(["check", file, "--live", "--format", "sarif"], env),
      await cli(["check", file, "--live", "--format", "markdown"], env),
    ];
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 3, 3, 3, 3]);
    expect(runs[0]!.stdout).toContain(`${BUILD_HOOK}-[redacted]`);
    const cached = readFileSync(cache, "utf8");
    expect(cached).toContain(`${BUILD_HOOK}-[redacted]`);
    expect(cached).toContain(`${FOREIGN_HOOK}?t=[redacted]`);
    const fragment = token.slice(-12);
    for (const text of [cached, ...runs.flatMap((r) => [r.stdout, r.stderr])]) {
      expect(text).not.toContain(token.slice(0, 12));
      expect(text).not.toContain(fragment);
    }
  });
  it("so is another service's credential: the build service's token echoed by GitHub", async () => {
    const token = sandbox.env.SOURCELINKS_BUILD_TOKEN;
    await useProxy((req) =>
      req.method === "GET" && isLegacyHooks(req.url)
        ? async (_res, tools) => {
            const answer = await tools.forward();
            tools.send(answer.status, answer.headers, answer.text.split(BUILD_HOOK).join(`${BUILD_HOOK}-${token}`));
          }
        : undefined,
    );
    const run = await cli(["plan", configFile(), "--format", "json"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${BUILD_HOOK}-[redacted]`);
    expect(run.stdout).not.toContain(token.slice(-12));
  });
});

describe("a response too large", () => {
  it("is refused once it passes the cap, without reading the rest, and not retried", async () => {
    let written = 0;
    await useProxy((req) =>
      req.method === "GET" && isLegacyHooks(req.url)
        ? async (res) => {
            // A 64 MB list streamed without a content-length: the client must stop reading, not buffer it.
            res.writeHead(200, { "content-type": "application/json; charset=utf-8", etag: '"huge"' });
            const chunk = `${JSON.stringify({ id: 1, active: true, events: ["push"], config: { url: FOREIGN_HOOK } })},`.repeat(1000);
            res.write("[");
            while (written < 64 * 1024 * 1024 && !res.destroyed) {
              written += chunk.length;
              if (!res.write(chunk)) await drainedOrClosed(res);
            }
            res.end("{}]");
          }
        : undefined,
    );
    const cache = cacheFile();
    const run = await cli(["check", configFile(), "--live"], { SOURCELINKS_ETAG_CACHE: cache });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("the response is larger than 8388608 bytes, the most one answer may be");
    expect(proxy!.requests().filter((r) => r.startsWith("GET /github/repos/acme/legacy-api/hooks"))).toHaveLength(1);
    expect(written).toBeLessThan(32 * 1024 * 1024);
  });
});
