/**
 * Every provider operation is idempotent, so a revoke that fails half-way converges when run again.
 * For each mutating step of a revoke, through the dynamic-provider host: the sandbox fails exactly
 * that request once (`POST /_sandbox/faults`, `count: 1`); the operation stops with an error that
 * says what was done and what remains; a re-run finishes; the final world equals that of a revoke
 * without faults, and the foreign webhooks are still there.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import { createOperationContext, observeLink, planLink } from "../../engine/reconcile/operations.js";
import type { PlanStep } from "../../engine/reconcile/steps/plan-step.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import type { World } from "../../sandbox/world.js";
import { BUILD_TIMEOUT_MS, demoConfig, ensureBuilt, linkInputs, serializedProviders } from "../support/provider-dist.js";
import { FakeEngine, makeUrn, ProviderHost } from "../support/engine-harness.js";
import { fingerprint } from "../support/fault-harness.js";
import { expectNoSecretIn } from "../support/no-secret.js";

const LINK_TYPE = "pulumi-nodejs:dynamic/sourcelinks:SourceProviderLink";
const FOREIGN_HOOK = "https://ci.acme.example/hooks/github";

let sandbox: SandboxHandle;
let host: ProviderHost;
let config: SourcelinksConfig;
let serializedLink: string;

function foreignHookCount(world: World): number {
  return world.github.repos.flatMap((r) => r.hooks).filter((h) => h.config.url === FOREIGN_HOOK).length;
}

/**
 * Fails the next request of this step once. 400: a status no client retries (5xx are retried within
 * the run) and none reads as "already done" (404 on delete, 422 on a grant whose token is invalid).
 */
async function failOnce(step: Exclude<PlanStep, { kind: "manual" }>): Promise<void> {
  const res = await fetch(`${sandbox.baseUrl}/_sandbox/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      errorRate: 1,
      errorStatus: 400,
      count: 1,
      match: { method: step.request.method, pathPrefix: new URL(step.request.url).pathname },
    }),
  });
  expect(res.ok).toBe(true);
}

/** The mutating steps of revoking `link` now, as the operations API plans them against the sandbox. */
async function revokeSteps(link: string): Promise<Exclude<PlanStep, { kind: "manual" }>[]> {
  const declared = config.links.find((l) => l.name === link);
  if (declared === undefined) throw new Error(`no link ${link} in the demo config`);
  const spec = { ...declared, state: "revoked" as const };
  const ctx = createOperationContext(config, sandbox.env);
  return planLink(spec, await observeLink(ctx, spec), ctx).steps.filter(
    (s): s is Exclude<PlanStep, { kind: "manual" }> => s.kind !== "manual",
  );
}

/** A revoke scenario: how to get to the point before it, and the revoke itself through the engine. */
interface Scenario {
  label: string;
  link: string;
  /** Runs before the revoke (e.g. the create that the revoke then undoes). */
  prepare(engine: FakeEngine, urn: string): Promise<void>;
  revoke(engine: FakeEngine, urn: string): Promise<void>;
}

const scenarios: Scenario[] = [
  {
    label: "finishing legacy-builds' revoke (create with state revoked)",
    link: "legacy-builds",
    prepare: async () => undefined,
    revoke: async (engine, urn) => {
      await engine.up(urn, linkInputs(config, "legacy-builds", serializedLink));
    },
  },
  {
    label: "destroying the relinked team link acme-builds (onDelete: revoke)",
    link: "acme-builds",
    prepare: async (engine, urn) => {
      await engine.up(urn, linkInputs(config, "acme-builds", serializedLink, { onDelete: "revoke" }));
    },
    revoke: (engine, urn) => engine.destroy(urn),
  },
];

beforeAll(async () => {
  await ensureBuilt();
  config = await demoConfig();
  serializedLink = (await serializedProviders()).link;
  sandbox = await startSandbox();
  host = await ProviderHost.start({ env: { PATH: process.env.PATH ?? "", ...sandbox.env } });
  await host.configure({});
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await host.close();
  await sandbox.close();
});

describe.each(scenarios)("a failure at each step of $label", (scenario) => {
  const urn = makeUrn(LINK_TYPE, scenario.link);
  let baseline: unknown;
  let steps: Exclude<PlanStep, { kind: "manual" }>[];

  beforeAll(async () => {
    await sandbox.reset();
    sandbox.clearFaults();
    const engine = new FakeEngine(host);
    await scenario.prepare(engine, urn);
    steps = await revokeSteps(scenario.link);
    await scenario.revoke(engine, urn);
    baseline = fingerprint(sandbox.world());
  });

  it("plans several mutating steps (the scenario is worth running)", () => {
    expect(steps.length).toBeGreaterThanOrEqual(4);
  });

  it("stops with what was done and what remains, never naming a trigger URL, then converges on a re-run", async () => {
    for (const index of steps.keys()) {
      await sandbox.reset();
      sandbox.clearFaults();
      const engine = new FakeEngine(host);
      await scenario.prepare(engine, urn);
      // Re-planned in this world: a link made by `prepare` has a new id, so its requests' URLs differ.
      const step = (await revokeSteps(scenario.link))[index];
      if (step === undefined) throw new Error(`the revoke of ${scenario.link} planned fewer steps this time`);
      const foreign = foreignHookCount(sandbox.world());
      await failOnce(step);

      const failed = scenario.revoke(engine, urn);
      await expect(failed, `step ${index} (${step.kind})`).rejects.toThrow(
        /stopped: .* failed: .*\nDone: [\s\S]*\nRemaining \(not attempted\): [\s\S]*run the same command again/,
      );
      await failed.catch((error: Error) => {
        expect(error.message).toContain(step.request.url);
        // A webhook is named by id: its target, a trigger URL, would let anyone who reads the log start builds.
        expect(error.message).not.toMatch(/\/vcs\/[^/]+\/trigger\//);
        const secrets = Object.values(sandbox.env).filter((value) => value.length >= 6 && !value.startsWith("http"));
        expectNoSecretIn(error.message, secrets, "the error");
      });
      expect(foreignHookCount(sandbox.world())).toBe(foreign);

      await scenario.revoke(engine, urn);
      expect(fingerprint(sandbox.world()), `after a failure at step ${index} (${step.kind}) and a re-run`).toEqual(baseline);
      expect(foreignHookCount(sandbox.world())).toBe(foreign);
    }
    // One full revoke and re-run per step: past the 30 s default on a loaded machine, and a timed-out
    // loop keeps running into the next scenario's baseline.
  }, 120_000);
});
