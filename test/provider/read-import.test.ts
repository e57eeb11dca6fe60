/**
 * Read without an id (what an import of a dynamic resource would send) fails with a message that
 * says what to do instead, through the real dynamic-provider host.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  BUILD_TIMEOUT_MS,
  demoConfig,
  ensureBuilt,
  linkInputs,
  orgAccessInputs,
  providerPackage,
  serializedProviders,
} from "../support/provider-dist.js";
import { makeUrn, ProviderHost } from "../support/engine-harness.js";

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

it("the import option on a link is refused when the program declares it, with what to do instead", async () => {
  const config = await demoConfig();
  const link = config.links.find((l) => l.name === "legacy-builds");
  if (link === undefined) throw new Error("no legacy-builds in the demo config");
  const { SourceProviderLink } = providerPackage();
  // Pulumi's dynamic-provider host cannot answer the Read(id) an import sends (no properties, so no
  // serialized provider): the refusal has to come from the resource class, before registration.
  expect(
    () =>
      new SourceProviderLink(
        "legacy-builds",
        { ...link, buildService: config.buildService, providers: config.providers },
        { import: "acme/github/legacy-builder" },
      ),
  ).toThrow(
    'SourceProviderLink "legacy-builds": dynamic resources cannot be imported (import: "acme/github/legacy-builder"); declare the link without the import option (sourcelinks export writes the YAML for the live world) and run pulumi up: create adopts the existing link.',
  );
});
