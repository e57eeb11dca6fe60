/**
 * One observation reads each thing once, however many resources need it: `plan` of the demo config
 * (links on acme's repositories and a sweep of org acme) lists each repository's webhooks and each
 * namespace's build-service records once, counted at a recording proxy in front of the sandbox.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { startHostileProxy, type HostileProxy } from "../support/hostile-proxy.js";
import { EXAMPLE, runCli } from "../support/cli-harness.js";

let sandbox: SandboxHandle;
let proxy: HostileProxy;

beforeAll(async () => {
  sandbox = await startSandbox({});
  proxy = await startHostileProxy(sandbox.baseUrl, () => undefined);
});

afterAll(async () => {
  await proxy?.close();
  await sandbox?.close();
});

/** How many times each GET path (query ignored) matching `pattern` was requested. */
function getsOf(requests: readonly string[], pattern: RegExp): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of requests) {
    const [method, target] = request.split(" ");
    const path = (target ?? "").split("?")[0]!;
    if (method === "GET" && pattern.test(path)) counts.set(path, (counts.get(path) ?? 0) + 1);
  }
  return counts;
}

it("plan lists each repository's webhooks once, for the links and the sweep of their org alike, and each namespace's records once", async () => {
  const run = await runCli(["plan", EXAMPLE], { ...sandbox.env, ...proxy.env, SOURCELINKS_ETAG_CACHE: "off" });
  expect(run.code, run.stderr).toBe(0);
  // The sweep found the orphan on acme/old-site, a repository no link names: it read acme's repositories.
  expect(run.stdout).toContain("acme/old-site");

  const hooks = getsOf(proxy.requests(), /^\/github\/repos\/[^/]+\/[^/]+\/hooks$/);
  const acme = sandbox
    .world()
    .github.repos.filter((r) => r.owner === "acme")
    .map((r) => `/github/repos/acme/${r.name}/hooks`);
  // Every acme repository was read (the sweep's listing), and the links' repositories among them too.
  expect([...hooks.keys()].filter((path) => path.startsWith("/github/repos/acme/")).sort()).toEqual(acme.sort());
  expect([...hooks.entries()].filter(([, n]) => n > 1)).toEqual([]);

  const records = getsOf(proxy.requests(), /^\/build\/api\/build\/v1\/[^/]+\/links\/$/);
  expect(records.size).toBeGreaterThan(0);
  expect([...records.entries()].filter(([, n]) => n > 1)).toEqual([]);
});
