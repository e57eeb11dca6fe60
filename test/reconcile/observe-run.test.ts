/**
 * A whole config's observation over loopback against the demo world: every resource is observed even
 * when one fails, each failure keeps its resource's pointer, and the live link ids come from the
 * records the links' observation listed.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { loadConfigFiles } from "../../engine/config/load.js";
import type { LoadedConfig } from "../../engine/config/loaded-config.js";
import { createOperationContext } from "../../engine/reconcile/operations.js";
import { observeRun } from "../../engine/reconcile/run/observe-run.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { EXAMPLE } from "../support/demo-config.js";

let sandbox: SandboxHandle;
let loaded: LoadedConfig;

beforeAll(async () => {
  loaded = await loadConfigFiles([EXAMPLE]);
  sandbox = await startSandbox({});
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  sandbox.clearFaults();
  await sandbox.reset();
});

it("observes every declared resource and counts the live records of the declared namespaces", async () => {
  const seen: string[] = [];
  const run = await observeRun(loaded, createOperationContext(loaded.config, { ...sandbox.env }), {
    onObserved: (done, total, what) => seen.push(`${done}/${total} ${what}`),
  });
  if (!run.ok) throw new Error(`observation failed: ${run.failures.map((f) => f.resource).join(", ")}`);
  const { links, orgs, sweeps } = run.observation;
  expect(links.map((l) => l.pointer)).toEqual(loaded.config.links.map((_, i) => `/links/${i}`));
  expect(orgs).toHaveLength(loaded.config.orgAccess.length);
  expect(sweeps).toHaveLength(loaded.config.sweeps?.length ?? 0);
  const total = links.length + orgs.length + sweeps.length;
  expect(seen).toHaveLength(total);
  expect(seen.at(-1)).toMatch(new RegExp(`^${total}/${total} `));

  const namespaces = new Set(loaded.config.links.map((l) => l.namespace));
  const live = sandbox
    .world()
    .buildService.links.filter((l) => namespaces.has(l.namespace) && l.state !== "unlinked")
    .map((l) => l.id);
  expect(live.length).toBeGreaterThan(0);
  expect([...run.observation.liveLinkIds].sort()).toEqual(live.sort());
});

it("a resource that cannot be observed is returned as a failure under its pointer; the others are still observed", async () => {
  const failing = loaded.config.links.findIndex((l) => l.repositories.includes("acme/legacy-api"));
  expect(failing).toBeGreaterThanOrEqual(0);
  sandbox.injectFault({ errorRate: 1, errorStatus: 422, match: { method: "GET", pathPrefix: "/github/repos/acme/legacy-api/hooks" } });
  const observed: string[] = [];
  const run = await observeRun(loaded, createOperationContext(loaded.config, { ...sandbox.env }), {
    onObserved: (_done, _total, what) => observed.push(what),
  });
  expect(run.ok).toBe(false);
  if (run.ok) return;
  expect(run.failures.map((f) => [f.pointer, f.resource])).toContainEqual([
    `/links/${failing}`,
    `link ${loaded.config.links[failing]!.name}`,
  ]);
  expect(run.failures.every((f) => f.error instanceof Error)).toBe(true);
  // Every org access entry was observed all the same: one failure does not stop the others.
  for (const org of loaded.config.orgAccess) expect(observed).toContain(`org ${org.org}`);
});
