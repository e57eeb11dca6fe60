/**
 * What `builds render` writes: every workflow passes GitHub's own parser and schema
 * (@actions/workflow-parser), every Bitbucket file parses with the sections its rules need, the same
 * input gives the same bytes, and no secret value reaches a file.
 */
import { existsSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BUILDS_EXAMPLE, runCli } from "../support/cli-harness.js";
import { gateCommand, render, runGate, scratch, writeConfig } from "./builds-harness.js";

const EVERYTHING = `apiVersion: sourcelinks/v1
builds:
  - image: acme/api
    provider: github
    repository: acme/api
    autotest: external
    rules:
      - { sourceType: branch, source: master, tag: latest }
      - { sourceType: tag, source: '/^v([0-9]+)\\.([0-9]+)\\.([0-9]+)$/', tag: '{\\1}.{\\2}.{\\3},{\\1}.{\\2},{\\1}', cache: true }
      - { sourceType: branch, source: '/^feature-/', tag: '{sourceref}', autobuild: false, dockerfile: docker/Dockerfile, context: '' }
    env: { BUILD_FLAVOR: slim }
    secrets: { NPM_TOKEN: SOURCELINKS_TEST_NPM_TOKEN }
  - image: acme/worker
    provider: github
    repository: acme/api
    rules:
      - { sourceType: tag, source: release, tag: stable, dockerfile: Dockerfile.worker, context: /worker }
    registry: { login: oidc }
  - image: acme/mobile
    provider: bitbucket
    repository: acme-team/mobile
    autotest: internal
    rules:
      - { sourceType: branch, source: master, tag: latest }
      - { sourceType: branch, source: develop, tag: dev, cache: true }
      - { sourceType: tag, source: '/^([0-9.]+)$/', tag: '{\\1}' }
    env: { FLAVOR: "it's plain" }
    secrets: { SIGNING_KEY: SOURCELINKS_TEST_SIGNING_KEY }
  - image: acme/mobile-docs
    provider: bitbucket
    repository: acme-team/mobile
    rules:
      - { sourceType: branch, source: docs, tag: latest }
`;

/** GitHub's workflow parser and converter: every error they report for one workflow text. */
async function workflowErrors(name: string, content: string): Promise<string[]> {
  const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await import("@actions/workflow-parser");
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (parsed.value === undefined) return [...errors, "the parser produced no workflow"];
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  return [...errors, ...(template.errors ?? []).map((e) => e.Message)];
}

describe("builds render", () => {
  it("writes each GitHub build's workflow and one pipelines file per Bitbucket repository, at DIR/<provider>/<owner>/<repo>/<path>", async () => {
    const dir = scratch();
    const files = await render(writeConfig(dir, "builds.yaml", EVERYTHING), `${dir}/out`);
    expect([...files.keys()]).toEqual([
      "bitbucket/acme-team/mobile/bitbucket-pipelines.yml",
      "github/acme/api/.github/workflows/docker-hub-acme-api.yml",
      "github/acme/api/.github/workflows/docker-hub-acme-worker.yml",
    ]);
  });

  it("renders workflows that GitHub's parser and schema accept with zero errors", async () => {
    const dir = scratch();
    const files = await render(writeConfig(dir, "builds.yaml", EVERYTHING), `${dir}/out`);
    const workflows = [...files].filter(([path]) => path.startsWith("github/"));
    expect(workflows).toHaveLength(2);
    for (const [path, text] of workflows) expect({ path, errors: await workflowErrors(path, text) }).toEqual({ path, errors: [] });
    // The parser does judge: a workflow it cannot accept is reported.
    expect(await workflowErrors("broken.yml", "on: push\njobs:\n  a:\n    steps: []\n")).not.toEqual([]);
  });

  it("renders the workflow's triggers, permissions, concurrency and login as the rules and registry need", async () => {
    const dir = scratch();
    const files = await render(writeConfig(dir, "builds.yaml", EVERYTHING), `${dir}/out`);
    type Workflow = {
      on: Record<string, { branches?: string[]; tags?: string[] }>;
      permissions: Record<string, string>;
      concurrency: { group: string };
      jobs: Record<
        string,
        { permissions: Record<string, string>; env?: Record<string, string>; steps: { uses?: string; with?: Record<string, unknown> }[] }
      >;
    };
    const api = parse(files.get("github/acme/api/.github/workflows/docker-hub-acme-api.yml") ?? "") as Workflow;
    // A regex branch rule needs every branch (the router decides); pull requests are Autotest.
    expect(api.on).toEqual({ push: { branches: ["**"], tags: ["**"] }, pull_request: { branches: ["**"] } });
    expect(api.permissions).toEqual({});
    expect(api.concurrency.group).toContain("${{ github.ref }}");
    expect(api.jobs["build"]?.permissions).toEqual({ contents: "read" });
    expect(api.jobs["build"]?.env).toMatchObject({
      BUILD_FLAVOR: "slim",
      NPM_TOKEN: "${{ secrets.NPM_TOKEN }}",
      DOCKER_REPO: "index.docker.io/acme/api",
    });
    for (const name of ["SOURCE_BRANCH", "DOCKER_TAG", "IMAGE_NAME"]) expect(api.jobs["build"]?.env).toHaveProperty(name);
    const uses = api.jobs["build"]?.steps.flatMap((s) => (s.uses === undefined ? [] : [s.uses]));
    expect(uses).toEqual(["actions/checkout@v6", "docker/setup-buildx-action@v4", "docker/login-action@v4", "docker/build-push-action@v7"]);
    const buildStep = api.jobs["build"]?.steps.find((s) => s.uses?.startsWith("docker/build-push-action"));
    expect(buildStep?.with?.["cache-from"]).toContain("type=gha");

    const worker = parse(files.get("github/acme/api/.github/workflows/docker-hub-acme-worker.yml") ?? "") as Workflow;
    // Only literal tag rules: exact tag filters, no branch trigger, no pull requests (Autotest off).
    expect(worker.on).toEqual({ push: { tags: ["release"] } });
    expect(worker.jobs["build"]?.permissions).toEqual({ contents: "read", "id-token": "write" });
    const login = worker.jobs["build"]?.steps.find((s) => s.uses?.startsWith("docker/login-action"));
    expect(login?.with).toEqual({ username: "acme" });
    expect(files.get("github/acme/api/.github/workflows/docker-hub-acme-worker.yml")).not.toContain("cache-from");
  });

  it("renders a Bitbucket file with the sections its rules need, the Docker service, and a gate for every build of the repository", async () => {
    const dir = scratch();
    const files = await render(writeConfig(dir, "builds.yaml", EVERYTHING), `${dir}/out`);
    const text = files.get("bitbucket/acme-team/mobile/bitbucket-pipelines.yml") ?? "";
    type Step = { step: { name: string; services: string[]; caches?: string[]; script: string[] } };
    const file = parse(text) as { image: string; pipelines: Record<string, Record<string, Step[]>> };
    expect(file.image).toMatch(/^node:\d+/);
    // Literal branches as exact names (docs from the second build), a regex tag as the catch-all, Autotest on pull requests.
    expect(Object.keys(file.pipelines["branches"] ?? {})).toEqual(["develop", "docs", "master"]);
    expect(Object.keys(file.pipelines["tags"] ?? {})).toEqual(["**"]);
    expect(Object.keys(file.pipelines["pull-requests"] ?? {})).toEqual(["**"]);
    const steps = file.pipelines["branches"]?.["master"] ?? [];
    expect(steps.map((s) => s.step.name)).toEqual(["Docker Hub autobuild acme/mobile", "Docker Hub autobuild acme/mobile-docs"]);
    for (const { step } of steps) expect(step.services).toEqual(["docker"]);
    expect(steps[0]?.step.caches).toEqual(["docker"]);
    expect(file.pipelines["pull-requests"]?.["**"]?.map((s) => s.step.name)).toEqual(["Docker Hub autobuild acme/mobile"]);
    const script = steps[0]?.step.script.join("\n") ?? "";
    expect(script).toContain(`export FLAVOR='it'\\''s plain'`);
    for (const name of ["SOURCE_BRANCH", "SOURCE_COMMIT", "COMMIT_MSG", "DOCKER_REPO", "DOCKERFILE_PATH", "DOCKER_TAG", "IMAGE_NAME"])
      expect(script).toContain(name);
    for (const hook of ["post_checkout", "pre_build", "post_build", "pre_test", "post_test", "pre_push", "post_push"])
      expect(script).toContain(`hook ${hook}`);
    expect(script).toContain("*.test.yml");
    expect(text).toContain("SIGNING_KEY");
    // The docs build's gate answers for its own rules only.
    const docsGate = gateCommand(text, "Docker Hub autobuild acme/mobile-docs");
    expect(await runGate(docsGate, { BITBUCKET_BRANCH: "master" })).toEqual([]);
    expect(await runGate(docsGate, { BITBUCKET_BRANCH: "docs" })).toEqual([
      { rule: 1, tags: ["latest"], push: true, dockerfile: "Dockerfile", context: "." },
    ]);
  });

  it("renders the example configuration's builds, whose workflows GitHub's parser accepts", async () => {
    const files = await render(BUILDS_EXAMPLE, `${scratch()}/out`);
    expect([...files.keys()]).toEqual([
      "bitbucket/acme-team/mobile/bitbucket-pipelines.yml",
      "github/acme/legacy-api/.github/workflows/docker-hub-acme-legacy-api.yml",
      "github/acme/legacy-web/.github/workflows/docker-hub-acme-legacy-web.yml",
    ]);
    for (const [path, text] of files) {
      if (path.startsWith("github/")) expect({ path, errors: await workflowErrors(path, text) }).toEqual({ path, errors: [] });
    }
  });

  it("gives the same bytes for the same input, and writes no secret value", async () => {
    const dir = scratch();
    const config = writeConfig(dir, "builds.yaml", EVERYTHING);
    const secrets = {
      SOURCELINKS_TEST_NPM_TOKEN: "npm_S3cretValueThatMustNotLeak",
      SOURCELINKS_TEST_SIGNING_KEY: "sig-S3cretValueThatMustNotLeak",
    };
    const first = await runCli(["builds", "render", config, "--out", `${dir}/a`], secrets);
    const second = await runCli(["builds", "render", config, "--out", `${dir}/b`], secrets);
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    const paths = first.stdout.trim().split("\n");
    expect(paths).toHaveLength(3);
    for (const path of paths) {
      const bytes = readFileSync(path);
      expect(readFileSync(path.replace(`${dir}/a`, `${dir}/b`)).equals(bytes)).toBe(true);
      expect(bytes.toString("utf8")).not.toContain("S3cretValue");
    }
  });

  it("refuses a target that is a symbolic link before writing any file, and leaves what it points to alone", async () => {
    const dir = scratch();
    const config = writeConfig(dir, "builds.yaml", EVERYTHING);
    const victim = join(dir, "victim.txt");
    writeFileSync(victim, "untouched\n");
    const workflows = join(dir, "out/github/acme/api/.github/workflows");
    mkdirSync(workflows, { recursive: true });
    const planted = join(workflows, "docker-hub-acme-worker.yml");
    symlinkSync(victim, planted);

    const run = await runCli(["builds", "render", config, "--out", join(dir, "out")], {});
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`--out ${planted}: is a symbolic link`);
    expect(run.stdout).toBe("");
    expect(readFileSync(victim, "utf8")).toBe("untouched\n");
    expect(readlinkSync(planted)).toBe(victim);
    expect(existsSync(join(workflows, "docker-hub-acme-api.yml"))).toBe(false);
  });
});
