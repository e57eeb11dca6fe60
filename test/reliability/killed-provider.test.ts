/**
 * The dynamic-provider host killed with SIGKILL in the middle of `pulumi up` (as an OOM kill or a
 * cancelled CI job would), at seeded points between its changes; the engine keeps the state of the
 * operations that finished, and the next `pulumi up`, with a new host, converges to exactly the
 * world an uninterrupted `up` makes, with nothing foreign gone. A proxy holds the change the kill
 * lands at until the host is gone, so each kill cuts the update at its seeded change, whatever the
 * machine's load.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import { mulberry32 } from "../../sandbox/faults.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { BUILD_TIMEOUT_MS, demoConfig, ensureBuilt, linkInputs, orgAccessInputs, serializedProviders } from "../support/provider-dist.js";
import { FakeEngine, makeUrn, ProviderHost, type PropertyMap } from "../support/engine-harness.js";
import { changesSent, fingerprint, foreignThings, KILL_ENV, killAtChange, worldWithForeignKeys } from "../support/fault-harness.js";

const SEEDS = [6101, 6202, 6303];

let resources: { urn: string; inputs: PropertyMap }[];
let afterUp: unknown;
let changes: number;
const closers: (() => Promise<void>)[] = [];

/** A provider host on `sandbox`; `through` overrides its API URLs (a proxy's). */
async function host(sandbox: SandboxHandle, through: Record<string, string> = {}): Promise<ProviderHost> {
  const started = await ProviderHost.start({ env: { PATH: process.env.PATH ?? "", ...sandbox.env, ...KILL_ENV, ...through } });
  await started.configure({});
  closers.push(() => started.close());
  return started;
}

async function newSandbox(): Promise<SandboxHandle> {
  const sandbox = await startSandbox({ seed: worldWithForeignKeys() });
  closers.push(() => sandbox.close());
  return sandbox;
}

/** `pulumi up` of every resource in order; resolves at the first failure (the engine stops the update there). */
async function upAll(engine: FakeEngine): Promise<Error | null> {
  for (const r of resources) {
    try {
      await engine.up(r.urn, r.inputs);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }
  return null;
}

beforeAll(async () => {
  await ensureBuilt();
  const config: SourcelinksConfig = await demoConfig();
  const serialized = await serializedProviders();
  resources = [
    ...config.links.map((l) => ({
      urn: makeUrn("pulumi-nodejs:dynamic/sourcelinks:SourceProviderLink", l.name),
      inputs: linkInputs(config, l.name, serialized.link),
    })),
    ...config.orgAccess.map((o) => ({
      urn: makeUrn("pulumi-nodejs:dynamic/sourcelinks:OrgThirdPartyAccess", o.org),
      inputs: orgAccessInputs(config, o.org, serialized.orgAccess),
    })),
  ];
  const sandbox = await newSandbox();
  expect(await upAll(new FakeEngine(await host(sandbox)))).toBeNull();
  afterUp = fingerprint(sandbox.world());
  changes = changesSent(sandbox);
  expect(changes).toBeGreaterThanOrEqual(8);
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});

describe.concurrent("the provider host killed mid-update, then `pulumi up` again", () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: a kill at a random change, then a new host converges, losing nothing`, async ({ expect }) => {
      const sandbox = await newSandbox();
      const foreign = foreignThings(sandbox.world());
      const random = mulberry32(seed);
      const after = 1 + Math.floor(random() * (changes - 2));

      let doomed: ProviderHost | undefined;
      const trap = await killAtChange(sandbox, after, { made: random() < 0.5, kill: () => doomed?.crash() ?? Promise.resolve() });
      closers.push(() => trap.close());
      doomed = await host(sandbox, trap.env);
      const engine = new FakeEngine(doomed);
      const failure = await upAll(engine);
      await trap.settled();
      expect(trap.sprung(), `the host was to be killed at change ${after} of ${changes}`).toBe(true);
      expect(failure).not.toBeNull();
      expect(foreignThings(sandbox.world())).toEqual(foreign);

      // The engine's state survives the host: the next `pulumi up` starts a new host and goes on from it.
      const next = new FakeEngine(await host(sandbox));
      for (const [urn, entry] of engine.state) next.state.set(urn, entry);
      expect(await upAll(next)).toBeNull();
      expect(fingerprint(sandbox.world())).toEqual(afterUp);
      expect(foreignThings(sandbox.world())).toEqual(foreign);
    }, 120_000);
  }
});
