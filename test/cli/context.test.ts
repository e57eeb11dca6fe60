import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { etagCachePath } from "../../cli/context.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { EXAMPLE, ensureBuilt, runCli } from "../support/cli-harness.js";

describe("etagCachePath", () => {
  it("takes SOURCELINKS_ETAG_CACHE, then the user's cache folder, and turns off on request", () => {
    expect(etagCachePath({ SOURCELINKS_ETAG_CACHE: "/tmp/e.json", HOME: "/home/u" })).toBe("/tmp/e.json");
    expect(etagCachePath({ SOURCELINKS_ETAG_CACHE: "off", HOME: "/home/u" })).toBeUndefined();
    expect(etagCachePath({ XDG_CACHE_HOME: "/c", HOME: "/home/u" })).toBe("/c/sourcelinks/etags.json");
    expect(etagCachePath({ HOME: "/home/u" })).toBe("/home/u/.cache/sourcelinks/etags.json");
    expect(etagCachePath({})).toBeUndefined();
  });
});

let sandbox: SandboxHandle;
beforeAll(async () => {
  await ensureBuilt();
  sandbox = await startSandbox();
}, 240_000);
afterAll(async () => {
  await sandbox.close();
});

describe("the CLI keeps GitHub ETags between runs", () => {
  it("without a cache file nothing is revalidated", async () => {
    const env = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" };
    expect((await runCli(["plan", EXAMPLE], env)).code).toBe(0);
    const before = sandbox.counters().notModified;
    expect((await runCli(["plan", EXAMPLE], env)).code).toBe(0);
    expect(sandbox.counters().notModified - before).toBe(0);
  });

  it("a second plan revalidates every GitHub listing with If-None-Match and gets 304s", async () => {
    const cache = join(mkdtempSync(join(tmpdir(), "sourcelinks-etags-")), "etags.json");
    const env = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: cache };
    expect((await runCli(["plan", EXAMPLE], env)).code).toBe(0);
    expect(existsSync(cache)).toBe(true);
    const before = sandbox.counters().notModified;
    expect((await runCli(["plan", EXAMPLE], env)).code).toBe(0);
    // Six: the hooks of the five repositories the links read, and the token's own login (`GET /user`,
    // which the sweep's refresh compares with the one it stored). The sweep of acme (an Enterprise Cloud
    // org) lists nothing the second time: it reads its audit log and reuses the inventory stored beside
    // the cache (refresh-owner.ts). Deploy keys come from GraphQL, which has no conditional requests.
    expect(sandbox.counters().notModified - before).toBe(6);
  });
});

describe("an ETag cache that cannot be kept", () => {
  it("SOURCELINKS_ETAG_CACHE=/dev/full: the plan is the same as without a cache, with one warning, and nothing hangs", async () => {
    const without = await runCli(["plan", EXAMPLE], { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" });
    const run = await runCli(["plan", EXAMPLE], { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "/dev/full" });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(without.stdout);
    expect(run.stderr).toBe(
      "warning: ETag cache /dev/full is a device, not a regular file; this run goes on without persisting it (set SOURCELINKS_ETAG_CACHE to a writable file path, or to off)\n",
    );
  });
});

describe("SOURCELINKS_HTTP_TIMEOUT", () => {
  it("is invalid input (exit 2) when it is not a number of seconds, and nothing is sent", async () => {
    const before = sandbox.counters().requests;
    const run = await runCli(["plan", EXAMPLE], { ...sandbox.env, SOURCELINKS_HTTP_TIMEOUT: "30s" });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'sourcelinks: SOURCELINKS_HTTP_TIMEOUT must be plain decimal seconds from 0.1 to 3600 (e.g. 30 or 2.5), got "30s".\n',
    );
    expect(sandbox.counters().requests).toBe(before);
  });

  it.each(["0x10", "1e-9"])("refuses %s: only plain decimal seconds in a sane range (exit 2)", async (value) => {
    const run = await runCli(["plan", EXAMPLE], { ...sandbox.env, SOURCELINKS_HTTP_TIMEOUT: value });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `sourcelinks: SOURCELINKS_HTTP_TIMEOUT must be plain decimal seconds from 0.1 to 3600 (e.g. 30 or 2.5), got "${value}".\n`,
    );
  });

  it("bounds each request: an answer held for an hour fails after the timeout and the read is retried", async () => {
    // Held past the test's own timeout: only the client's timeout can end the wait. 2 s leaves a
    // loaded machine time to answer the other requests (0.5 s timed every retry out at load 25).
    sandbox.injectFault({ timeoutRate: 1, timeoutMs: 3_600_000, count: 1, match: { service: "build-service", method: "GET" } });
    const run = await runCli(["plan", EXAMPLE], { ...sandbox.env, SOURCELINKS_HTTP_TIMEOUT: "2", SOURCELINKS_ETAG_CACHE: "off" });
    expect(run.code, run.stderr).toBe(0);
    expect(sandbox.counters().byStatus["0"] ?? 0).toBe(1);
  });
});

describe("SOURCELINKS_*_API_URL", () => {
  it("a malformed URL is invalid input (exit 2) naming the variable, and nothing is sent", async () => {
    const before = sandbox.counters().requests;
    const run = await runCli(["plan", EXAMPLE], { ...sandbox.env, SOURCELINKS_GITHUB_API_URL: "http//127.0.0.1/github" });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "sourcelinks: SOURCELINKS_GITHUB_API_URL is not a valid absolute URL: set it to the API's base URL, e.g. https://api.github.com, or unset it.\n",
    );
    expect(sandbox.counters().requests).toBe(before);
  });
});

describe("credential variables", () => {
  it("each one a run needs and the environment lacks is named, for every service, with exit 2 and no request sent", async () => {
    const before = sandbox.counters().requests;
    const env: Record<string, string> = { ...sandbox.env, SOURCELINKS_BUILD_TOKEN: "", BITBUCKET_EMAIL: "", SOURCELINKS_ETAG_CACHE: "off" };
    delete env["GITHUB_TOKEN"];
    delete env["BITBUCKET_API_TOKEN"];
    for (const command of [
      ["plan", EXAMPLE],
      ["apply", EXAMPLE, "--yes"],
      ["check", EXAMPLE, "--live"],
      ["export", "--config", EXAMPLE],
    ]) {
      const run = await runCli(command, env);
      expect(run.code, command.join(" ")).toBe(2);
      expect(run.stderr.split("\n")).toEqual([
        "sourcelinks: SOURCELINKS_BUILD_TOKEN is not set: it must hold the build service's API token (named by buildService.tokenEnv); set it, or name the variable that holds it in buildService.tokenEnv",
        "sourcelinks: GITHUB_TOKEN is not set: it must hold the GitHub token (named by providers.github.tokenEnv) for link acme-builds, link legacy-builds, org access acme and 1 more; set it, or name the variable that holds it in providers.github.tokenEnv",
        "sourcelinks: BITBUCKET_API_TOKEN is not set: it must hold the Bitbucket API token or access token (named by providers.bitbucket.tokenEnv) for link mobile-builds; set it, or name the variable that holds it in providers.bitbucket.tokenEnv",
        "",
      ]);
    }
    expect(sandbox.counters().requests).toBe(before);
  });
});

describe("credentials a live run needs", () => {
  const DOCKER_HUB = "examples/docker-hub/sourcelinks.yaml";

  it("kind docker-hub needs no build-service token: nothing is sent to Docker Hub", async () => {
    const { SOURCELINKS_BUILD_TOKEN: token, ...env } = sandbox.env;
    expect(token).toBeTruthy();
    const run = await runCli(["plan", DOCKER_HUB], env);
    expect(run.stderr).not.toContain("SOURCELINKS_BUILD_TOKEN");
    expect(run.code).toBe(0);
  });

  it("kind reference names the missing build-service token and exits 2", async () => {
    const { SOURCELINKS_BUILD_TOKEN: _token, ...env } = sandbox.env;
    const run = await runCli(["plan", EXAMPLE], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("SOURCELINKS_BUILD_TOKEN is not set: it must hold the build service's API token");
  });
});
