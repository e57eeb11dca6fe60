/**
 * Renaming a link (or giving it a new parent) makes the engine create the new resource, which adopts
 * the live link, and then delete the old one. That delete must release the link, not revoke it; and
 * the YAML's `aliases` reach the engine as Pulumi aliases, so a rename is not even a create + delete.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
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
import { FakeEngine, makeUrn, projectRoot, ProviderHost } from "../support/engine-harness.js";

const LINK_TYPE = "pulumi-nodejs:dynamic/sourcelinks:SourceProviderLink";
const ORG_TYPE = "pulumi-nodejs:dynamic/sourcelinks:OrgThirdPartyAccess";
const BUILD_HOOK = /^https:\/\/(cloud\.docker\.com\/api\/build\/v1\/vcs\/|registry\.hub\.docker\.com\/hooks\/)/;

let sandbox: SandboxHandle;
let host: ProviderHost;
let config: SourcelinksConfig;
let serializedLink: string;

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

function teamLink(): { state: string } | undefined {
  return sandbox.world().buildService.links.find((l) => l.namespace === "acme" && l.team === "ci" && l.account === "acme-builder");
}

function buildHooks(repository: string): string[] {
  const [owner, name] = repository.split("/");
  const repo = sandbox.world().github.repos.find((r) => r.owner === owner && r.name === name);
  return (repo?.hooks ?? []).map((h) => h.config.url).filter((url) => BUILD_HOOK.test(url));
}

describe("renaming acme-builds to acme-ci without aliases", () => {
  it("creates acme-ci (adopting the live link), then deleting acme-builds leaves the link linked with its webhooks", async () => {
    await sandbox.reset();
    const engine = new FakeEngine(host);
    await engine.up(makeUrn(LINK_TYPE, "acme-builds"), linkInputs(config, "acme-builds", serializedLink));
    const renamed = await engine.up(makeUrn(LINK_TYPE, "acme-ci"), linkInputs(config, "acme-builds", serializedLink, { name: "acme-ci" }));
    expect(renamed.op).toBe("create");
    expect(renamed.entry.id).toBe("acme/github/team:ci");
    const hooks = buildHooks("acme/api");
    expect(hooks.length).toBeGreaterThan(0);

    await engine.destroy(makeUrn(LINK_TYPE, "acme-builds"));
    expect(teamLink()?.state).toBe("enabled");
    expect(buildHooks("acme/api")).toEqual(hooks);
    expect((await engine.refresh(makeUrn(LINK_TYPE, "acme-ci"))).outputs).toMatchObject({ liveState: "linked", providerGrant: "active" });
    // The host outlives this test: leave no resource of this deployment behind for the next one.
    await engine.destroy(makeUrn(LINK_TYPE, "acme-ci"));
  });

  it("with onDelete: revoke the same delete revokes, as declared", async () => {
    await sandbox.reset();
    const engine = new FakeEngine(host);
    await engine.up(makeUrn(LINK_TYPE, "acme-builds"), linkInputs(config, "acme-builds", serializedLink, { onDelete: "revoke" }));
    await engine.destroy(makeUrn(LINK_TYPE, "acme-builds"));
    expect(teamLink()?.state).toBe("unlinked");
    expect(buildHooks("acme/api")).toEqual([]);
  });

  it("with onDelete: revoke, deleting the old name after the rename releases the link acme-ci now declares; deleting acme-ci revokes", async () => {
    await sandbox.reset();
    const engine = new FakeEngine(host);
    const inputs = { onDelete: "revoke" as const };
    await engine.up(makeUrn(LINK_TYPE, "acme-builds"), linkInputs(config, "acme-builds", serializedLink, inputs));
    const renamed = await engine.up(
      makeUrn(LINK_TYPE, "acme-ci"),
      linkInputs(config, "acme-builds", serializedLink, { ...inputs, name: "acme-ci" }),
    );
    expect(renamed.op).toBe("create");
    const hooks = buildHooks("acme/api");

    await engine.destroy(makeUrn(LINK_TYPE, "acme-builds"));
    expect(teamLink()?.state).toBe("enabled");
    expect(buildHooks("acme/api")).toEqual(hooks);
    expect((await engine.refresh(makeUrn(LINK_TYPE, "acme-ci"))).outputs).toMatchObject({ liveState: "linked", providerGrant: "active" });

    await engine.destroy(makeUrn(LINK_TYPE, "acme-ci"));
    expect(teamLink()?.state).toBe("unlinked");
    expect(buildHooks("acme/api")).toEqual([]);
  });
});

describe("declareFromConfig with aliases and onDelete in the YAML", () => {
  const records: RawRegistration[] = [];
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sourcelinks-aliases-"));
    const yaml = readFileSync(join(projectRoot, "examples/basic/sourcelinks.yaml"), "utf8").replace(
      /(\n(\s*)- name: acme-builds\n)/,
      "$1$2  aliases: [builds, ci-builds]\n$2  onDelete: revoke\n",
    );
    expect(yaml).toContain("aliases: [builds, ci-builds]");
    writeFileSync(join(dir, "sourcelinks.yaml"), yaml);
    await setRecordingMocks({ newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: () => ({}) }, records, {
      preview: false,
    });
    const declared = await providerPackage().declareFromConfig([join(dir, "sourcelinks.yaml")]);
    await Promise.all(Object.values(declared.links).map((l) => new Promise((resolve) => l.urn.apply(resolve))));
    await Promise.all(Object.values(declared.orgAccess).map((o) => new Promise((resolve) => o.urn.apply(resolve))));
  }, BUILD_TIMEOUT_MS);

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("registers the link's earlier names as Pulumi aliases", () => {
    const link = records.find((r) => r.type === LINK_TYPE && r.name === "acme-builds");
    expect(link?.aliases.map((a) => a.name)).toEqual(["builds", "ci-builds"]);
    expect(records.filter((r) => r.type === LINK_TYPE && r.name !== "acme-builds").every((r) => r.aliases.length === 0)).toBe(true);
  });

  it("passes onDelete as an input, defaulting to release, and keeps aliases out of the inputs", () => {
    const inputs = Object.fromEntries(records.filter((r) => r.type === LINK_TYPE).map((r) => [r.name, r.object]));
    expect(inputs["acme-builds"]?.onDelete).toBe("revoke");
    expect(inputs["legacy-builds"]?.onDelete).toBe("release");
    expect("aliases" in (inputs["acme-builds"] ?? {})).toBe(false);
    const org = records.find((r) => r.type === ORG_TYPE && r.name === "acme-github")?.object;
    expect((org?.links as Record<string, unknown>[]).every((l) => !("aliases" in l) && !("onDelete" in l))).toBe(true);
  });
});
