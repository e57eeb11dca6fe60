/**
 * `pulumi preview` of a program whose link lists a repository another resource creates: the
 * repository's `fullName` (`@pulumi/github`) is unknown until apply. The program runs under mocks
 * with preview on; the struct it registers, unknown sentinel included, goes to the real
 * dynamic-provider host's Check and Diff, which must accept it.
 */
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Github from "@pulumi/github";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import {
  BUILD_TIMEOUT_MS,
  demoConfig,
  ensureBuilt,
  linkInputs,
  providerPackage,
  type RawRegistration,
  serializedProviders,
  setRecordingMocks,
} from "../support/provider-dist.js";
import { makeUrn, ProviderHost } from "../support/engine-harness.js";

const require = createRequire(import.meta.url);
const LINK_TYPE = "pulumi-nodejs:dynamic/sourcelinks:SourceProviderLink";
const ORG_TYPE = "pulumi-nodejs:dynamic/sourcelinks:OrgThirdPartyAccess";

let host: ProviderHost;
let config: SourcelinksConfig;
let serializedLink: string;
const records: RawRegistration[] = [];

function settled<T>(output: pulumi.Output<T>): Promise<void> {
  return new Promise((resolve) => output.apply(() => resolve()));
}

beforeAll(async () => {
  await ensureBuilt();
  config = await demoConfig();
  serializedLink = (await serializedProviders()).link;
  await setRecordingMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: () => ({}),
    },
    records,
    { preview: true },
  );
  const github = require("@pulumi/github") as typeof Github;
  const { SourceProviderLink, OrgThirdPartyAccess } = providerPackage();
  const repo = new github.Repository("tools", { name: "tools" });
  const world = { buildService: config.buildService, providers: config.providers };
  const link = new SourceProviderLink("acme-builds", {
    ...world,
    namespace: "acme",
    team: "ci",
    provider: "github",
    account: "acme-builder",
    serviceAccount: true,
    repositories: ["acme/api", repo.fullName],
  });
  const org = new OrgThirdPartyAccess("acme-github", {
    ...world,
    org: repo.fullName.apply((n) => n.split("/")[0] ?? ""),
    access: "granted",
  });
  await Promise.all([settled(link.urn), settled(org.urn)]);
  host = await ProviderHost.start({ env: { PATH: process.env.PATH ?? "" } });
  await host.configure({});
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await host.close();
});

function registered(type: string): RawRegistration {
  const found = records.find((r) => r.type === type);
  if (found === undefined) throw new Error(`no ${type} registered`);
  return found;
}

describe("a preview with a repository not yet created", () => {
  it("registers the link with the repository as Pulumi's unknown value", () => {
    expect(registered(LINK_TYPE).object.repositories).toEqual(["acme/api", pulumi.runtime.unknownValue]);
  });

  it("Check accepts the link's unknown repository and still reports what is known to be wrong", async () => {
    const news = registered(LINK_TYPE).object;
    const urn = makeUrn(LINK_TYPE, "acme-builds");
    expect((await host.check(urn, {}, news)).failures).toEqual([]);
    const wrong = await host.check(urn, {}, { ...news, state: "gone" });
    expect(wrong.failures.map((f) => f.property)).toEqual(["state"]);
  });

  it("Check accepts an org access entry whose org is unknown", async () => {
    const news = registered(ORG_TYPE).object;
    expect(news.org).toBe(pulumi.runtime.unknownValue);
    expect((await host.check(makeUrn(ORG_TYPE, "acme-github"), {}, news)).failures).toEqual([]);
  });

  it("Diff against the stored link reports a change (not a replacement) instead of failing", async () => {
    const olds = linkInputs(config, "acme-builds", serializedLink);
    const diff = await host.diff("acme/github/team:ci", makeUrn(LINK_TYPE, "acme-builds"), olds, registered(LINK_TYPE).object, olds);
    expect(diff).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false });
  });
});
