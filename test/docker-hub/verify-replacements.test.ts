import { afterEach, describe, expect, it } from "vitest";
import { verifyReplacements } from "../../engine/reconcile/verify-replacements.js";
import type { SandboxHandle } from "../../sandbox/server.js";
import { BUILDS, failing, merged, push, readers, startVerifyWorld } from "./verify-harness.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const [api, mobile] = BUILDS as [(typeof BUILDS)[0], (typeof BUILDS)[0]];
let sandbox: SandboxHandle | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe("verifying replacement builds", () => {
  it("a push to the default branch runs the rendered router, pushes its tags, and verifies with the run and the tags", async () => {
    sandbox = await startVerifyWorld();
    await push(sandbox, api, "refs/heads/main", SHA);
    const [verdict] = await verifyReplacements([api], [merged(api, SHA)], readers(sandbox));
    const run = sandbox.world().github.workflowRuns![0]!;
    expect(run.pushed).toEqual(["acme/api:latest"]);
    expect(verdict).toMatchObject({
      state: "verified",
      reason: null,
      ref: "refs/heads/main",
      run: { url: `https://github.com/acme/api/actions/runs/${run.id}`, conclusion: "success", headSha: SHA },
      tags: [{ name: "latest", lastPushed: run.finishedAt, fresh: true }],
    });
  });

  it("a tag push runs too, but verification reads the run on the merged commit of the default branch", async () => {
    sandbox = await startVerifyWorld();
    await push(sandbox, api, "refs/tags/v1.2.3", SHA);
    expect(sandbox.world().github.workflowRuns![0]!.pushed).toEqual(["acme/api:1.2.3"]);
    const [verdict] = await verifyReplacements([api], [merged(api, "fedcba9876543210fedcba9876543210fedcba98")], readers(sandbox));
    expect(verdict).toMatchObject({ state: "merged", run: null });
    expect(verdict!.reason).toContain("no run of .github/workflows/docker-hub-acme-api.yml on main");
  });

  it("a run that fails leaves the build failing with its run, and the old tag is not taken for a push", async () => {
    sandbox = await startVerifyWorld();
    await failing(sandbox, "acme/api", true);
    await push(sandbox, api, "refs/heads/main", SHA);
    const [verdict] = await verifyReplacements([api], [merged(api, SHA)], readers(sandbox));
    expect(verdict).toMatchObject({ state: "failing", run: { conclusion: "failure" } });
    expect(verdict!.reason).toMatch(/^run https:\/\/github\.com\/acme\/api\/actions\/runs\/\d+ finished with failure$/);
  });

  it("a Bitbucket pipeline from bitbucket-pipelines.yml runs the rendered gate and verifies every tag of the rule", async () => {
    sandbox = await startVerifyWorld();
    await push(sandbox, mobile, "refs/heads/master", SHA);
    const [verdict] = await verifyReplacements([mobile], [merged(mobile, SHA)], readers(sandbox));
    expect(sandbox.world().bitbucket.pipelines![0]!.pushed).toEqual(["acme/mobile:latest", "acme/mobile:stable"]);
    expect(verdict).toMatchObject({
      state: "verified",
      run: { url: "https://bitbucket.org/acme-team/mobile/pipelines/results/1", conclusion: "success" },
      tags: [
        { name: "latest", fresh: true },
        { name: "stable", fresh: true },
      ],
    });
  });

  it("a build never observed names no ref and no tags it should push, and reads nothing", async () => {
    sandbox = await startVerifyWorld();
    const before = sandbox.counters().requests;
    const [verdict] = await verifyReplacements([api], [], readers(sandbox));
    expect(verdict).toMatchObject({ state: "absent", reason: "acme/api was not observed", ref: null, run: null, tags: [] });
    expect(sandbox.counters().requests).toBe(before);
  });

  it("costs at most two requests per build when nothing changed (one token exchange per run aside)", async () => {
    sandbox = await startVerifyWorld();
    await push(sandbox, api, "refs/heads/main", SHA);
    await push(sandbox, mobile, "refs/heads/master", SHA);
    const reading = readers(sandbox);
    const observations = [merged(api, SHA), merged(mobile, SHA)];
    await verifyReplacements(BUILDS, observations, reading);
    const before = sandbox.counters().requests;
    const again = await verifyReplacements(BUILDS, observations, reading);
    expect(again.map((v) => v.state)).toEqual(["verified", "verified"]);
    expect(sandbox.counters().requests - before).toBeLessThanOrEqual(2 * BUILDS.length);
    expect(sandbox.counters().byEndpoint["POST /dockerhub/v2/auth/token"]).toBe(1);
  });
});
