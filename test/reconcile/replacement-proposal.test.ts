/**
 * Proposing replacement builds over loopback against the sandbox's demo world: the branch, the CI
 * file, the pull request and the sealed secrets on GitHub; the commit, pull request, Pipelines and
 * secured variables on Bitbucket. Idempotent (a second apply updates the same branch and pull
 * request), done once merged, refused whole when a secret's env var is unset, and a missing
 * workflow scope named.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BuildSpec } from "../../engine/model/build-spec.js";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import { createOperationContext } from "../../engine/reconcile/context.js";
import { executeReplacementSteps, planReplacements } from "../../engine/reconcile/replacements.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { githubRepo, loadDemoConfig } from "../support/demo-config.js";

let sandbox: SandboxHandle;
let demoConfig: () => SourcelinksConfig;

beforeAll(async () => {
  demoConfig = await loadDemoConfig();
  sandbox = await startSandbox({});
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

/** Values of the secrets' env vars, made at run time (never token-shaped). */
const VALUES = { DOCKERHUB_USERNAME: "acme-ci", DOCKERHUB_TOKEN: `hub-${Date.now().toString(36)}-value`, NPM_READ: "npm-read-value" };
const WORKFLOW = ".github/workflows/docker-hub-acme-api.yml";

function build(overrides: Partial<BuildSpec> = {}): BuildSpec {
  return {
    image: "acme/api",
    provider: "github",
    repository: "acme/api",
    autotest: "off",
    rules: [{ sourceType: "branch", source: "main", tag: "latest", dockerfile: "Dockerfile", context: "/", autobuild: true, cache: false }],
    env: {},
    secrets: { NPM_TOKEN: "NPM_READ" },
    registry: { login: "token" },
    secretScope: "repository",
    ...overrides,
  };
}

function context(builds: BuildSpec[], extraEnv: Record<string, string> = VALUES) {
  const config = { ...demoConfig(), builds };
  return { ctx: createOperationContext(config, { ...sandbox.env, ...extraEnv }), builds };
}

async function plan(builds: BuildSpec[], extraEnv?: Record<string, string>) {
  const { ctx } = context(builds, extraEnv);
  const plans = await planReplacements(ctx, builds);
  return { ctx, plans, steps: plans.flatMap((p) => p.steps) };
}

async function gh(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${sandbox.env.SOURCELINKS_GITHUB_API_URL}${path}`, {
    method,
    headers: { authorization: `token ${sandbox.env.GITHUB_TOKEN}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

describe("proposing a GitHub replacement build", () => {
  it("creates the branch, commits the rendered workflow, opens one pull request and sets the sealed secrets; a second plan has nothing to do", async () => {
    const builds = [build()];
    const first = await plan(builds);
    expect(first.plans[0]?.observed.state).toBe("absent");
    expect(first.steps.map((s) => s.kind)).toEqual([
      "proposal-branch",
      "proposal-file",
      "proposal-pull-request",
      "ci-secret",
      "ci-secret",
      "ci-secret",
    ]);
    expect(JSON.stringify(first.steps)).not.toContain(VALUES.DOCKERHUB_TOKEN);

    const result = await executeReplacementSteps(first.ctx, first.steps);
    expect(result.failed).toBeNull();

    const repo = githubRepo(sandbox.world(), "acme/api");
    const branchSha = repo.git?.branches["sourcelinks/docker-hub-acme-api"];
    expect(branchSha).toBeDefined();
    const file = repo.git?.commits[branchSha!]?.files[WORKFLOW];
    expect(Buffer.from(file ?? "", "base64").toString()).toBe(first.plans[0]?.target.text);
    expect(repo.pulls?.map((p) => [p.number, p.state, p.head, p.base])).toEqual([[1, "open", "sourcelinks/docker-hub-acme-api", "main"]]);
    expect(repo.pulls?.[0]?.body).toContain("https://docs.docker.com/docker-hub/repos/manage/builds/migrate/");
    // The sandbox stored what it opened from the sealed boxes: the encryption is real.
    expect(Object.fromEntries((repo.secrets ?? []).map((s) => [s.name, s.value]))).toEqual({
      DOCKERHUB_USERNAME: VALUES.DOCKERHUB_USERNAME,
      DOCKERHUB_TOKEN: VALUES.DOCKERHUB_TOKEN,
      NPM_TOKEN: VALUES.NPM_READ,
    });

    const second = await plan(builds);
    expect(second.plans[0]?.observed).toMatchObject({ state: "proposed", branchCurrent: true, pullRequest: { number: 1, state: "open" } });
    expect(second.steps).toEqual([]);
  });

  it("updates the same branch and pull request when the rules change, and has nothing to do once it is merged", async () => {
    const first = await plan([build()]);
    expect((await executeReplacementSteps(first.ctx, first.steps)).failed).toBeNull();

    const changed = [
      build({
        rules: [
          {
            sourceType: "tag",
            source: "/^v([0-9.]+)$/",
            tag: "v{\\1}",
            dockerfile: "Dockerfile",
            context: "/",
            autobuild: true,
            cache: false,
          },
        ],
      }),
    ];
    const update = await plan(changed);
    expect(update.steps.map((s) => s.kind)).toEqual(["proposal-file", "proposal-pull-request"]);
    expect(update.steps[1]).toMatchObject({ number: 1, request: { method: "PATCH" } });
    expect((await executeReplacementSteps(update.ctx, update.steps)).failed).toBeNull();
    const repo = githubRepo(sandbox.world(), "acme/api");
    expect(repo.pulls).toHaveLength(1);

    expect((await gh("PUT", "/repos/acme/api/pulls/1/merge", {})).status).toBe(200);
    const done = await plan(changed);
    expect(done.plans[0]?.observed).toMatchObject({ state: "merged", pullRequest: { number: 1, state: "merged" } });
    expect(done.steps).toEqual([]);
  });

  it("sends nothing when a secret's env var is unset, and names the variable", async () => {
    const { ctx, steps } = await plan([build()], { DOCKERHUB_USERNAME: "acme-ci", DOCKERHUB_TOKEN: "x-value" });
    await expect(executeReplacementSteps(ctx, steps)).rejects.toThrow(/NPM_TOKEN .*env var NPM_READ, which is not set/);
    const repo = githubRepo(sandbox.world(), "acme/api");
    expect(repo.git?.branches["sourcelinks/docker-hub-acme-api"]).toBeUndefined();
    expect(repo.pulls ?? []).toEqual([]);
  });

  it("sends nothing when a step's request was edited to another host or file", async () => {
    const { ctx, steps } = await plan([build()]);
    const edited = steps.map((s) =>
      s.kind === "proposal-file" ? { ...s, request: { ...s.request, url: s.request.url.replace("/contents/.github/", "/contents/") } } : s,
    );
    await expect(executeReplacementSteps(ctx, edited)).rejects.toThrow(/proposal-file|plan/);
    const elsewhere = steps.map((s) => ({ ...s, request: { ...s.request, url: s.request.url.replace("127.0.0.1", "localhost") } }));
    await expect(executeReplacementSteps(ctx, elsewhere)).rejects.toThrow();
    expect(githubRepo(sandbox.world(), "acme/api").git?.branches["sourcelinks/docker-hub-acme-api"]).toBeUndefined();
  });

  it("sets no registry token for OIDC login", async () => {
    const { steps } = await plan([build({ registry: { login: "oidc" }, secrets: {} })]);
    expect(steps.filter((s) => s.kind === "ci-secret")).toEqual([]);
  });

  it("names the workflow scope and the Workflows permission when GitHub refuses the workflow file", async () => {
    const token = sandbox.world().github.tokens.find((t) => t.token === sandbox.env.GITHUB_TOKEN);
    if (!token) throw new Error("no operator token");
    token.scopes = ["repo"];
    const { ctx, steps } = await plan([build()]);
    const result = await executeReplacementSteps(ctx, steps);
    expect(result.failed?.step.kind).toBe("proposal-file");
    expect(result.failed?.error.message).toContain("needs the `workflow` scope (classic token) or the Workflows permission");
    expect(result.failed?.error.message).not.toContain(sandbox.env.GITHUB_TOKEN);
  });

  it("sets organization secrets selected for the repository when the declaration says so", async () => {
    const { ctx, steps } = await plan([build({ secretScope: "organization" })]);
    expect(steps.filter((s) => s.kind === "ci-secret").map((s) => s.request.url)).toEqual([
      `${sandbox.env.SOURCELINKS_GITHUB_API_URL}/orgs/acme/actions/secrets/DOCKERHUB_USERNAME`,
      `${sandbox.env.SOURCELINKS_GITHUB_API_URL}/orgs/acme/actions/secrets/DOCKERHUB_TOKEN`,
      `${sandbox.env.SOURCELINKS_GITHUB_API_URL}/orgs/acme/actions/secrets/NPM_TOKEN`,
    ]);
    expect((await executeReplacementSteps(ctx, steps)).failed).toBeNull();
    const org = sandbox.world().github.orgs.find((o) => o.login === "acme");
    const repoId = githubRepo(sandbox.world(), "acme/api").id;
    expect(org?.secrets?.map((s) => [s.name, s.visibility, s.selectedRepositoryIds])).toEqual([
      ["DOCKERHUB_USERNAME", "selected", [repoId]],
      ["DOCKERHUB_TOKEN", "selected", [repoId]],
      ["NPM_TOKEN", "selected", [repoId]],
    ]);
    // Another repository of the org then only needs selecting.
    const web = await plan([build({ image: "acme/web", repository: "acme/web", secretScope: "organization" })]);
    expect(web.steps.filter((s) => s.kind.includes("secret")).map((s) => s.kind)).toEqual([
      "org-secret-repository",
      "org-secret-repository",
      "org-secret-repository",
    ]);
  });
});

describe("proposing a Bitbucket replacement build", () => {
  it("commits the pipelines file on a branch, opens a pull request, enables Pipelines and sets secured variables; a second plan has nothing to do", async () => {
    const builds = [build({ image: "acme/mobile", provider: "bitbucket", repository: "acme-team/mobile", secrets: {} })];
    const first = await plan(builds);
    expect(first.steps.map((s) => s.kind)).toEqual([
      "proposal-file",
      "proposal-pull-request",
      "ci-secret",
      "ci-secret",
      "enable-pipelines",
    ]);
    expect((await executeReplacementSteps(first.ctx, first.steps)).failed).toBeNull();
    const repo = sandbox.world().bitbucket.repos.find((r) => r.slug === "mobile");
    const head = repo?.git?.branches["sourcelinks/bitbucket-pipelines"];
    expect(Buffer.from(repo?.git?.commits[head ?? ""]?.files["bitbucket-pipelines.yml"] ?? "", "base64").toString()).toBe(
      first.plans[0]?.target.text,
    );
    expect(repo?.pulls?.map((p) => [p.id, p.state, p.source, p.destination])).toEqual([
      [1, "OPEN", "sourcelinks/bitbucket-pipelines", "main"],
    ]);
    expect(repo?.pipelinesEnabled).toBe(true);
    expect(repo?.variables?.map((v) => [v.key, v.secured, v.value])).toEqual([
      ["DOCKERHUB_USERNAME", true, VALUES.DOCKERHUB_USERNAME],
      ["DOCKERHUB_TOKEN", true, VALUES.DOCKERHUB_TOKEN],
    ]);
    expect((await plan(builds)).steps).toEqual([]);
  });
});
