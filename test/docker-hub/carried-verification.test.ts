/**
 * A verified replacement build is carried over between runs while its default branch's head has not
 * moved: one conditional request (a 304) instead of the repository, its refs, files, pull requests,
 * secrets, runs and Docker Hub tags, and the verdict says when it was verified and that it was carried
 * over. A moved head, another token's verification, or one older than the cadence is read in full again. Over loopback
 * against the sandbox's demo world, each run with a context of its own, as separate CLI runs have.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildKey } from "../../engine/builds/continuity.js";
import { VerificationStore } from "../../engine/clients/verification-store.js";
import type { BuildSpec } from "../../engine/model/build-spec.js";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import { createOperationContext } from "../../engine/reconcile/context.js";
import { executeReplacementSteps, planReplacements } from "../../engine/reconcile/replacements.js";
import { observeAndVerify } from "../../engine/reconcile/verify-replacements.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { loadDemoConfig } from "../support/demo-config.js";

const DAY_MS = 86_400_000;
const VALUES = { DOCKERHUB_USERNAME: "acme-ci", DOCKERHUB_TOKEN: "hub-carried-value-4d2e", NPM_TOKEN: "npm-carried-value-8b1f" };

let sandbox: SandboxHandle;
let tmp: string;
let config: SourcelinksConfig;
let api: BuildSpec;
/** The clock the verification store reads (epoch ms). */
let now = Date.parse("2026-12-07T22:00:00Z");

beforeAll(async () => {
  const base = (await loadDemoConfig(true))();
  // One build of legacy-builds, with Docker Hub read through the sandbox; the others retired on purpose.
  const builds = (base.builds ?? []).map((b) => (b.image === "acme/legacy-api" ? b : { ...b, replacement: "none" as const }));
  config = {
    ...base,
    providers: {
      ...base.providers,
      dockerHub: { apiUrl: "https://hub.docker.com", usernameEnv: "DOCKER_HUB_USERNAME", tokenEnv: "DOCKER_HUB_READ_TOKEN" },
    },
    builds,
  };
  api = builds.find((b) => b.image === "acme/legacy-api")!;
  sandbox = await startSandbox({});
  tmp = mkdtempSync(join(tmpdir(), "sourcelinks-carried-"));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A context as one CLI run builds it: the ETag cache and the verifications on disk, read afresh. */
function context() {
  const ctx = createOperationContext(config, { ...sandbox.env, ...VALUES }, { etagCacheFile: join(tmp, "etags.json") });
  ctx.verifications = { store: new VerificationStore(join(tmp, "verifications.json")), verifyEveryMs: DAY_MS, now: () => now };
  return ctx;
}

/** One run's verification of the builds, its caches kept for the next run; with the sandbox's requests it cost. */
async function verifyRun() {
  const ctx = context();
  const before = sandbox.counters();
  const verdicts = await observeAndVerify(ctx, config.builds ?? []);
  const after = sandbox.counters();
  await ctx.clients.flush?.();
  await ctx.verifications?.store.save();
  return {
    verdict: verdicts.get(buildKey(api))!,
    requests: after.requests - before.requests,
    notModified: after.notModified - before.notModified,
    dockerHub: (after.byService["docker-hub"] ?? 0) - (before.byService["docker-hub"] ?? 0),
  };
}

async function gh(method: string, path: string, body?: unknown): Promise<number> {
  const res = await fetch(`${sandbox.env.SOURCELINKS_GITHUB_API_URL}${path}`, {
    method,
    headers: { authorization: `token ${sandbox.env.GITHUB_TOKEN}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await res.arrayBuffer();
  return res.status;
}

describe("carrying a verified replacement build over between runs", () => {
  it("reads only the default branch's head while it has not moved, says so, and reads in full for another token, a moved head or an old verification", async () => {
    const ctx = context();
    const plans = await planReplacements(ctx, [api]);
    expect(
      (
        await executeReplacementSteps(
          ctx,
          plans.flatMap((p) => p.steps),
        )
      ).failed,
    ).toBeNull();
    const proposed = await verifyRun();
    expect(proposed.verdict.state).toBe("proposed");
    expect(await gh("PUT", `/repos/acme/legacy-api/pulls/${proposed.verdict.pullRequest!.number}/merge`, {})).toBe(200);

    // The first run after the merge reads everything and verifies.
    const first = await verifyRun();
    expect(first.verdict).toMatchObject({ state: "verified", tags: [{ name: "latest", fresh: true }] });
    expect(first.verdict.carriedOver).toBeUndefined();
    expect(first.dockerHub).toBeGreaterThan(0);
    const verifiedAt = new Date(now).toISOString();

    // An hour later, nothing changed: one request, answered 304; no run and no tag read again.
    now += 3_600_000;
    const carried = await verifyRun();
    expect(carried.verdict).toMatchObject({
      state: "verified",
      run: first.verdict.run,
      tags: first.verdict.tags,
      carriedOver: { verifiedAt, branch: "main", headSha: expect.stringMatching(/^[0-9a-f]{40}$/) },
    });
    expect(carried.requests).toBe(1);
    expect(carried.notModified).toBe(1);
    expect(carried.dockerHub).toBe(0);

    // Stored under another token's fingerprint: this token's run reads in full, and stores its own.
    const file = join(tmp, "verifications.json");
    writeFileSync(file, readFileSync(file, "utf8").replace(/"credential":"[^"]+"/g, '"credential":"token:another-token"'));
    const otherToken = await verifyRun();
    expect(otherToken.verdict.carriedOver).toBeUndefined();
    expect(otherToken.requests).toBeGreaterThan(1);
    expect((await verifyRun()).verdict.carriedOver).toBeDefined();

    // A commit on main moves the head: read in full, nothing carried over.
    expect(
      await gh("PUT", "/repos/acme/legacy-api/contents/NOTES.md", {
        message: "notes",
        content: Buffer.from("moved\n").toString("base64"),
        branch: "main",
      }),
    ).toBe(201);
    const moved = await verifyRun();
    expect(moved.verdict.carriedOver).toBeUndefined();
    expect(moved.requests).toBeGreaterThan(1);

    // Whatever that full read stored, a day later it is read in full again.
    await verifyRun();
    now += DAY_MS;
    const aged = await verifyRun();
    expect(aged.verdict.carriedOver).toBeUndefined();
    expect(aged.requests).toBeGreaterThan(1);
  });
});
