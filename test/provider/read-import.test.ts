/**
 * Read without an id (what an import of a dynamic resource would send) fails with a message that
 * says what to do instead, through the real dynamic-provider host.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { BUILD_TIMEOUT_MS, demoConfig, ensureBuilt, linkInputs, orgAccessInputs, serializedProviders } from "./dist.js";
import { makeUrn, ProviderHost } from "./engine-harness.js";

let host: ProviderHost;

beforeAll(async () => {
  await ensureBuilt();
  host = await ProviderHost.start({ env: { PATH: process.env.PATH ?? "" } });
  await host.configure({});
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await host.close();
});

it("a link read without an id explains that dynamic resources cannot be imported and create adopts", async () => {
  const inputs = linkInputs(await demoConfig(), "acme-builds", (await serializedProviders()).link);
  await expect(
    host.read("", makeUrn("pulumi-nodejs:dynamic/sourcelinks:SourceProviderLink", "acme-builds"), inputs, inputs),
  ).rejects.toThrow(
    "SourceProviderLink read: no id. Dynamic resources cannot be imported (pulumi import, or the import resource option); declare the link and run pulumi up: create adopts the live link.",
  );
});

it("an org access read without an id says the same", async () => {
  const inputs = orgAccessInputs(await demoConfig(), "acme", (await serializedProviders()).orgAccess);
  await expect(
    host.read("", makeUrn("pulumi-nodejs:dynamic/sourcelinks:OrgThirdPartyAccess", "acme-github"), inputs, inputs),
  ).rejects.toThrow("OrgThirdPartyAccess read: no id. Dynamic resources cannot be imported; declare the org access and run pulumi up.");
});
