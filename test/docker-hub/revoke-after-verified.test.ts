/**
 * The whole path on the demo world: propose the replacement of acme/legacy-api, merge its pull
 * request (the sandbox runs the workflow and pushes), verify it, and only then let link legacy-builds go.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildKey } from "../../engine/builds/continuity.js";
import type { BuildSpec } from "../../engine/model/build-spec.js";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import { createOperationContext } from "../../engine/reconcile/context.js";
import { executeReplacementSteps, planReplacements } from "../../engine/reconcile/replacements.js";
import { heldRevocations, observeAndVerify } from "../../engine/reconcile/verify-replacements.js";
import { evaluateAll, factsFromConfig } from "../../policies/rules/index.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { loadDemoConfig } from "../support/demo-config.js";

let sandbox: SandboxHandle;
let demoConfig: () => SourcelinksConfig;
beforeAll(async () => {
  demoConfig = await loadDemoConfig(true);
  sandbox = await startSandbox({});
});
afterAll(() => sandbox.close());

const VALUES = { DOCKERHUB_USERNAME: "acme-ci", DOCKERHUB_TOKEN: `hub-${Date.now().toString(36)}-value`, NPM_TOKEN: "npm-value" };

describe("revoking only after the replacement is verified", () => {
  it("holds legacy-builds back until its builds' pull requests are merged, run and pushed, then releases it", async () => {
    const base = demoConfig();
    // One build of the link, with Docker Hub read through the sandbox; the others retired on purpose.
    const builds: BuildSpec[] = (base.builds ?? []).map((b) =>
      b.image === "acme/legacy-api" ? b : { ...b, replacement: "none" as const },
    );
    const config: SourcelinksConfig = {
      ...base,
      providers: {
        ...base.providers,
        dockerHub: { apiUrl: "https://hub.docker.com", usernameEnv: "DOCKER_HUB_USERNAME", tokenEnv: "DOCKER_HUB_READ_TOKEN" },
      },
      builds,
    };
    const ctx = createOperationContext(config, { ...sandbox.env, ...VALUES });
    const api = builds.find((b) => b.image === "acme/legacy-api")!;

    const before = await observeAndVerify(ctx, builds);
    expect(before.get(buildKey(api))?.state).toBe("absent");
    expect(heldRevocations(config.links, builds, before)).toEqual([
      {
        link: "legacy-builds",
        builds: [expect.objectContaining({ image: "acme/legacy-api", reason: expect.stringContaining("is absent, not verified") })],
      },
    ]);

    const plans = await planReplacements(
      ctx,
      builds.filter((b) => b.replacement !== "none"),
    );
    expect(
      (
        await executeReplacementSteps(
          ctx,
          plans.flatMap((p) => p.steps),
        )
      ).failed,
    ).toBeNull();
    const proposed = await observeAndVerify(ctx, builds);
    expect(proposed.get(buildKey(api))).toMatchObject({ state: "proposed", pullRequest: { state: "open" } });
    expect(
      evaluateAll(factsFromConfig(config, { replacements: proposed })).filter((v) => v.ruleId === "replacement-before-revocation"),
    ).toHaveLength(1);

    const number = proposed.get(buildKey(api))!.pullRequest!.number;
    const merge = await fetch(`${sandbox.env.SOURCELINKS_GITHUB_API_URL}/repos/acme/legacy-api/pulls/${number}/merge`, {
      method: "PUT",
      headers: { authorization: `token ${sandbox.env.GITHUB_TOKEN}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(merge.status).toBe(200);

    const after = await observeAndVerify(ctx, builds);
    expect(after.get(buildKey(api))).toMatchObject({ state: "verified", tags: [{ name: "latest", fresh: true }] });
    expect(heldRevocations(config.links, builds, after)).toEqual([]);
    expect(
      evaluateAll(factsFromConfig(config, { replacements: after })).filter((v) => v.ruleId === "replacement-before-revocation"),
    ).toEqual([]);
  });
});
