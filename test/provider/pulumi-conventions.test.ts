/**
 * The provider keeps Pulumi's conventions, through the real dynamic-provider host against the
 * sandbox's demo world: capability-bearing outputs come back as secrets, drift is named in the
 * outputs and in the refreshed inputs a preview diffs, and a release says what it left in place.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { BUILD_TIMEOUT_MS, demoConfig, ensureBuilt, linkInputs, orgAccessInputs, serializedProviders } from "../support/provider-dist.js";
import { FakeEngine, isWireSecret, makeUrn, type PropertyMap, ProviderHost, revealSecrets } from "../support/engine-harness.js";

const LINK_TYPE = "pulumi-nodejs:dynamic/sourcelinks:SourceProviderLink";
const ORG_TYPE = "pulumi-nodejs:dynamic/sourcelinks:OrgThirdPartyAccess";
const TRIGGER = /\/vcs\/[^/]+\/trigger\/call\//;

let sandbox: SandboxHandle;
let config: SourcelinksConfig;
let serializedLink: string;
let serializedOrgAccess: string;
let host: ProviderHost;

/** Every string of `value` outside a secret. */
function plainStrings(value: unknown): string[] {
  if (isWireSecret(value)) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(plainStrings);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(plainStrings);
  return [];
}

beforeAll(async () => {
  await ensureBuilt();
  config = await demoConfig();
  ({ link: serializedLink, orgAccess: serializedOrgAccess } = await serializedProviders());
  sandbox = await startSandbox();
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "", ...sandbox.env };
  host = await ProviderHost.start({ env });
  await host.configure({});
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await host?.close();
  await sandbox?.close();
});

// Steps of one lifecycle, each on the state the one before left: run in order even when shuffled.
describe("SourceProviderLink acme-builds through the host", { shuffle: false }, () => {
  const urn = makeUrn(LINK_TYPE, "acme-builds");
  const inputs = (change: PropertyMap = {}): PropertyMap => linkInputs(config, "acme-builds", serializedLink, change);
  let engine: FakeEngine;

  beforeAll(async () => {
    await sandbox.reset();
    engine = new FakeEngine(host);
  });

  it("returns the build service's trigger URLs as secrets, in the flattened webhooks and in the observation", async () => {
    const { entry } = await engine.up(urn, inputs());
    const webhooks = entry.outputs.webhooks as { url: unknown }[];
    const triggers = webhooks.filter((w) => isWireSecret(w.url) && TRIGGER.test(String(w.url.value)));
    expect(triggers.length).toBeGreaterThan(0);
    // Revealed, the outputs do carry trigger URLs; outside secrets, not one.
    expect(JSON.stringify(revealSecrets(entry.outputs))).toMatch(TRIGGER);
    expect(plainStrings(entry.outputs).filter((s) => TRIGGER.test(s))).toEqual([]);
  });

  it("a refresh of a drifted link names what differs in drift, in the outputs and the inputs a preview diffs; up repairs it and clears it", async () => {
    const live = sandbox.world().buildService.links.find((l) => l.namespace === "acme" && l.team === "ci" && l.state === "enabled");
    if (live === undefined) throw new Error("the team link is not live");
    live.state = "disabled"; // someone clicked the plug icon in the UI
    const refreshed = await engine.refresh(urn);
    const facts = [`link ${live.id} in acme is not linked`];
    expect(refreshed.outputs.drift).toEqual(facts);
    // The engine's preview shows old inputs against the program's: `- drift: [...]`.
    expect(refreshed.inputs.drift).toEqual(facts);
    const checked = await host.check(urn, refreshed.inputs, inputs());
    expect(checked.inputs.drift).toBeUndefined();
    const up = await engine.up(urn, inputs());
    expect(up.diff?.changes).toBe("some");
    expect(up.op).toBe("update");
    expect(up.entry.outputs.drift).toEqual([]);
    expect((await engine.refresh(urn)).inputs.drift).toBeUndefined();
  });

  it("destroy releases the link and says so: it stays linked and is no longer managed", async () => {
    const id = engine.state.get(urn)?.id;
    await engine.destroy(urn);
    // The line travels on the host's stdout, which may be read after the RPC's answer on another socket.
    await expect(
      host.stdoutContaining(
        `SourceProviderLink "acme-builds" released: ${id} stays linked on the build service and is no longer managed (onDelete: release;`,
      ),
    ).resolves.toBe(true);
    expect(sandbox.world().buildService.links.some((l) => l.namespace === "acme" && l.team === "ci" && l.state === "enabled")).toBe(true);
  });
});

describe("OrgThirdPartyAccess contractor-co through the host", () => {
  it("a refresh of an org whose access was changed by hand names it in drift; up sets it back and clears it", async () => {
    await sandbox.reset();
    const engine = new FakeEngine(host);
    const urn = makeUrn(ORG_TYPE, "contractor-co-github");
    const inputs = orgAccessInputs(config, "contractor-co", serializedOrgAccess);
    await engine.up(urn, inputs);
    const org = sandbox.world().github.orgs.find((o) => o.login === "contractor-co");
    if (org === undefined) throw new Error("no contractor-co org");
    const [clientId] = Object.keys(org.oauthAppAccess);
    if (clientId === undefined) throw new Error("no OAuth app access on contractor-co");
    org.oauthAppAccess[clientId] = "granted"; // an org owner approved the app by hand
    const refreshed = await engine.refresh(urn);
    expect(refreshed.outputs.drift).toEqual(["contractor-co's third-party access is not denied"]);
    expect(refreshed.inputs.drift).toEqual(["contractor-co's third-party access is not denied"]);
    const up = await engine.up(urn, inputs);
    expect(up.op).toBe("update");
    expect(up.entry.outputs.drift).toEqual([]);
    expect(org.oauthAppAccess[clientId]).toBe("denied");
  });
});
