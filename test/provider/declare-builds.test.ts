/**
 * declareFromConfig under `pulumi.runtime.setMocks`: one ReplacementBuild per `builds:` entry, named
 * by its image, and each link registered after the builds its revocation waits for (declared for it
 * or for one of its repositories), so `pulumi up` proposes and verifies them before a revoke runs;
 * and each OrphanSweep with the verification cadence its YAML entry declares.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BUILD_TIMEOUT_MS, ensureBuilt, providerPackage, type RawRegistration, setRecordingMocks } from "../support/provider-dist.js";
import { makeUrn, projectRoot } from "../support/engine-harness.js";

const BUILD_TYPE = "pulumi-nodejs:dynamic/sourcelinks:ReplacementBuild";
const LINK_TYPE = "pulumi-nodejs:dynamic/sourcelinks:SourceProviderLink";
const SWEEP_TYPE = "pulumi-nodejs:dynamic/sourcelinks:OrphanSweep";

const records: RawRegistration[] = [];

beforeAll(async () => {
  await ensureBuilt();
  await setRecordingMocks({ newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: () => ({}) }, records, {
    preview: false,
  });
  const sweeps = join(mkdtempSync(join(tmpdir(), "sourcelinks-declare-")), "sweeps.yaml");
  writeFileSync(
    sweeps,
    "apiVersion: sourcelinks/v1\nsweeps:\n  - { provider: github, owner: widgets, verifyEvery: 7d, verifySlices: 3 }\n",
  );
  const declared = await providerPackage().declareFromConfig([
    join(projectRoot, "examples/basic/sourcelinks.yaml"),
    join(projectRoot, "examples/basic/builds.yaml"),
    sweeps,
  ]);
  const urns = [...Object.values(declared.links), ...Object.values(declared.builds), ...Object.values(declared.sweeps)].map((r) => r.urn);
  await Promise.all(urns.map((urn) => new Promise((resolve) => urn.apply(resolve))));
}, BUILD_TIMEOUT_MS);

function registration(type: string, name: string): RawRegistration {
  const found = records.find((r) => r.type === type && r.name === name);
  if (found === undefined) throw new Error(`${type} ${name} was not registered`);
  return found;
}

describe("declareFromConfig with builds", () => {
  it("registers one ReplacementBuild per build, named by its image, with the builds of its CI file", () => {
    expect(
      records
        .filter((r) => r.type === BUILD_TYPE)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["acme/legacy-api", "acme/legacy-web", "acme/mobile"]);
    const mobile = registration(BUILD_TYPE, "acme/mobile").object;
    expect(mobile).toMatchObject({ provider: "bitbucket", repository: "acme-team/mobile" });
    expect((mobile.fileBuilds as { image: string }[]).map((b) => b.image)).toEqual(["acme/mobile"]);
  });

  it("makes a link depend on the builds declared for it or its repositories, and no other", () => {
    const legacy = registration(LINK_TYPE, "legacy-builds").dependencies;
    expect(legacy.filter((u) => u.includes("ReplacementBuild")).sort()).toEqual(
      [makeUrn(BUILD_TYPE, "acme/legacy-api"), makeUrn(BUILD_TYPE, "acme/legacy-web")].sort(),
    );
    expect(registration(LINK_TYPE, "acme-builds").dependencies.filter((u) => u.includes("ReplacementBuild"))).toEqual([]);
  });
});

describe("declareFromConfig with sweeps", () => {
  it("passes a sweep's declared verifyEvery and verifySlices to its OrphanSweep, and none where the YAML declares none", () => {
    expect(registration(SWEEP_TYPE, "sweep-github-widgets").object).toMatchObject({ owner: "widgets", verifyEvery: "7d", verifySlices: 3 });
    const acme = registration(SWEEP_TYPE, "sweep-github-acme").object;
    expect(acme.verifyEvery).toBeUndefined();
    expect(acme.verifySlices).toBeUndefined();
  });
});
