/**
 * A verified replacement build is carried over between runs while its default branch's head (and a
 * declared verify.branch's) has not moved: one conditional request (a 304) instead of the repository, its refs, files, pull requests,
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
let base: SourcelinksConfig;
/** The clock the verification store reads (epoch ms). */
let now = Date.parse("2026-12-07T22:00:00Z");

beforeAll(async () => {
  base = (await loadDemoConfig(true))();
  sandbox = await startSandbox({});
  tmp = mkdtempSync(join(tmpdir(), "sourcelinks-carried-"));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** The demo config with one build live (`image`), Docker Hub read through the sandbox; the others retired on purpose. */
function withBuild(image: string): { config: SourcelinksConfig; build: BuildSpec } {
  const builds = (base.builds ?? []).map((b) => (b.image === image ? b : { ...b, replacement: "none" as const }));
  const config: SourcelinksConfig = {
    ...base,
    providers: {
      ...base.providers,
      dockerHub: { apiUrl: "https://hub.docker.com", usernameEnv: "DOCKER_HUB_USERNAME", tokenEnv: "DOCKER_HUB_READ_TOKEN" },
    },
    builds,
  };
  return { config, build: builds.find((b) => b.image === image)! };
}

/** A context as one CLI run builds it: the ETag cache and the verifications on disk, read afresh. */
function context(config: SourcelinksConfig) {
  const ctx = createOperationContext(config, { ...sandbox.env, ...VALUES }, { etagCacheFile: join(tmp, "etags.json") });
  ctx.verifications = { store: new VerificationStore(join(tmp, "verifications.json")), verifyEveryMs: DAY_MS, now: () => now };
  return ctx;
}

/** One run's verification of `config`'s builds, its caches kept for the next run; with the sandbox's requests it cost. */
async function verifyRun(config: SourcelinksConfig, build: BuildSpec) {
  const ctx = context(config);
  const before = sandbox.counters();
  const verdicts = await observeAndVerify(ctx, config.builds ?? []);
  const after = sandbox.counters();
  await ctx.clients.flush?.();
  await ctx.verifications?.store.save();
  return {
    verdict: verdicts.get(buildKey(build))!,
    requests: after.requests - before.requests,
    notModified: after.notModified - before.notModified,
    dockerHub: (after.byService["docker-hub"] ?? 0) - (before.byService["docker-hub"] ?? 0),
  };
}

/** Proposes `build` and merges its pull request, as its owner would. */
async function proposeAndMerge(config: SourcelinksConfig, build: BuildSpec): Promise<void> {
  const ctx = context(config);
  const plans = await planReplacements(ctx, [build]);
  expect(
    (
      await executeReplacementSteps(
        ctx,
        plans.flatMap((p) => p.steps),
      )
    ).failed,
  ).toBeNull();
  const proposed = await verifyRun(config, build);
  expect(proposed.verdict.state).toBe("proposed");
  expect(await gh("PUT", `/repos/${build.repository}/pulls/${proposed.verdict.pullRequest!.number}/merge`, {})).toBe(200);
}

async function ghJson(method: string, path: string): Promise<{ object: { sha: string } }> {
  const res = await fetch(`${sandbox.env.SOURCELINKS_GITHUB_API_URL}${path}`, {
    method,
    headers: { authorization: `token ${sandbox.env.GITHUB_TOKEN}` },
  });
  return (await res.json()) as { object: { sha: string } };
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
    const { config, build } = withBuild("acme/legacy-api");
    await proposeAndMerge(config, build);
    const verifyRunOf = () => verifyRun(config, build);

    // The first run after the merge reads everything and verifies.
    const first = await verifyRunOf();
    expect(first.verdict).toMatchObject({ state: "verified", tags: [{ name: "latest", fresh: true }] });
    expect(first.verdict.carriedOver).toBeUndefined();
    expect(first.dockerHub).toBeGreaterThan(0);
    const verifiedAt = new Date(now).toISOString();

    // An hour later, nothing changed: one request, answered 304; no run and no tag read again.
    now += 3_600_000;
    const carried = await verifyRunOf();
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
    const otherToken = await verifyRunOf();
    expect(otherToken.verdict.carriedOver).toBeUndefined();
    expect(otherToken.requests).toBeGreaterThan(1);
    expect((await verifyRunOf()).verdict.carriedOver).toBeDefined();

    // A commit on main moves the head: read in full, nothing carried over.
    expect(
      await gh("PUT", "/repos/acme/legacy-api/contents/NOTES.md", {
        message: "notes",
        content: Buffer.from("moved\n").toString("base64"),
        branch: "main",
      }),
    ).toBe(201);
    const moved = await verifyRunOf();
    expect(moved.verdict.carriedOver).toBeUndefined();
    expect(moved.requests).toBeGreaterThan(1);

    // Whatever that full read stored, a day later it is read in full again.
    await verifyRunOf();
    now += DAY_MS;
    const aged = await verifyRunOf();
    expect(aged.verdict.carriedOver).toBeUndefined();
    expect(aged.requests).toBeGreaterThan(1);
  });
  it("carries a build verified on its declared verify.branch over while both heads are unmoved, and reads in full once that branch moves", async () => {
    const { config, build } = withBuild("acme/legacy-web");
    expect(build.verify?.branch).toBe("release-2026.12");
    await proposeAndMerge(config, build);
    // The owner cuts the release from the merge: its first run pushes the release's tag.
    const main = await ghJson("GET", "/repos/acme/legacy-web/git/ref/heads/main");
    expect(await gh("POST", "/repos/acme/legacy-web/git/refs", { ref: "refs/heads/release-2026.12", sha: main.object.sha })).toBe(201);
    const first = await verifyRun(config, build);
    expect(first.verdict).toMatchObject({ state: "verified", ref: "refs/heads/release-2026.12" });
    expect(first.verdict.carriedOver).toBeUndefined();

    const carried = await verifyRun(config, build);
    expect(carried.verdict).toMatchObject({
      state: "verified",
      carriedOver: { branch: "release-2026.12", headSha: main.object.sha },
    });
    expect(carried.requests).toBe(2);
    expect(carried.notModified).toBe(2);

    // A commit on the release branch alone moves what verified it: read in full.
    expect(
      await gh("PUT", "/repos/acme/legacy-web/contents/RELEASE.md", {
        message: "release notes",
        content: Buffer.from("2026.12\n").toString("base64"),
        branch: "release-2026.12",
      }),
    ).toBe(201);
    const moved = await verifyRun(config, build);
    expect(moved.verdict.carriedOver).toBeUndefined();
    expect(moved.requests).toBeGreaterThan(2);
  });
});
