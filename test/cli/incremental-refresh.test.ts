/**
 * Sweeps refreshed from the GitHub Enterprise Cloud audit log, against the sweep world
 * (test/fixtures/worlds/sweep.yaml, org acme with the log) over loopback, on the sandbox's injected
 * clock: the first run reads in full and stores its inventory beside the ETag cache, later runs read
 * only the log and what its events touch, and every doubt is a full read that says why.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SweepRefresh } from "../../engine/model/sweep.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { ROOT, runCli } from "../support/cli-harness.js";
import { appKeyPair } from "../support/github-app-harness.js";

const DOCKER = "https://cloud.docker.com/api/build/v1/vcs/22222222-aaaa-4bbb-8ccc-0000000000aa/trigger/call/";
const HOOK_LIST = "GET /github/repos/:owner/:repo/hooks";
const START = Date.parse("2026-12-01T00:00:00Z");
const HOUR = 3_600_000;
/** Webhook listings of the config's two links, read every run whatever the sweep does. */
const LINK_LISTINGS = 2;

let nowMs = START;
let sandbox: SandboxHandle;
let config: string;
/** The sweep world's links with only the sweep of Bitbucket workspace acme-team (no audit log there). */
let bitbucketConfig: string;
/** The acme config authenticated as each of two GitHub Apps installed on acme, and the apps' private key. */
const APPS = [
  { id: 424242, installation: 7001 },
  { id: 424243, installation: 7002 },
] as const;
let appConfigs: string[];
let appKey: string;

beforeAll(async () => {
  // Org acme on Enterprise Cloud, with a second owner (for a changed token owner).
  const seed = readFileSync(join(ROOT, "test/fixtures/worlds/sweep.yaml"), "utf8")
    .replace("      owners: [ops]\n", "      owners: [ops, acme-builder]\n      auditLog: true\n")
    .replace("      members: [acme-builder, old-builder]\n", "      members: [old-builder]\n");
  // Two GitHub Apps on acme (one key pair for both), each allowed to read the audit log.
  const keys = appKeyPair();
  appKey = keys.privateKey;
  const permissions =
    "{ metadata: read, repository_hooks: write, administration: write, organization_hooks: write, organization_administration: read }";
  const apps = APPS.map(
    (a) =>
      `    - { id: ${a.id}, publicKey: ${JSON.stringify(keys.publicKey)}, installations: [{ id: ${a.installation}, owner: acme, permissions: ${permissions} }] }\n`,
  ).join("");
  sandbox = await startSandbox({ seed: seed.replace("  repos:\n", `  apps:\n${apps}  repos:\n`), now: () => nowMs });
  const text = readFileSync(join(ROOT, "test/fixtures/worlds/sweep.sourcelinks.yaml"), "utf8")
    .replace(/ {2}- \{ name: operator-repos, provider: github, owner: ops \}\n/, "")
    .replace(/ {2}- \{ provider: bitbucket, owner: acme-team \}\n/, "");
  const dir = mkdtempSync(join(tmpdir(), "sourcelinks-incremental-"));
  config = join(dir, "acme.yaml");
  writeFileSync(config, text);
  appConfigs = APPS.map((a) => {
    const file = join(dir, `acme-app-${a.id}.yaml`);
    writeFileSync(
      file,
      text.replace("  github: {}\n", `  github:\n    auth: { appId: ${a.id}, privateKeyEnv: SOURCELINKS_GITHUB_APP_KEY }\n`),
    );
    return file;
  });
  bitbucketConfig = join(dir, "acme-team.yaml");
  writeFileSync(
    bitbucketConfig,
    readFileSync(join(ROOT, "test/fixtures/worlds/sweep.sourcelinks.yaml"), "utf8")
      .replace(/ {2}- \{ name: operator-repos, provider: github, owner: ops \}\n/, "")
      .replace(/ {2}- \{ provider: github, owner: acme, exclude: \["acme\/sandbox-\*"\] \}\n/, ""),
  );
});

afterAll(async () => {
  await sandbox?.close();
});

let cacheDir: string;

beforeEach(async () => {
  nowMs = START;
  await sandbox.reset();
  sandbox.clearFaults();
  await admin("PUT", "/audit-log", { delaySeconds: 0, queriesPerHour: 1750 });
  cacheDir = mkdtempSync(join(tmpdir(), "sourcelinks-incremental-cache-"));
});

async function admin(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${sandbox.baseUrl}/_sandbox${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
  const text = await res.text();
  return text.length > 0 ? JSON.parse(text) : undefined;
}

function tokenOf(login: string): string {
  const token = sandbox.world().github.tokens.find((t) => t.login === login && t.kind === "pat" && !t.revoked)?.token;
  if (token === undefined) throw new Error(`no PAT of ${login}`);
  return token;
}

async function github(method: string, path: string, body?: unknown, login = "ops"): Promise<number> {
  const res = await fetch(`${sandbox.baseUrl}/github${path}`, {
    method,
    headers: { authorization: `token ${tokenOf(login)}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await res.text();
  return res.status;
}

interface SweepJson {
  refresh?: SweepRefresh;
  artifacts: { kind: string; repository: string | null; target: string; classification: string }[];
  repositoriesSwept: number;
}

/** Plans the acme sweep (JSON) with the test's cache folder, or with no cache when `cache` is false. */
async function sweep(options: { args?: string[]; cache?: boolean; login?: string; config?: string } = {}): Promise<SweepJson> {
  const env = {
    ...sandbox.env,
    GITHUB_TOKEN: tokenOf(options.login ?? "ops"),
    SOURCELINKS_ETAG_CACHE: options.cache === false ? "off" : join(cacheDir, "etags.json"),
    SOURCELINKS_GITHUB_APP_KEY: appKey,
  };
  const run = await runCli(["plan", options.config ?? config, "--format", "json", ...(options.args ?? [])], env);
  expect(run.code, run.stderr).toBe(0);
  const found = (
    JSON.parse(run.stdout) as { resources: (SweepJson & { resource: string; name: string; observed: SweepJson })[] }
  ).resources.find((r) => r.resource === "sweep");
  if (!found) throw new Error("no sweep in the plan");
  return found.observed;
}

const artifacts = (s: SweepJson): string[] => s.artifacts.map((a) => `${a.kind} ${a.repository} ${a.target} ${a.classification}`).sort();

describe("incremental refresh from the audit log", () => {
  it("reads in full first, then only the log, and observes every change its events announce as a full read does", async () => {
    const first = await sweep();
    expect(first.refresh).toMatchObject({
      mode: "full",
      fullBecause: "no stored cursor (the first run with this cache folder or this resource's state)",
    });

    await admin("POST", "/counters/reset");
    nowMs += HOUR;
    const unchanged = await sweep();
    expect(unchanged.refresh).toMatchObject({ mode: "incremental", events: 0, reread: 0, fullBecause: null });
    expect(artifacts(unchanged)).toEqual(artifacts(first));
    // The two links list their declared repositories' webhooks every run; the sweep lists none.
    expect(sandbox.counters().byEndpoint[HOOK_LIST]).toBe(LINK_LISTINGS);

    // Between two runs: a hook added, a deploy key deleted, a repository renamed, one created with a hook.
    expect(await github("POST", "/repos/acme/forgotten/hooks", { config: { url: DOCKER } })).toBe(201);
    const keyId = sandbox
      .world()
      .github.repos.find((r) => r.name === "forgotten")!
      .keys.find((k) => k.title.startsWith("Docker"))!.id;
    expect(await github("DELETE", `/repos/acme/forgotten/keys/${keyId}`)).toBe(204);
    expect(await github("PATCH", "/repos/acme/tool", { name: "tool2" })).toBe(200);
    await admin("POST", "/act", { as: "repo-admin", repo: "acme/fresh", action: "create" });
    expect(await github("POST", "/repos/acme/fresh/hooks", { config: { url: DOCKER } })).toBe(201);
    nowMs += HOUR;
    await admin("POST", "/counters/reset");
    const changed = await sweep();
    expect(changed.refresh).toMatchObject({ mode: "incremental", reread: 3 });
    expect(changed.refresh!.events).toBeGreaterThanOrEqual(5);
    expect(sandbox.counters().byEndpoint[HOOK_LIST]).toBe(LINK_LISTINGS + 3);
    const full = await sweep({ cache: false });
    expect(full.refresh).toBeUndefined();
    expect(artifacts(changed)).toEqual(artifacts(full));
    expect(artifacts(changed)).toEqual(expect.arrayContaining([`repository-webhook acme/fresh ${DOCKER} orphaned`]));
    expect(changed.repositoriesSwept).toBe(full.repositoriesSwept);
  });

  it("finds an event the log shows late through the next run's overlap", async () => {
    await sweep();
    await admin("PUT", "/audit-log", { delaySeconds: 300 });
    nowMs += 60_000;
    expect(await github("POST", "/repos/acme/forgotten/hooks", { config: { url: DOCKER } })).toBe(201);
    nowMs += 60_000;
    const early = await sweep();
    expect(early.refresh).toMatchObject({ mode: "incremental", events: 0 });
    expect(artifacts(early).some((a) => a.includes(DOCKER))).toBe(false);
    nowMs += 10 * 60_000;
    const later = await sweep();
    expect(later.refresh).toMatchObject({ mode: "incremental", events: 1, reread: 1 });
    expect(artifacts(later)).toEqual(expect.arrayContaining([`repository-webhook acme/forgotten ${DOCKER} orphaned`]));
  });
});

describe("falls back to a full read, and says why", () => {
  it("when the last full verification is older than --verify-every", async () => {
    await sweep();
    nowMs += 25 * HOUR;
    expect((await sweep()).refresh).toMatchObject({
      mode: "full",
      fullBecause: expect.stringContaining("last full verification is 25 h old"),
    });
    nowMs += 2 * HOUR;
    expect((await sweep({ args: ["--verify-every", "1h"] })).refresh).toMatchObject({ mode: "full" });
    expect((await sweep({ args: ["--verify-every", "1h"] })).refresh).toMatchObject({ mode: "incremental" });
  });

  it("when the stored cursor is older than the 180 days the log keeps", async () => {
    await sweep();
    nowMs += 181 * 24 * HOUR;
    expect((await sweep({ args: ["--verify-every", "400d"] })).refresh).toMatchObject({
      mode: "full",
      fullBecause: "the stored cursor is older than the 180 days the audit log keeps",
    });
  });

  it.each([
    [403, "answered 403 (not GitHub Enterprise Cloud"],
    [404, "answered 404 (not GitHub Enterprise Cloud"],
    [502, "answered 502"],
  ])("when the log answers %i", async (status, because) => {
    await sweep();
    sandbox.injectFault({ errorRate: 1, errorStatus: status, match: { pathPrefix: "/github/orgs/acme/audit-log" } });
    nowMs += HOUR;
    expect((await sweep()).refresh).toMatchObject({ mode: "full", fullBecause: expect.stringContaining(because) });
  });

  it("when the log's hourly queries are spent (429)", async () => {
    await sweep();
    await admin("PUT", "/audit-log", { queriesPerHour: 1 });
    expect(await github("GET", "/orgs/acme/audit-log")).toBe(200);
    expect((await sweep()).refresh).toMatchObject({ mode: "full", fullBecause: expect.stringContaining("answered 429") });
  });

  it("when an event cannot be placed (a deploy key created without a repository)", async () => {
    await sweep();
    nowMs += 60_000;
    sandbox
      .world()
      .github.orgs[0]!.auditLog!.push({ action: "public_key.create", created_at: new Date(nowMs).toISOString(), actor: "ops" });
    nowMs += 60_000;
    expect((await sweep()).refresh).toMatchObject({
      mode: "full",
      fullBecause: "an audit log event it cannot place: public_key.create without a repository",
    });
  });

  it("when more events arrived than a refresh reads (over 10,000)", async () => {
    await sweep();
    nowMs += 60_000;
    const log = sandbox.world().github.orgs[0]!.auditLog!;
    const at = new Date(nowMs).toISOString();
    for (let i = 0; i < 10_001; i++) log.push({ action: "repo.create", repo: `acme/burst-${i}`, created_at: at, actor: "ops" });
    nowMs += 60_000;
    expect((await sweep()).refresh).toMatchObject({
      mode: "full",
      fullBecause: "the audit log gave more than 10,000 events since the last run",
    });
  });

  it("when the token's owner changed", async () => {
    await sweep();
    nowMs += HOUR;
    expect((await sweep({ login: "acme-builder" })).refresh).toMatchObject({
      mode: "full",
      fullBecause: "the token's owner or app changed (user:ops before, user:acme-builder now)",
    });
  });

  it("when the GitHub App changed (another app, or another installation)", async () => {
    const [first, second] = appConfigs as [string, string];
    expect((await sweep({ config: first })).refresh).toMatchObject({ mode: "full" });
    nowMs += HOUR;
    expect((await sweep({ config: first })).refresh).toMatchObject({ mode: "incremental" });
    nowMs += HOUR;
    expect((await sweep({ config: second })).refresh).toMatchObject({
      mode: "full",
      fullBecause: "the token's owner or app changed (app:424242/installation:7001 before, app:424243/installation:7002 now)",
    });
    // The same app installed again on the org: a new installation, which may have missed what happened in between.
    sandbox.world().github.apps!.find((a) => a.id === APPS[1].id)!.installations[0]!.id = 7003;
    nowMs += HOUR;
    expect((await sweep({ config: second })).refresh).toMatchObject({
      mode: "full",
      fullBecause: "the token's owner or app changed (app:424243/installation:7002 before, app:424243/installation:7003 now)",
    });
  });

  it("after an apply wrote to the owner's repositories, however late the log shows its events", async () => {
    await sweep();
    await admin("PUT", "/audit-log", { delaySeconds: 3600 });
    const env = { ...sandbox.env, GITHUB_TOKEN: tokenOf("ops"), SOURCELINKS_ETAG_CACHE: join(cacheDir, "etags.json") };
    const applied = await runCli(["apply", config, "--yes", "--max-revoke-ratio", "1"], env);
    expect(applied.code, applied.stderr).toBe(0);
    const after = await sweep();
    expect(after.refresh).toMatchObject({ mode: "full", fullBecause: "the last apply wrote to this owner's repositories" });
    expect(artifacts(after).filter((a) => a.endsWith(" orphaned") && a.includes("acme/forgotten"))).toEqual([]);
  });

  it("when a slice re-read finds a difference no event explains (a missed event)", async () => {
    await sweep();
    // Written behind the log's back: no event records it.
    sandbox
      .world()
      .github.repos.find((r) => r.name === "forgotten")!
      .hooks.push({
        id: 999_001,
        active: true,
        events: ["push"],
        config: { url: DOCKER, content_type: "json", secret: null, insecure_ssl: "0" },
        created_at: "2026-12-01T00:00:00Z",
        updated_at: "2026-12-01T00:00:00Z",
        last_response: { code: null, status: "unused", message: null },
      });
    nowMs += HOUR;
    const run = await sweep({ args: ["--verify-slices", "1"] });
    expect(run.refresh).toMatchObject({
      mode: "full",
      fullBecause: "a difference the audit log's events do not explain (a missed event) on 1 repository",
    });
    expect(run.refresh!.missedEvents).toEqual([expect.stringContaining("acme/forgotten")]);
    expect(artifacts(run)).toEqual(expect.arrayContaining([`repository-webhook acme/forgotten ${DOCKER} orphaned`]));
  });
});

describe("without an audit log", () => {
  it("remembers an org whose log answered 404: no log query and no GET /user until the sweep's verifyEvery has passed since", async () => {
    sandbox.world().github.orgs.find((o) => o.login === "acme")!.auditLog = null;
    const first = await sweep();
    expect(first.refresh).toMatchObject({ mode: "full", fullBecause: expect.stringContaining("the audit log answered 404") });
    await admin("POST", "/counters/reset");
    const second = await sweep();
    expect(second.refresh).toMatchObject({
      mode: "full",
      fullBecause: expect.stringMatching(
        /^the audit log answered 404 \(not GitHub Enterprise Cloud.*\) at \S+Z; asked again once verifyEvery has passed since$/,
      ),
    });
    expect(sandbox.counters().byEndpoint["GET /github/orgs/:org/audit-log"]).toBeUndefined();
    expect(sandbox.counters().byEndpoint["GET /github/user"]).toBeUndefined();
    expect(artifacts(second)).toEqual(artifacts(first));

    // The refusal as a day's wait leaves it: the log is asked again.
    const file = join(cacheDir, "inventories.json");
    const stored = JSON.parse(readFileSync(file, "utf8")) as { owners: Record<string, { noAuditLog?: { since: number } }> };
    const owners = Object.values(stored.owners).filter((o) => o.noAuditLog !== undefined);
    expect(owners).toHaveLength(1);
    for (const o of owners) o.noAuditLog!.since -= 25 * HOUR;
    writeFileSync(file, JSON.stringify(stored));
    await admin("POST", "/counters/reset");
    const later = await sweep();
    expect(later.refresh!.fullBecause).toMatch(/^the audit log answered 404 \(not GitHub Enterprise Cloud[^)]*\)$/);
    expect(sandbox.counters().byEndpoint["GET /github/orgs/:org/audit-log"]).toBe(1);
  });

  it("reads a Bitbucket workspace in full by default, and with --verify-slices rolls the reads and prints the staleness bound", async () => {
    const bitbucket = { config: bitbucketConfig };
    expect((await sweep(bitbucket)).refresh).toMatchObject({
      mode: "full",
      fullBecause: expect.stringContaining("no audit log on bitbucket"),
    });
    expect((await sweep(bitbucket)).refresh).toMatchObject({ mode: "full" });
    const slices = { ...bitbucket, args: ["--verify-slices", "4"] };
    const rolled = await sweep(slices);
    expect(rolled.refresh).toMatchObject({ mode: "rolling", stalenessBoundRuns: 3, fullBecause: null });
    // A repository with known build-service artifacts is re-read every run, whatever its slice.
    const mobile = sandbox.world().bitbucket.repos.find((r) => r.slug === "mobile")!;
    mobile.keys = mobile.keys.filter((k) => !k.label.startsWith("Docker Hub Builder"));
    const after = await sweep(slices);
    expect(after.refresh).toMatchObject({ mode: "rolling", reread: 1 });
    expect(after.artifacts.filter((a) => a.kind === "deploy-key")).toEqual([]);
  });
});

/** The acme config with `fields` added to its sweep, written beside the others; returns its path and text. */
function acmeWith(fields: string): { file: string; text: string } {
  const text = readFileSync(config, "utf8").replace('exclude: ["acme/sandbox-*"] }', `exclude: ["acme/sandbox-*"], ${fields} }`);
  expect(text).toContain(fields);
  const file = join(mkdtempSync(join(tmpdir(), "sourcelinks-cadence-")), "acme.yaml");
  writeFileSync(file, text);
  return { file, text };
}

describe("a verification cadence declared on the sweep", () => {
  it("is used: a sweep with verifyEvery: 1h reads in full once its last full verification is 2 h old, and says the sweep set it", async () => {
    const { file } = acmeWith("verifyEvery: 1h");
    expect((await sweep({ config: file })).refresh).toMatchObject({ mode: "full" });
    nowMs += 30 * 60_000;
    expect((await sweep({ config: file })).refresh).toMatchObject({ mode: "incremental" });
    nowMs += 90 * 60_000;
    expect((await sweep({ config: file })).refresh).toMatchObject({
      mode: "full",
      fullBecause: "the last full verification is 2 h old (verifyEvery 60 min)",
    });
  });

  it("is overridden by --verify-every for the run, and the reason then names the flag", async () => {
    const { file } = acmeWith("verifyEvery: 1h");
    await sweep({ config: file });
    nowMs += 2 * HOUR;
    expect((await sweep({ config: file, args: ["--verify-every", "7d"] })).refresh).toMatchObject({ mode: "incremental" });
    nowMs += HOUR;
    expect((await sweep({ config: file, args: ["--verify-every", "2h"] })).refresh).toMatchObject({
      mode: "full",
      fullBecause: "the last full verification is 3 h old (--verify-every 2 h)",
    });
  });

  it("rolls a Bitbucket workspace's reads with verifySlices, without the flag", async () => {
    const text = readFileSync(bitbucketConfig, "utf8").replace("owner: acme-team }", "owner: acme-team, verifySlices: 4 }");
    expect(text).toContain("verifySlices: 4");
    const file = join(mkdtempSync(join(tmpdir(), "sourcelinks-cadence-")), "acme-team.yaml");
    writeFileSync(file, text);
    expect((await sweep({ config: file })).refresh).toMatchObject({ mode: "full" });
    expect((await sweep({ config: file })).refresh).toMatchObject({ mode: "rolling", stalenessBoundRuns: 3, fullBecause: null });
  });

  it.each([
    ["verifyEvery: soon", 'verifyEvery must be a duration: a whole number above 0 and s, m, h or d (e.g. 24h, 90m, 7d), not "soon"'],
    ["verifyEvery: 0h", "verifyEvery must be a duration"],
    ["verifySlices: 0", "verifySlices must be at least 1, not 0"],
  ])("refuses %s with exit 2, located at its value", async (fields, message) => {
    const { file, text } = acmeWith(fields);
    const env = { ...sandbox.env, GITHUB_TOKEN: tokenOf("ops"), SOURCELINKS_ETAG_CACHE: join(cacheDir, "etags.json") };
    const run = await runCli(["plan", file], env);
    expect(run.code).toBe(2);
    const value = fields.split(": ")[1]!;
    const lines = text.split("\n");
    const row = lines.findIndex((l) => l.includes(fields));
    const column = lines[row]!.indexOf(fields) + fields.length - value.length + 1;
    expect(run.stderr).toContain(`${file}:${row + 1}:${column}`);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe("");
  });
});

describe("refresh options", () => {
  it("refuses a malformed --verify-every or --verify-slices with exit 2", async () => {
    const env = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: join(cacheDir, "etags.json") };
    const every = await runCli(["plan", config, "--verify-every", "soon"], env);
    expect(every.code).toBe(2);
    expect(every.stderr).toContain("--verify-every soon: not a duration");
    const slices = await runCli(["plan", config, "--verify-slices", "0"], env);
    expect(slices.code).toBe(2);
    expect(slices.stderr).toContain("--verify-slices 0");
  });

  it("prints how the sweep was read in the text plan and in check", async () => {
    const env = { ...sandbox.env, GITHUB_TOKEN: tokenOf("ops"), SOURCELINKS_ETAG_CACHE: join(cacheDir, "etags.json") };
    const plan = await runCli(["plan", config], env);
    expect(plan.stdout).toContain("full read (no stored cursor");
    nowMs += 2 * HOUR;
    const check = await runCli(["check", config, "--live"], env);
    expect(check.stdout).toContain("refreshed from the audit log: 0 events, 0 repositories re-read; last full verification 2 h ago");
  });
});
