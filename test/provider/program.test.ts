/**
 * The root Pulumi program (dist/pulumi-program.js) under `pulumi.runtime.setMocks`: for the demo config it
 * registers one resource per link and per org access entry, with the type tokens, names and
 * inputs the policy pack reads, the serialized provider in `__provider`, and no credential.
 */
import { randomBytes } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import type * as LinkProvider from "../../provider/link-provider.js";
import type * as OrgAccessProvider from "../../provider/org-access-provider.js";
import type * as SweepProvider from "../../provider/sweep-provider.js";
import type * as BuildProvider from "../../provider/build-provider.js";
import {
  BUILD_TIMEOUT_MS,
  ensureBuilt,
  packageVersion,
  requireDist,
  runProgramWithMocks,
  serializeProvider,
  type RegisteredResource,
} from "../support/provider-dist.js";
import { teamSpec } from "../support/link-spec.js";
import { expectNoSecretIn } from "../support/no-secret.js";

const LINK_TYPE = "pulumi-nodejs:dynamic/sourcelinks:SourceProviderLink";
const ORG_TYPE = "pulumi-nodejs:dynamic/sourcelinks:OrgThirdPartyAccess";
const SWEEP_TYPE = "pulumi-nodejs:dynamic/sourcelinks:OrphanSweep";
const BUILD_TYPE = "pulumi-nodejs:dynamic/sourcelinks:ReplacementBuild";
const CREDENTIAL_VARS = ["SOURCELINKS_BUILD_TOKEN", "GITHUB_TOKEN", "BITBUCKET_API_TOKEN", "SOURCELINKS_GITHUB_CLIENT_SECRET"];
const fakes = CREDENTIAL_VARS.map((_name) => `fake-${randomBytes(8).toString("hex")}`);

const registered: RegisteredResource[] = [];
let outputs: Record<string, unknown>;

function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

beforeAll(async () => {
  CREDENTIAL_VARS.forEach((name, i) => (process.env[name] = fakes[i]));
  await ensureBuilt();
  outputs = await runProgramWithMocks(registered);
  // Registration is asynchronous: wait until every declared resource reached the mocks.
  const links = outputs.links as Record<string, { liveState: pulumi.Output<string> }>;
  const orgs = outputs.orgAccess as Record<string, { observedVia: pulumi.Output<string> }>;
  const builds = outputs.builds as Record<string, { state: pulumi.Output<string> }>;
  await Promise.all([
    ...Object.values(links).map((l) => promiseOf(l.liveState)),
    ...Object.values(orgs).map((o) => promiseOf(o.observedVia)),
    ...Object.values(builds).map((b) => promiseOf(b.state)),
  ]);
}, BUILD_TIMEOUT_MS);

describe("the root program on examples/basic/sourcelinks.yaml", () => {
  it("reads the default config file when sourcelinks:configFiles is not set", () => {
    expect(outputs.configFiles).toEqual(["examples/basic/sourcelinks.yaml", "examples/basic/builds.yaml"]);
  });

  it("exports only a default function, as Pulumi requires of an entry module with a default export", () => {
    // require(esm) adds `__esModule` to a namespace with a default export; Pulumi's import() does not see it.
    const names = Object.keys(requireDist<Record<string, unknown>>("pulumi-program.js")).filter((n) => n !== "__esModule");
    expect(names).toEqual(["default"]);
  });

  it("registers one SourceProviderLink per link, one OrgThirdPartyAccess per org entry, one OrphanSweep per sweep and one ReplacementBuild per build, by name, under one Links component", () => {
    expect(registered.map((r) => `${r.type}::${r.name}`).sort()).toEqual(
      [
        `${LINK_TYPE}::acme-builds`,
        `${LINK_TYPE}::legacy-builds`,
        `${LINK_TYPE}::mobile-builds`,
        `${ORG_TYPE}::acme-github`,
        `${ORG_TYPE}::contractor-co-github`,
        `${SWEEP_TYPE}::sweep-github-acme`,
        `${BUILD_TYPE}::acme/legacy-api`,
        `${BUILD_TYPE}::acme/legacy-web`,
        `${BUILD_TYPE}::acme/mobile`,
        "sourcelinks:index:Links::sourcelinks",
      ].sort(),
    );
  });

  it("gives a link the declared properties, the world settings by env var name, and the package version", () => {
    const inputs = registered.find((r) => r.name === "acme-builds")?.inputs ?? {};
    expect(inputs).toMatchObject({
      ...teamSpec(),
      onDelete: "release",
      buildService: {
        kind: "reference",
        tokenEnv: "SOURCELINKS_BUILD_TOKEN",
        webhookUrlPatterns: ["https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/", "https://registry.hub.docker.com/hooks/*"],
        deployKeyTitlePatterns: ["Docker Hub Builder*"],
        oauthApps: {
          github: { clientId: "Iv1.5a9d0c3e7b214f68", name: "Docker Hub Builder", clientSecretEnv: "SOURCELINKS_GITHUB_CLIENT_SECRET" },
          bitbucket: { clientId: "SbxKey7Q2w", name: "Docker Hub Builder" },
        },
      },
      providers: {
        github: { tokenEnv: "GITHUB_TOKEN" },
        bitbucket: { usernameEnv: "BITBUCKET_EMAIL", tokenEnv: "BITBUCKET_API_TOKEN" },
      },
      providerVersion: packageVersion(),
    });
    expect(Object.keys(inputs).sort()).toEqual(
      [
        "__provider",
        "account",
        "buildService",
        "name",
        "namespace",
        "onDelete",
        "onRevoke",
        "provider",
        "providerVersion",
        "providers",
        "repositories",
        "serviceAccount",
        "state",
        "team",
      ].sort(),
    );
  });

  it("leaves team out of a personal link's inputs", () => {
    const inputs = registered.find((r) => r.name === "legacy-builds")?.inputs ?? {};
    expect(inputs).toMatchObject({ account: "legacy-builder", state: "revoked" });
    expect("team" in inputs).toBe(false);
  });

  it("gives an org access entry the declared access and the GitHub links it may act through", () => {
    const inputs = registered.find((r) => r.name === "contractor-co-github")?.inputs ?? {};
    expect(inputs).toMatchObject({
      org: "contractor-co",
      provider: "github",
      app: "github",
      access: "denied",
      providerVersion: packageVersion(),
    });
    expect((inputs.links as { name: string }[]).map((l) => l.name)).toEqual(["acme-builds", "legacy-builds"]);
  });

  it("carries the serialized provider of each type in __provider, as dynamic.Resource does", async () => {
    const { linkProvider } = requireDist<typeof LinkProvider>("provider/link-provider.js");
    const { orgAccessProvider } = requireDist<typeof OrgAccessProvider>("provider/org-access-provider.js");
    const { sweepProvider } = requireDist<typeof SweepProvider>("provider/sweep-provider.js");
    const { buildProvider } = requireDist<typeof BuildProvider>("provider/build-provider.js");
    const expected = {
      [BUILD_TYPE]: await serializeProvider(buildProvider),
      [LINK_TYPE]: await serializeProvider(linkProvider),
      [ORG_TYPE]: await serializeProvider(orgAccessProvider),
      [SWEEP_TYPE]: await serializeProvider(sweepProvider),
    };
    for (const r of registered) expect(r.inputs.__provider).toBe(expected[r.type as keyof typeof expected]);
  });

  it("gives a build its declaration, the builds rendered into its file, its world by env var name, and no secret value", () => {
    const inputs = registered.find((r) => r.type === BUILD_TYPE && r.name === "acme/legacy-api")?.inputs ?? {};
    expect(inputs).toMatchObject({
      image: "acme/legacy-api",
      provider: "github",
      repository: "acme/legacy-api",
      link: "legacy-builds",
      secrets: { NPM_TOKEN: "NPM_TOKEN" },
      providers: { github: { tokenEnv: "GITHUB_TOKEN" } },
      providerVersion: packageVersion(),
    });
    expect((inputs.fileBuilds as { image: string }[]).map((b) => b.image)).toEqual(["acme/legacy-api"]);
  });

  it("puts no credential in any input, even with every credential variable set", () => {
    const all = JSON.stringify(registered);
    expectNoSecretIn(all, fakes, "the registered inputs");
  });
});
