/**
 * Every build the basic example declares (examples/basic/builds.yaml) can be proposed, merged and
 * verified on the sandbox's demo world, none retired: acme/legacy-api on its default branch, acme/mobile
 * on Bitbucket's main branch its rule builds, and acme/legacy-web, whose default branch only builds and
 * tests, on the release branch it declares (`verify.branch`) once that branch is cut from the merge.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildKey } from "../../engine/builds/continuity.js";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import { createOperationContext } from "../../engine/reconcile/context.js";
import { executeReplacementSteps, planReplacements } from "../../engine/reconcile/replacements.js";
import { heldRevocations, observeAndVerify } from "../../engine/reconcile/verify-replacements.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { loadDemoConfig } from "../support/demo-config.js";

let sandbox: SandboxHandle;
let demoConfig: () => SourcelinksConfig;
beforeAll(async () => {
  demoConfig = await loadDemoConfig(true);
  sandbox = await startSandbox({});
});
afterAll(() => sandbox.close());

const VALUES = { DOCKERHUB_USERNAME: "acme-ci", DOCKERHUB_TOKEN: "hub-example-value", NPM_TOKEN: "npm-example-value" };

async function github(method: string, path: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const res = await fetch(`${sandbox.env.SOURCELINKS_GITHUB_API_URL}${path}`, {
    method,
    headers: { authorization: `token ${sandbox.env.GITHUB_TOKEN}`, "content-type": "application/json" },
    ...(method === "GET" ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
  return (await res.json()) as Record<string, unknown>;
}

async function mergeBitbucket(path: string): Promise<void> {
  const basic = Buffer.from(`${sandbox.env.BITBUCKET_EMAIL}:${sandbox.env.BITBUCKET_API_TOKEN}`).toString("base64");
  const res = await fetch(`${sandbox.env.SOURCELINKS_BITBUCKET_API_URL}${path}`, {
    method: "POST",
    headers: { authorization: `Basic ${basic}` },
  });
  expect(res.status, path).toBe(200);
}

describe("the basic example's builds on the demo world", () => {
  it("proposes, merges and verifies every declared build, legacy-web on its declared release branch, and then nothing holds legacy-builds", async () => {
    const config = demoConfig();
    const builds = config.builds ?? [];
    expect(builds.map((b) => [b.image, b.replacement ?? "replaced"])).toEqual([
      ["acme/legacy-api", "replaced"],
      ["acme/legacy-web", "replaced"],
      ["acme/mobile", "replaced"],
    ]);
    const ctx = createOperationContext(config, { ...sandbox.env, ...VALUES });
    const plans = await planReplacements(ctx, builds);
    expect(
      (
        await executeReplacementSteps(
          ctx,
          plans.flatMap((p) => p.steps),
        )
      ).failed,
    ).toBeNull();

    const proposed = await observeAndVerify(ctx, builds);
    for (const build of builds) expect(proposed.get(buildKey(build))?.state).toBe("proposed");
    for (const build of builds.filter((b) => b.provider === "github")) {
      const number = proposed.get(buildKey(build))!.pullRequest!.number;
      await github("PUT", `/repos/${build.repository}/pulls/${number}/merge`);
    }
    const mobile = builds.find((b) => b.image === "acme/mobile")!;
    await mergeBitbucket(`/repositories/${mobile.repository}/pullrequests/${proposed.get(buildKey(mobile))!.pullRequest!.number}/merge`);

    const merged = await observeAndVerify(ctx, builds);
    const web = builds.find((b) => b.image === "acme/legacy-web")!;
    expect(merged.get(buildKey(web))).toMatchObject({
      state: "merged",
      ref: "refs/heads/release-2026.12",
      reason: "branch release-2026.12, where acme/legacy-web is verified (verify.branch), does not exist in acme/legacy-web yet",
    });
    expect(merged.get(buildKey(mobile))).toMatchObject({
      state: "verified",
      ref: "refs/heads/main",
      tags: [{ name: "latest", fresh: true }],
    });
    expect(heldRevocations(config.links, builds, merged).map((h) => h.builds.map((b) => b.image))).toEqual([["acme/legacy-web"]]);

    // The owner cuts the release from the merge: its first run builds and pushes the release's tag.
    const main = (await github("GET", "/repos/acme/legacy-web/git/ref/heads/main")).object as { sha: string };
    await github("POST", "/repos/acme/legacy-web/git/refs", { ref: "refs/heads/release-2026.12", sha: main.sha });

    const verified = await observeAndVerify(ctx, builds);
    for (const build of builds) expect(verified.get(buildKey(build))?.state, build.image).toBe("verified");
    expect(verified.get(buildKey(web))).toMatchObject({
      run: { ref: "refs/heads/release-2026.12" },
      tags: [{ name: "release-2026.12", fresh: true }],
    });
    expect(heldRevocations(config.links, builds, verified)).toEqual([]);
  });
});
