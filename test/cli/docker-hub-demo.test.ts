import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DOCKER_HUB_CONFIG, runDockerHubDemo } from "../../tools/demo/docker-hub.js";
import { RecordError, recordManualSteps } from "../../tools/demo/record-manual-steps.js";
import { runReplacementDemo } from "../../tools/demo/replacements.js";
import { type SandboxHandle, startSandbox } from "../../sandbox/index.js";
import { BUILDS_EXAMPLE, EXAMPLE, ROOT, runCli } from "../support/cli-harness.js";
import { expectNoSecretIn } from "../support/no-secret.js";

let sandbox: SandboxHandle;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox();
  env = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" };
});
afterAll(async () => {
  await sandbox.close();
});
// Each part of the demo starts from the demo world afresh, as npm start runs them.
beforeEach(() => sandbox.reset());

/** The ids recorded under each link of a config text. */
function recordedIds(text: string): Record<string, string[]> {
  const doc = parse(text) as { links: { name: string; manualSteps?: { id: string; done: string; by: string }[] }[] };
  return Object.fromEntries(doc.links.map((l) => [l.name, (l.manualSteps ?? []).map((s) => `${s.id} ${s.done} ${s.by}`)]));
}

describe("the demo's Docker Hub part (npm start)", () => {
  it("deletes every autobuild webhook and deploy key through GitHub, records the manual steps by hand, and ends with nothing to do", async () => {
    const log: string[] = [];
    const recordedConfig = join(mkdtempSync(join(tmpdir(), "sourcelinks-docker-hub-demo-")), "sourcelinks.yaml");
    const failures = await runDockerHubDemo({
      run: async (args) => {
        const r = await runCli(args, env);
        return { code: r.code ?? 1, stdout: r.stdout };
      },
      log: (text) => log.push(text),
      config: join(ROOT, DOCKER_HUB_CONFIG),
      recordedConfig,
      done: "2026-11-30",
      by: "jdoe",
    });
    expect(failures, log.join("\n")).toBe(0);

    // What GitHub holds now: only the foreign CI webhooks are left on acme's repositories.
    const acme = sandbox.world().github.repos.filter((r) => r.owner === "acme");
    expect(acme.map((r) => r.name).sort()).toEqual(["api", "legacy-api", "legacy-web", "legacy-worker", "old-site", "web"]);
    expect(acme.flatMap((r) => r.keys)).toEqual([]);
    expect(acme.flatMap((r) => r.hooks.map((h) => h.config.url))).toEqual([
      "https://ci.acme.example/hooks/github",
      "https://ci.acme.example/hooks/github",
      "https://ci.acme.example/hooks/github",
    ]);

    // The manual steps the plan printed, recorded by id on the links they arise on.
    expect(recordedIds(readFileSync(recordedConfig, "utf8"))).toEqual({
      "ci-builds": ["docker-hub-unlink:acme:github:jdoe 2026-11-30 jdoe", "revoke-grant:github:jdoe 2026-11-30 jdoe"],
      "legacy-builds": [
        "docker-hub-unlink:acme:github:legacy-builder 2026-11-30 jdoe",
        "revoke-grant:github:legacy-builder 2026-11-30 jdoe",
      ],
    });

    // The evidence: no artifact observed, every manual step recorded, none open.
    const report = await runCli(["report", recordedConfig, "--format", "json"], env);
    expect(report.code, report.stderr).toBe(0);
    const summary = (
      JSON.parse(report.stdout) as {
        summary: { artifacts: Record<string, number>; manualSteps: { open: number; done: number } };
      }
    ).summary;
    expect(summary.artifacts).toEqual({ "in-use": 0, leftover: 0, orphaned: 0 });
    expect(summary.manualSteps).toEqual({ open: 0, done: 4, observedOtherwise: 0 });
  });
});

describe("the demo's replacement part (npm start)", () => {
  it("proposes every build of the example's file as it is, holds legacy-builds back until each merged file ran and pushed (legacy-web on its release branch), then revokes it", async () => {
    const log: string[] = [];
    const secretValues = { DOCKERHUB_USERNAME: "acme-ci", DOCKERHUB_TOKEN: "demo-hub-secret-value", NPM_TOKEN: "demo-npm-secret-value" };
    const withSecrets = { ...env, ...secretValues };
    const failures = await runReplacementDemo({
      run: async (args) => {
        const r = await runCli(args, withSecrets);
        return { code: r.code ?? 1, stdout: r.stdout };
      },
      log: (text) => log.push(text),
      sandbox,
      root: ROOT,
      links: EXAMPLE,
      builds: BUILDS_EXAMPLE,
      secretValues,
    });
    const text = log.join("\n");
    expect(failures, text).toBe(0);

    // The revocation waited: the first plan held it back with the build it waits for, and where.
    expect(text).toMatch(/link legacy-builds \(.*sourcelinks\.yaml:\d+:\d+\): 7 revoke steps kept back/);
    expect(text).toContain("waits for ");
    // What the world holds now: the pull request merged by the owner, one successful run that pushed latest, the link's artifacts gone.
    const api = sandbox.world().github.repos.find((r) => r.owner === "acme" && r.name === "legacy-api");
    expect(api?.pulls?.map((p) => [p.number, p.merged])).toEqual([[1, true]]);
    const runs = (sandbox.world().github.workflowRuns ?? []).filter((r) => r.repository === "acme/legacy-api");
    expect(runs.map((r) => [r.refName, r.conclusion, r.pushed])).toEqual([["main", "success", ["acme/legacy-api:latest"]]]);
    const web = (sandbox.world().github.workflowRuns ?? []).filter((r) => r.repository === "acme/legacy-web");
    // Its rules read every branch: the proposal branch and main ran too, and pushed nothing.
    expect(web.map((r) => [r.refName, r.conclusion, r.pushed])).toEqual([
      ["sourcelinks/docker-hub-acme-legacy-web", "success", []],
      ["main", "success", []],
      ["release-2026.12", "success", ["acme/legacy-web:release-2026.12"]],
    ]);
    const legacy = sandbox.world().github.repos.filter((r) => r.owner === "acme" && r.name.startsWith("legacy-"));
    expect(legacy.flatMap((r) => r.keys)).toEqual([]);
    expect(legacy.flatMap((r) => r.hooks.map((h) => h.config.url))).toEqual(Array(3).fill("https://ci.acme.example/hooks/github"));
    // The secrets' values reached the sandbox sealed, and never the demo's output.
    expectNoSecretIn(text, Object.values(secretValues), "the demo's output");
  });
});

describe("recording manual steps in a configuration, as a person would", () => {
  const text = [
    "# kept",
    "links:",
    "  - name: a # kept too",
    "    namespace: acme",
    "    manualSteps:",
    "      - { id: revoke-grant:github:a, done: 2026-01-02, by: kim }",
    "orgAccess:",
    "  - { org: acme, access: granted }",
    "",
  ].join("\n");

  it("adds each step under the entry at its location, keeping comments and steps already recorded", () => {
    const out = recordManualSteps(
      text,
      [
        { id: "revoke-grant:github:a", line: 3, column: 5 },
        { id: "docker-hub-unlink:acme:github:a", line: 3, column: 5 },
        { id: "org-access:github:acme", line: 8, column: 5 },
      ],
      "2026-11-30",
      "jdoe",
    );
    expect(out).toContain("# kept\n");
    expect(out).toContain("- name: a # kept too\n");
    expect(parse(out)).toEqual({
      links: [
        {
          name: "a",
          namespace: "acme",
          manualSteps: [
            { id: "revoke-grant:github:a", done: "2026-01-02", by: "kim" },
            { id: "docker-hub-unlink:acme:github:a", done: "2026-11-30", by: "jdoe" },
          ],
        },
      ],
      orgAccess: [{ org: "acme", access: "granted", manualSteps: [{ id: "org-access:github:acme", done: "2026-11-30", by: "jdoe" }] }],
    });
  });

  it("refuses a step whose location starts no entry", () => {
    expect(() => recordManualSteps(text, [{ id: "revoke-grant:github:b", line: 4, column: 5 }], "2026-11-30", "jdoe")).toThrow(
      new RecordError("cannot record revoke-grant:github:b: no entry starts at line 4, column 5"),
    );
  });
});
