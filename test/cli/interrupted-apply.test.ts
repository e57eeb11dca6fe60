/**
 * SIGINT during `apply`, to the built bin in a child process: the request in flight finishes, nothing
 * further is sent, the report says what was done and what remains, the exit status is 130, and the
 * next apply converges. A proxy in front of the sandbox holds one request until the test has sent the
 * signal and the bin has acknowledged it, so the order of events is fixed, not timed.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { startHostileProxy, type HostileProxy } from "../support/hostile-proxy.js";
import { acmeConfig, acmeSeed } from "../support/acme-world.js";
import { MAIN, ROOT, ensureBuilt, runCli } from "../support/cli-harness.js";

/** Team ml is linked through alice's account; the config moves it to the service account ml-builder. */
const SEED = acmeSeed({
  users: [{ login: "alice" }, { login: "ml-builder" }],
  orgs: [{ login: "acme", owners: ["owner"], members: ["alice", "ml-builder"], restrictions: false }],
  repos: [{ name: "acme/train" }, { name: "acme/serve" }],
  links: [{ team: "ml", provider: "github", account: "alice", serviceAccount: false, repositories: ["acme/train", "acme/serve"] }],
});

const CONFIG = acmeConfig(`links:
  - { name: ml-builds, namespace: acme, team: ml, provider: github, account: ml-builder, serviceAccount: true, repositories: [acme/train, acme/serve] }
orgAccess: []
`);

let sandbox: SandboxHandle;
let proxy: HostileProxy;
let env: Record<string, string>;
let file: string;
/** Resolves when the held request reaches the proxy; `release` lets it through. */
let arrived: Promise<void>;
let release: () => void = () => undefined;

beforeAll(async () => {
  await ensureBuilt();
  sandbox = await startSandbox({ seed: SEED });
  let held = false;
  let signalArrival: () => void = () => undefined;
  arrived = new Promise((resolve) => (signalArrival = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  // Holds the first request that makes a repository an autobuild source: the relink's second step.
  proxy = await startHostileProxy(sandbox.baseUrl, (req) => {
    if (held || req.method !== "PUT" || !req.url.pathname.includes("/repositories/")) return undefined;
    held = true;
    return async (_res, tools) => {
      signalArrival();
      await released;
      const answer = await tools.forward();
      tools.send(answer.status, answer.headers, answer.text);
    };
  });
  env = { ...sandbox.env, ...proxy.env, SOURCELINKS_ETAG_CACHE: "off" };
  file = join(mkdtempSync(join(tmpdir(), "sourcelinks-interrupted-")), "sourcelinks.yaml");
  writeFileSync(file, CONFIG);
}, 240_000);
afterAll(async () => {
  release();
  await proxy?.close();
  await sandbox?.close();
});

describe("SIGINT during apply", () => {
  it("finishes the request in flight, sends nothing more, reports done and remaining, exits 130; the next apply converges", async () => {
    const child = spawn(process.execPath, [MAIN, "apply", file, "--yes", "--max-revoke-ratio", "1"], {
      env,
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let acknowledged: () => void = () => undefined;
    const interrupted = new Promise<void>((resolve) => (acknowledged = resolve));
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
      if (stderr.includes("sourcelinks apply: interrupted")) acknowledged();
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));

    await arrived;
    child.kill("SIGINT");
    // A bin that dies of the signal never acknowledges it: then its exit ends the wait.
    await Promise.race([interrupted, exited]);
    const before = proxy.requests().length;
    release();
    const code = await exited;

    expect(code, stdout + stderr).toBe(130);
    // Nothing was sent after the held request.
    expect(proxy.requests().length).toBe(before);
    expect(stdout).toContain("link ml-builds: interrupted");
    expect(stdout).toMatch(/ {2}done {4}link github service account ml-builder to namespace acme for team ml\n/);
    expect(stdout).toContain("  done    make acme/train an autobuild source of link (the new link) in namespace acme");
    expect(stdout).toContain("  remains make acme/serve an autobuild source of link (the new link) in namespace acme");
    expect(stdout).toMatch(/ {2}remains unlink link \S+ in namespace acme\n/);
    expect(stdout).toContain("Apply interrupted: 2 requests sent, 0 steps failed, 2 steps not attempted; rerun apply to converge.");

    const direct = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" };
    const pending = await runCli(["plan", file, "--detailed-exitcode"], direct);
    expect(pending.code, pending.stdout).toBe(4);
    expect(pending.stdout).toContain("make acme/serve an autobuild source of link");
    const again = await runCli(["apply", file, "--yes", "--max-revoke-ratio", "1"], direct);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect((await runCli(["plan", file, "--detailed-exitcode"], direct)).code).toBe(0);
  });
});
