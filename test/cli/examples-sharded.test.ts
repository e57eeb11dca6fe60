/**
 * The sharding examples are fixtures: examples/sharded splits the basic example's GitHub
 * part by owner (common.yaml plus one file per org), the CI matrix and the Pulumi stacks name exactly
 * those orgs, and each org's run, started in parallel against the sandbox, goes through its own
 * GitHub App installation only.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfigFiles } from "../../engine/config/index.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { loadSeedFile } from "../../sandbox/seed.js";
import { demoSeedPath } from "../../sandbox/server.js";
import { appKeyPair } from "../support/github-app-harness.js";
import { EXAMPLE, ROOT, ensureBuilt, runCli } from "../support/cli-harness.js";

const SHARDED = join(ROOT, "examples/sharded");
const COMMON = join(SHARDED, "common.yaml");
const ORGS = readdirSync(join(SHARDED, "orgs"))
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => f.replace(/\.yaml$/, ""))
  .sort();
const orgFile = (org: string): string => join(SHARDED, "orgs", `${org}.yaml`);

describe("examples/sharded", () => {
  it("each org's file, with common.yaml, is a valid configuration that names only that owner", async () => {
    expect(ORGS).toEqual(["acme", "contractor-co"]);
    for (const org of ORGS) {
      const { config } = await loadConfigFiles([COMMON, orgFile(org)]);
      expect(config.providers.github?.auth).toEqual({
        appId: 424242,
        privateKeyEnv: "SOURCELINKS_GITHUB_APP_KEY",
        installations: { acme: 7001, "contractor-co": 7002 },
      });
      for (const link of config.links)
        expect(
          link.repositories.every((r) => r.startsWith(`${org}/`)),
          link.name,
        ).toBe(true);
      for (const entry of config.orgAccess) expect(entry.org).toBe(org);
    }
  });

  it("together, the org files declare the basic example's GitHub links and org access, each once", async () => {
    const basic = (await loadConfigFiles([EXAMPLE])).config;
    const shards = await Promise.all(ORGS.map(async (org) => (await loadConfigFiles([COMMON, orgFile(org)])).config));
    const names = (links: readonly { name: string; repositories: string[] }[]): string[] =>
      links.map((l) => `${l.name}: ${l.repositories.join(",")}`).sort();
    expect(names(shards.flatMap((c) => c.links))).toEqual(names(basic.links.filter((l) => l.provider === "github")));
    expect(
      shards
        .flatMap((c) => c.orgAccess)
        .map((e) => `${e.org}=${e.access}`)
        .sort(),
    ).toEqual(basic.orgAccess.map((e) => `${e.org}=${e.access}`).sort());
  });

  it("the CI matrix and the Pulumi stacks name exactly the org files", () => {
    const workflow = parse(readFileSync(join(ROOT, "examples/ci/sourcelinks-sharded.yml"), "utf8")) as {
      jobs: { org: { strategy: { matrix: { org: string[] } }; steps: { run?: string }[] }; report: { steps: { run?: string }[] } };
    };
    expect([...workflow.jobs.org.strategy.matrix.org].sort()).toEqual(ORGS);
    const runs = workflow.jobs.org.steps.map((s) => s.run ?? "").join("\n");
    expect(runs).toContain('sourcelinks check sourcelinks/common.yaml "sourcelinks/orgs/${{ matrix.org }}.yaml" --live');
    expect(workflow.jobs.report.steps.map((s) => s.run ?? "").join("\n")).toContain("sourcelinks report --merge report-*.json");
    const project = parse(readFileSync(join(ROOT, "examples/pulumi-sharded/Pulumi.yaml"), "utf8")) as { name: string };
    const stacks = readdirSync(join(ROOT, "examples/pulumi-sharded")).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
    expect(stacks.map((f) => f.slice("Pulumi.".length, -".yaml".length)).sort()).toEqual(ORGS);
    for (const file of stacks) {
      const stack = parse(readFileSync(join(ROOT, "examples/pulumi-sharded", file), "utf8")) as { config: Record<string, string> };
      expect(stack.config).toEqual({ [`${project.name}:org`]: file.slice("Pulumi.".length, -".yaml".length) });
    }
  });
});

describe("the orgs' runs in parallel against the sandbox", () => {
  let sandbox: SandboxHandle;
  let privateKey: string;

  beforeAll(async () => {
    await ensureBuilt();
    const keys = appKeyPair();
    privateKey = keys.privateKey;
    const world = loadSeedFile(demoSeedPath());
    world.github.apps = [
      {
        id: 424242,
        slug: "sourcelinks",
        publicKey: keys.publicKey,
        installations: ["acme", "contractor-co"].map((owner, i) => ({
          id: 7001 + i,
          owner,
          permissions: { metadata: "read", repository_hooks: "write", administration: "write", organization_hooks: "write" },
        })),
      },
    ];
    sandbox = await startSandbox({ seed: world });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it("plan each org through its own installation: no person's token, one budget per org", async () => {
    const { GITHUB_TOKEN: _pat, ...env } = sandbox.env;
    const runs = await Promise.all(
      ORGS.map((org) =>
        runCli(["plan", COMMON, orgFile(org), "--format", "json"], {
          ...env,
          SOURCELINKS_GITHUB_APP_KEY: privateKey,
          HOME: join(ROOT, "node_modules/.cache/sharded-test-home"),
        }),
      ),
    );
    runs.forEach((run, i) => expect(run.code, `${ORGS[i]}: ${run.stderr}`).toBe(0));
    const names = runs.map(
      (run) => (JSON.parse(run.stdout) as { resources: { name: string; steps: { request: { url: string } }[] }[] }).resources,
    );
    expect(names[0]!.map((r) => r.name).sort()).toEqual(["acme-builds", "github/acme", "legacy-builds"]);
    expect(names[1]!.map((r) => r.name)).toEqual(["github/contractor-co"]);
    // The revoked link's leftovers were observed through acme's installation: their deletions are planned.
    expect(names[0]!.find((r) => r.name === "legacy-builds")!.steps.map((s) => s.request.url)).toEqual(
      expect.arrayContaining([expect.stringMatching(/\/repos\/acme\/legacy-api\/hooks\/\d+$/)]),
    );
    const charged = Object.keys(sandbox.counters().primaryPointsByToken).filter((label) => label.startsWith("pat:"));
    expect(charged).toEqual([]);
    expect(sandbox.counters().primaryPointsByToken["installation:acme#7001"]).toBeGreaterThan(0);
    for (const run of runs) expect(run.stdout + run.stderr).not.toContain(privateKey.split("\n")[1]!);
  });
});
