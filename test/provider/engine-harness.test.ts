/**
 * Pins the parts of Pulumi's Node.js dynamic-provider host (3.248 and later) the sourcelinks provider relies
 * on, with a trivial echo provider: how it is launched, what Configure hands to `configure`,
 * that an absolute-URL `import()` inside a serialized method works in the host, and how
 * check failures, diffs and errors travel back to the engine.
 */
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeEngine, HostRpcError, makeUrn, ProviderHost, providerKey } from "../support/engine-harness.js";

const require = createRequire(import.meta.url);
const type = "pulumi-nodejs:dynamic/sourcelinks:Echo";

// Steps of one lifecycle, each on the state the one before left: run in order even when shuffled.
describe("the dynamic-provider host, driven like the engine", { shuffle: false }, () => {
  let host: ProviderHost;
  let serialized: string;

  beforeAll(async () => {
    // require(), not import(): vitest rewrites import() in modules it loads, and the rewritten
    // call cannot be serialized; required modules run natively, as in a Pulumi program.
    const fixture = require("./fixtures/echo-provider.mjs") as { echoProvider: object };
    serialized = (await pulumi.runtime.serializeFunction(() => fixture.echoProvider, { allowSecrets: true })).text;
    host = await ProviderHost.start({ env: { PATH: process.env.PATH ?? "" } });
  });

  afterAll(async () => {
    await host.close();
  });

  it("reports the SDK version it runs as its plugin version", async () => {
    const installed = (require("@pulumi/pulumi/package.json") as { version: string }).version;
    await expect(host.getPluginInfo()).resolves.toBe(installed);
  });

  it("does not implement CheckConfig, which the engine tolerates", async () => {
    await expect(host.checkConfig(makeUrn("pulumi:providers:pulumi-nodejs", "default"), {})).rejects.toMatchObject({ code: 12 });
  });

  it("hands stack config to configure() under project-qualified keys, then runs create, read, update, delete", async () => {
    await host.configure({ "sourcelinks:githubToken": "cfg-value-1", "sourcelinks:buildToken": "cfg-value-2" });
    const engine = new FakeEngine(host);
    const urn = makeUrn(type, "one");

    const created = await engine.up(urn, { [providerKey]: serialized, x: "a", y: "keep" });
    expect(created.op).toBe("create");
    expect(created.entry.id).toBe("echo-a");
    // A bare key is qualified with PULUMI_NODEJS_PROJECT, so both spellings reach the same value.
    expect(created.entry.outputs.seen).toEqual({ token: "cfg-value-1", bare: "cfg-value-2" });
    expect(created.entry.outputs.loadedIn).not.toBe(process.pid);
    expect(created.entry.outputs[providerKey]).toBe(serialized);

    expect((await engine.up(urn, { [providerKey]: serialized, x: "a", y: "keep" })).op).toBe("same");
    const updated = await engine.up(urn, { [providerKey]: serialized, x: "b", y: "keep" });
    expect(updated.op).toBe("update");
    expect(updated.entry.outputs.x).toBe("b");
    expect(updated.entry.id).toBe("echo-a");

    const replaced = await engine.up(urn, { [providerKey]: serialized, x: "b", y: "other" });
    expect(replaced.op).toBe("replace");
    expect(replaced.diff?.replaces).toEqual(["y"]);

    const refreshed = await engine.refresh(urn);
    expect(refreshed.outputs.refreshed).toBe(true);
    await engine.destroy(urn);
    expect(engine.state.size).toBe(0);
  });

  it("returns check failures as CheckFailure {property, reason}", async () => {
    const checked = await host.check(makeUrn(type, "bad"), {}, { [providerKey]: serialized, bad: true });
    expect(checked.failures).toEqual([{ property: "bad", reason: "must not be true" }]);
  });

  it("surfaces a provider error's message to the engine", async () => {
    const rejection = host.delete("echo-z", makeUrn(type, "z"), { [providerKey]: serialized, failDelete: true }, {});
    await expect(rejection).rejects.toBeInstanceOf(HostRpcError);
    await expect(rejection).rejects.toThrow("delete refused: the echo resource says no");
  });
});
