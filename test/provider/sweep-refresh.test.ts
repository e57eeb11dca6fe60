/**
 * `OrphanSweep` refreshed from the GitHub Enterprise Cloud audit log through Pulumi's own engine
 * protocol: the real dynamic-provider host over gRPC, against the sweep world
 * (test/fixtures/worlds/sweep.yaml, org acme with the log) on the sandbox's injected clock. The state
 * the outputs keep (`refreshState`) carries the cursor and the verified inventory from one call to
 * the next, as the CLI's cache folder does; every doubt is a full read that says why in `observed.refresh`.
 * The cadence (`verifyEvery`, `verifySlices`) is the resource's inputs', and its reasons name those inputs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as ConfigLoad from "../../engine/config/load.js";
import type { SourcelinksConfig, SweepSpec } from "../../engine/model/spec.js";
import type { SweepRefresh } from "../../engine/model/sweep.js";
import type { OrphanSweepInputs } from "../../provider/sweep-properties.js";
import type * as SweepProvider from "../../provider/sweep-provider.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import {
  FakeEngine,
  isWireSecret,
  makeUrn,
  ProviderHost,
  projectRoot,
  providerKey,
  revealSecrets,
  type PropertyMap,
  type StateEntry,
} from "../support/engine-harness.js";
import { expectNoSecretIn } from "../support/no-secret.js";
import { BUILD_TIMEOUT_MS, ensureBuilt, packageVersion, requireDist, serializeProvider } from "../support/provider-dist.js";

const SWEEP_TYPE = "pulumi-nodejs:dynamic/sourcelinks:OrphanSweep";
const DOCKER = "https://cloud.docker.com/api/build/v1/vcs/22222222-aaaa-4bbb-8ccc-0000000000aa/trigger/call/";
const FOREIGN_ORG_HOOK = "https://chat.acme.example/hooks/github";
const HOUR = 3_600_000;

let nowMs = Date.parse("2026-12-01T00:00:00Z");
let sandbox: SandboxHandle;
let config: SourcelinksConfig;
let serialized: string;
let host: ProviderHost;

interface Outputs {
  observed: { refresh?: SweepRefresh; artifacts: { repository: string | null; target: string; classification: string }[] };
  drift: string[];
  refreshState?: { cursor: string | null; verifiedAt: string; actingAs: string | null; inventory: unknown };
}

/** The acme sweep's inputs as declared from the YAML, with `change` to its declaration. */
function inputs(
  change: Partial<SweepSpec> = {},
  owner: Pick<SweepSpec, "provider" | "owner"> = { provider: "github", owner: "acme" },
): PropertyMap {
  const spec = config.sweeps?.find((s) => s.provider === owner.provider && s.owner === owner.owner) as SweepSpec;
  const declared: OrphanSweepInputs = {
    ...spec,
    ...change,
    links: config.links,
    buildService: config.buildService,
    providers: config.providers,
    providerVersion: packageVersion(),
  };
  return JSON.parse(JSON.stringify({ ...declared, [providerKey]: serialized })) as PropertyMap;
}

/** GitHub requests the sandbox answered since `before`, by endpoint. */
function githubSince(before: Record<string, number>): Record<string, number> {
  const now = sandbox.counters().byEndpoint;
  return Object.fromEntries(
    Object.entries(now)
      .filter(([endpoint, n]) => endpoint.includes(" /github/") && n > (before[endpoint] ?? 0))
      .map(([endpoint, n]) => [endpoint, n - (before[endpoint] ?? 0)]),
  );
}

async function github(method: string, path: string, body?: unknown): Promise<number> {
  const res = await fetch(`${sandbox.baseUrl}/github${path}`, {
    method,
    headers: { authorization: `token ${sandbox.env.GITHUB_TOKEN}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await res.text();
  return res.status;
}

function worldSecrets(): string[] {
  const world = sandbox.world();
  return [...world.github.tokens.map((t) => t.token), ...world.buildService.tokens.map((t) => t.token)];
}

/** The outputs with every secret replaced by a marker: what `pulumi stack output` shows in plain text. */
function plainPart(value: unknown): unknown {
  if (isWireSecret(value)) return "[secret]";
  if (Array.isArray(value)) return value.map(plainPart);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plainPart(v)]));
  return value;
}

beforeAll(async () => {
  await ensureBuilt();
  const { loadConfigFiles } = requireDist<typeof ConfigLoad>("engine/config/load.js");
  config = (await loadConfigFiles([join(projectRoot, "test/fixtures/worlds/sweep.sourcelinks.yaml")])).config;
  serialized = await serializeProvider(requireDist<typeof SweepProvider>("provider/sweep-provider.js").sweepProvider);
  const seed = readFileSync(join(projectRoot, "test/fixtures/worlds/sweep.yaml"), "utf8").replace(
    "      owners: [ops]\n",
    "      owners: [ops]\n      auditLog: true\n",
  );
  sandbox = await startSandbox({ seed, now: () => nowMs });
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "" };
  for (const [key, value] of Object.entries(sandbox.env)) if (key !== "GITHUB_TOKEN") env[key] = value;
  host = await ProviderHost.start({ env });
  await host.configure({ "sourcelinks:githubToken": sandbox.env.GITHUB_TOKEN });
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await host?.close();
  await sandbox?.close();
});

// Steps of one stack's life, each on the state the one before left: run in order even when shuffled.
describe("OrphanSweep refreshed from the audit log through the dynamic-provider host", { shuffle: false }, () => {
  const urn = makeUrn(SWEEP_TYPE, "acme");
  let engine: FakeEngine;
  let created: StateEntry;

  beforeAll(() => {
    engine = new FakeEngine(host);
  });

  it("create keeps the cursor, the last full verification and the verified inventory in its outputs, the inventory a secret", async () => {
    created = (await engine.up(urn, inputs())).entry;
    const outputs = revealSecrets(created.outputs) as unknown as Outputs;
    // Its own deletions make the observation after them a full read.
    expect(outputs.observed.refresh).toMatchObject({ mode: "full", fullBecause: "the last apply wrote to this owner's repositories" });
    expect(outputs.refreshState).toMatchObject({
      cursor: new Date(nowMs).toISOString(),
      verifiedAt: new Date(nowMs).toISOString(),
      actingAs: "user:ops",
    });
    const raw = created.outputs as unknown as Outputs;
    expect(isWireSecret(raw.refreshState?.inventory)).toBe(true);
    // A foreign org webhook's URL is in the inventory only: never in plain text in state.
    expect(JSON.stringify(revealSecrets(created.outputs))).toContain(FOREIGN_ORG_HOOK);
    expect(JSON.stringify(plainPart(created.outputs))).not.toContain(FOREIGN_ORG_HOOK);
    expectNoSecretIn(JSON.stringify(revealSecrets(created.outputs)), worldSecrets());
  });

  it("a second refresh of the unchanged org sends only the audit log query (and the token's owner)", async () => {
    nowMs += HOUR;
    const first = revealSecrets((await engine.refresh(urn)).outputs) as unknown as Outputs;
    // The create's own deletions are in the log since the cursor: their repositories are read again.
    expect(first.observed.refresh).toMatchObject({ mode: "incremental", fullBecause: null });
    nowMs += HOUR;
    const before = { ...sandbox.counters().byEndpoint };
    const second = revealSecrets((await engine.refresh(urn)).outputs) as unknown as Outputs;
    expect(second.observed.refresh).toMatchObject({ mode: "incremental", events: 0, reread: 0, fullBecause: null });
    expect(githubSince(before)).toEqual({ "GET /github/orgs/:org/audit-log": 1, "GET /github/user": 1 });
    expect(second.observed.artifacts).toEqual(first.observed.artifacts);
    expect(second.refreshState?.cursor).toBe(new Date(nowMs).toISOString());
    expect(second.refreshState?.verifiedAt).toBe((revealSecrets(created.outputs) as unknown as Outputs).refreshState?.verifiedAt);
  });

  it("a log that answers 502 is a full read that says why in the outputs, and keeps the cursor for the next refresh", async () => {
    const cursor = (revealSecrets(engine.state.get(urn)!.outputs) as unknown as Outputs).refreshState?.cursor;
    sandbox.injectFault({ errorRate: 1, errorStatus: 502, match: { pathPrefix: "/github/orgs/acme/audit-log" } });
    nowMs += HOUR;
    try {
      const refreshed = revealSecrets((await engine.refresh(urn)).outputs) as unknown as Outputs;
      expect(refreshed.observed.refresh).toMatchObject({ mode: "full", fullBecause: "the audit log answered 502" });
      expect(refreshed.refreshState?.cursor).toBe(cursor);
    } finally {
      sandbox.clearFaults();
    }
  });

  it("a hook added since is observed from its event, named in drift, and up removes it", async () => {
    expect(await github("POST", "/repos/acme/forgotten/hooks", { config: { url: DOCKER } })).toBe(201);
    nowMs += HOUR;
    const before = { ...sandbox.counters().byEndpoint };
    const refreshed = revealSecrets((await engine.refresh(urn)).outputs) as unknown as Outputs;
    expect(refreshed.observed.refresh).toMatchObject({ mode: "incremental", events: 1, reread: 1 });
    expect(githubSince(before)["GET /github/repos/:owner/:repo/hooks"]).toBe(1);
    expect(refreshed.drift).toEqual([expect.stringMatching(/^webhook \d+ on acme\/forgotten is orphaned$/)]);
    const up = await engine.up(urn, inputs());
    expect(up.op).toBe("update");
    expect((revealSecrets(up.entry.outputs) as unknown as Outputs).drift).toEqual([]);
  });

  it("a refresh whose last full verification is older than a day reads in full, and says so", async () => {
    nowMs += 25 * HOUR;
    const refreshed = revealSecrets((await engine.refresh(urn)).outputs) as unknown as Outputs;
    expect(refreshed.observed.refresh).toMatchObject({
      mode: "full",
      fullBecause: expect.stringContaining("the last full verification is 25 h old"),
    });
    expect(refreshed.refreshState?.verifiedAt).toBe(new Date(nowMs).toISOString());
  });
  it("check refuses a declared verifyEvery that is not a duration and a verifySlices below 1, naming each", async () => {
    const checked = await host.check(urn, {}, inputs({ verifyEvery: "daily", verifySlices: 0 }));
    expect(checked.failures).toEqual([
      {
        property: "verifyEvery",
        reason: expect.stringContaining('must be a duration: a whole number above 0 and s, m, h or d (e.g. 24h, 90m, 7d), not "daily"'),
      },
      { property: "verifySlices", reason: "must be at least 1, not 0" },
    ]);
  });

  it("declaring the default cadence (verifyEvery: 1440m) where none was declared is no change", async () => {
    expect((await engine.up(urn, inputs({ verifyEvery: "1440m" }))).op).toBe("same");
  });

  it("a declared verifyEvery alone is an update that deletes nothing: a hook added since stays, named in drift", async () => {
    expect(await github("POST", "/repos/acme/forgotten/hooks", { config: { url: DOCKER } })).toBe(201);
    const deletesBefore = Object.entries(sandbox.counters().byEndpoint)
      .filter(([e]) => e.startsWith("DELETE "))
      .reduce((n, [, c]) => n + c, 0);
    const up = await engine.up(urn, inputs({ verifyEvery: "1h" }));
    expect(up.op).toBe("update");
    const outputs = revealSecrets(up.entry.outputs) as unknown as Outputs & { verifyEvery?: string };
    expect(outputs.verifyEvery).toBe("1h");
    expect(outputs.drift).toEqual([expect.stringMatching(/^webhook \d+ on acme\/forgotten is orphaned$/)]);
    const deletesAfter = Object.entries(sandbox.counters().byEndpoint)
      .filter(([e]) => e.startsWith("DELETE "))
      .reduce((n, [, c]) => n + c, 0);
    expect(deletesAfter).toBe(deletesBefore);
  });

  it("a declared verifyEvery: 1h reads in full once the last full verification is 2 h old, and the reason names verifyEvery, no CLI flag", async () => {
    nowMs += 30 * 60_000;
    const early = revealSecrets((await engine.refresh(urn)).outputs) as unknown as Outputs;
    expect(early.observed.refresh).toMatchObject({ mode: "incremental" });
    nowMs += 90 * 60_000;
    const refreshed = revealSecrets((await engine.refresh(urn)).outputs) as unknown as Outputs;
    expect(refreshed.observed.refresh).toMatchObject({
      mode: "full",
      fullBecause: "the last full verification is 2 h old (verifyEvery 60 min)",
    });
    expect(JSON.stringify(refreshed)).not.toContain("--verify");
  });
  it("a Bitbucket sweep declaring verifySlices rolls its refreshes, its inventory kept in refreshState without a cursor", async () => {
    const workspace = makeUrn(SWEEP_TYPE, "acme-team");
    const owner = { provider: "bitbucket", owner: "acme-team" } as const;
    const created = revealSecrets((await engine.up(workspace, inputs({ verifySlices: 2 }, owner))).entry.outputs) as unknown as Outputs;
    expect(created.refreshState?.cursor).toBeNull();
    expect((created.refreshState?.inventory as { repositories: unknown[] }).repositories.length).toBeGreaterThan(0);
    nowMs += HOUR;
    const refreshed = revealSecrets((await engine.refresh(workspace)).outputs) as unknown as Outputs;
    expect(refreshed.observed.refresh).toMatchObject({ mode: "rolling", stalenessBoundRuns: 1, fullBecause: null });
  });
});
