/**
 * The provider lifecycle through the real dynamic-provider host, driven over gRPC as the engine drives
 * it, against a sandbox injecting the fault mix of test/support/fault-harness.ts: `pulumi up` of every declared resource, then
 * `pulumi destroy`, each retried a bounded number of times as a user re-runs a failed update. The
 * world must end exactly as a fault-free lifecycle leaves it, and nothing foreign is ever gone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { BUILD_TIMEOUT_MS, demoConfig, ensureBuilt, linkInputs, orgAccessInputs, serializedProviders } from "../support/provider-dist.js";
import { FakeEngine, makeUrn, ProviderHost, type PropertyMap } from "../support/engine-harness.js";
import { FAULT_ENV, faultMix, fingerprint, foreignThings, worldWithForeignKeys } from "../support/fault-harness.js";

const LINK = "pulumi-nodejs:dynamic/sourcelinks:SourceProviderLink";
const ORG = "pulumi-nodejs:dynamic/sourcelinks:OrgThirdPartyAccess";
/** `pulumi up` / `pulumi destroy` attempts per resource before the test gives up. */
const MAX_ATTEMPTS = 4;
const SEEDS = [9101, 9202];

let config: SourcelinksConfig;
let resources: { urn: string; inputs: PropertyMap }[];

beforeAll(async () => {
  await ensureBuilt();
  config = await demoConfig();
  const serialized = await serializedProviders();
  resources = [
    // onDelete: revoke, so destroy exercises the revocation path under faults (the default only releases).
    ...config.links.map((l) => ({
      urn: makeUrn(LINK, l.name),
      inputs: linkInputs(config, l.name, serialized.link, { onDelete: "revoke" }),
    })),
    ...config.orgAccess.map((o) => ({ urn: makeUrn(ORG, o.org), inputs: orgAccessInputs(config, o.org, serialized.orgAccess) })),
  ];
}, BUILD_TIMEOUT_MS);

/** A sandbox and a provider host pointed at it, configured as `pulumi up` configures it. */
async function world(): Promise<{ sandbox: SandboxHandle; engine: FakeEngine; close(): Promise<void> }> {
  const sandbox = await startSandbox({ seed: worldWithForeignKeys() });
  const host = await ProviderHost.start({ env: { PATH: process.env.PATH ?? "", ...sandbox.env, ...FAULT_ENV } });
  await host.configure({});
  return {
    sandbox,
    engine: new FakeEngine(host),
    close: async () => {
      await host.close();
      await sandbox.close();
    },
  };
}

/** Runs `operation` until it succeeds, at most MAX_ATTEMPTS times; after every attempt the foreign things must all be there. */
async function withRetries(label: string, operation: () => Promise<unknown>, sandbox: SandboxHandle, foreign: string[]): Promise<number> {
  const errors: string[] = [];
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    try {
      await operation();
      return attempt;
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
    } finally {
      expect(foreignThings(sandbox.world()), `${label}, attempt ${attempt}`).toEqual(foreign);
    }
  }
  throw new Error(`${label} did not converge in ${MAX_ATTEMPTS} attempts:\n${errors.join("\n---\n")}`);
}

let afterUp: unknown;
let afterDestroy: unknown;
const open: { close(): Promise<void> }[] = [];

/** The worlds a fault-free `up`, then `destroy`, leave: what every faulty run must reach. */
beforeAll(async () => {
  const w = await world();
  open.push(w);
  for (const r of resources) await w.engine.up(r.urn, r.inputs);
  afterUp = fingerprint(w.sandbox.world());
  for (const r of [...resources].reverse()) await w.engine.destroy(r.urn);
  afterDestroy = fingerprint(w.sandbox.world());
  expect(afterDestroy).not.toEqual(afterUp);
}, 120_000);

afterAll(async () => {
  await Promise.all(open.map((w) => w.close()));
});

describe.concurrent("the provider lifecycle under injected faults", () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: up and destroy converge within ${MAX_ATTEMPTS} attempts each, to the fault-free worlds`, async ({ expect }) => {
      const w = await world();
      open.push(w);
      const foreign = foreignThings(w.sandbox.world());
      w.sandbox.injectFault(faultMix(seed));
      for (const r of resources) await withRetries(`up ${r.urn}`, () => w.engine.up(r.urn, r.inputs), w.sandbox, foreign);
      expect(w.sandbox.counters().rejections.injected).toBeGreaterThan(0);

      w.sandbox.clearFaults();
      expect(fingerprint(w.sandbox.world())).toEqual(afterUp);
      // A refresh reads what the outputs claim: every link at its declared state, nothing pending.
      for (const r of resources.filter((x) => x.urn.includes("SourceProviderLink"))) {
        const { outputs } = await w.engine.refresh(r.urn);
        expect(outputs["liveState"], r.urn).toBe(r.inputs["state"]);
        expect(outputs["pendingManualSteps"], r.urn).toEqual([]);
      }

      w.sandbox.injectFault(faultMix(seed + 1));
      for (const r of [...resources].reverse()) await withRetries(`destroy ${r.urn}`, () => w.engine.destroy(r.urn), w.sandbox, foreign);
      w.sandbox.clearFaults();
      expect(fingerprint(w.sandbox.world())).toEqual(afterDestroy);
    }, 240_000);
  }
});
