/**
 * A replacement's proposal never overwrites anyone's work, over loopback against the sandbox's demo
 * world: a branch of the proposal's name that holds commits sourcelinks did not write (pushed to its
 * pull request, open or then closed, or made for another reason) is held back with its reason and
 * nothing is written for the build; a branch whose head is a merged pull request's is reset and
 * proposed again; sourcelinks' own branch, unchanged since it wrote it, is updated in place. Each
 * time a second plan has nothing to do, so no second pull request is ever opened.
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

const VALUES = { DOCKERHUB_USERNAME: "acme-ci", DOCKERHUB_TOKEN: "hub-proposal-safety-value" };
const GH_BRANCH = "sourcelinks/docker-hub-acme-api";
const BB_BRANCH = "sourcelinks/bitbucket-pipelines";
const HELD = /^branch sourcelinks\/\S+ of \S+ has commits not written by sourcelinks; delete it or merge it$/;

const MAIN_RULE = {
  sourceType: "branch",
  source: "main",
  tag: "latest",
  dockerfile: "Dockerfile",
  context: "/",
  autobuild: true,
  cache: false,
} as const;
const TAG_RULE = { ...MAIN_RULE, sourceType: "tag", source: "/^v([0-9.]+)$/", tag: "v{\\1}" } as const;

function githubBuild(rules: BuildSpec["rules"] = [MAIN_RULE]): BuildSpec {
  return {
    image: "acme/api",
    provider: "github",
    repository: "acme/api",
    autotest: "off",
    rules,
    env: {},
    secrets: {},
    registry: { login: "token" },
    secretScope: "repository",
  };
}

function bitbucketBuild(rules: BuildSpec["rules"] = [MAIN_RULE]): BuildSpec {
  return { ...githubBuild(rules), image: "acme/mobile", provider: "bitbucket", repository: "acme-team/mobile" };
}

async function plan(builds: BuildSpec[]) {
  const ctx = createOperationContext({ ...demoConfig(), builds }, { ...sandbox.env, ...VALUES });
  const plans = await planReplacements(ctx, builds);
  return { ctx, plan: plans[0]!, steps: plans.flatMap((p) => p.steps) };
}

/** Plans and sends every step, as apply does; fails the test on a failed step. */
async function apply(builds: BuildSpec[]): Promise<string[]> {
  const { ctx, steps } = await plan(builds);
  const result = await executeReplacementSteps(ctx, steps);
  expect(result.failed).toBeNull();
  return steps.map((s) => s.kind);
}

async function gh(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${sandbox.env.SOURCELINKS_GITHUB_API_URL}${path}`, {
    method,
    headers: { authorization: `token ${sandbox.env.GITHUB_TOKEN}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
  const text = await res.text();
  return text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
}

async function bb(method: string, path: string, form?: Record<string, string>): Promise<void> {
  const basic = Buffer.from(`${sandbox.env.BITBUCKET_EMAIL}:${sandbox.env.BITBUCKET_API_TOKEN}`).toString("base64");
  const res = await fetch(`${sandbox.env.SOURCELINKS_BITBUCKET_API_URL}/repositories/acme-team/mobile${path}`, {
    method,
    headers: { authorization: `Basic ${basic}`, ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
    ...(form ? { body: new URLSearchParams(form).toString() } : {}),
  });
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
}

/** Someone else's commit on `branch` of acme/api: a file of their own, with a message of their own. */
async function pushOnGithub(branch: string): Promise<string> {
  const put = await gh("PUT", "/repos/acme/api/contents/notes/todo.md", {
    message: "Someone's notes",
    content: Buffer.from("mine\n").toString("base64"),
    branch,
  });
  return (put.commit as { sha: string }).sha;
}

function githubHead(branch: string): string | undefined {
  return githubRepo(sandbox.world(), "acme/api").git?.branches[branch];
}

function bitbucketRepo() {
  const repo = sandbox.world().bitbucket.repos.find((r) => r.workspace === "acme-team" && r.slug === "mobile");
  if (!repo) throw new Error("no acme-team/mobile in the sandbox world");
  return repo;
}

describe("a GitHub proposal's branch", () => {
  it("is held back, with nothing written, when a pull request closed unmerged left someone else's commit on it", async () => {
    await apply([githubBuild()]);
    const theirs = await pushOnGithub(GH_BRANCH);
    await gh("PATCH", "/repos/acme/api/pulls/1", { state: "closed" });

    // The rules change: a reset would drop their commit, a write on top would bury it in a new proposal.
    const changed = [githubBuild([TAG_RULE])];
    const held = await plan(changed);
    expect(held.plan.observed.held).toMatch(HELD);
    expect(held.plan.observed.pullRequest).toMatchObject({ number: 1, state: "closed", headSha: theirs });
    expect(held.steps).toEqual([]);
    await apply(changed);
    expect(githubHead(GH_BRANCH)).toBe(theirs);
    expect(githubRepo(sandbox.world(), "acme/api").pulls?.map((p) => p.state)).toEqual(["closed"]);
  });

  it("keeps an open pull request someone pushed to as it is, and holds it back rather than write over their commit when the rules change", async () => {
    await apply([githubBuild()]);
    const theirs = await pushOnGithub(GH_BRANCH);
    // Nothing to write: the branch still holds the rendered file, and the pull request is open.
    const same = await plan([githubBuild()]);
    expect(same.plan.observed).toMatchObject({ state: "proposed", held: null, branchUse: "keep" });
    expect(same.steps).toEqual([]);

    const changed = [githubBuild([TAG_RULE])];
    const held = await plan(changed);
    expect(held.plan.observed.held).toMatch(HELD);
    expect(held.steps).toEqual([]);
    await apply(changed);
    expect(githubHead(GH_BRANCH)).toBe(theirs);
    expect(githubRepo(sandbox.world(), "acme/api").pulls?.map((p) => p.state)).toEqual(["open"]);
  });

  it("is held back, with no secret set either, when a branch of that name was made for another reason", async () => {
    const main = (await gh("GET", "/repos/acme/api/git/ref/heads/main")).object as { sha: string };
    await gh("POST", "/repos/acme/api/git/refs", { ref: `refs/heads/${GH_BRANCH}`, sha: main.sha });
    const theirs = await pushOnGithub(GH_BRANCH);

    const held = await plan([githubBuild()]);
    expect(held.plan.observed).toMatchObject({ state: "absent", pullRequest: null });
    expect(held.plan.observed.held).toBe(`branch ${GH_BRANCH} of acme/api has commits not written by sourcelinks; delete it or merge it`);
    expect(held.steps).toEqual([]);
    await apply([githubBuild()]);
    const repo = githubRepo(sandbox.world(), "acme/api");
    expect([repo.git?.branches[GH_BRANCH], repo.pulls ?? [], repo.secrets ?? []]).toEqual([theirs, [], []]);
  });

  it("is reset to the default branch and proposed again when its head is the head a merged pull request took in", async () => {
    await apply([githubBuild()]);
    const mergedHead = githubHead(GH_BRANCH);
    await gh("PUT", "/repos/acme/api/pulls/1/merge", {});

    const changed = [githubBuild([TAG_RULE])];
    const reuse = await plan(changed);
    expect(reuse.plan.observed).toMatchObject({ held: null, branchUse: "reset", pullRequest: { state: "merged", headSha: mergedHead } });
    expect(await apply(changed)).toEqual(["proposal-branch", "proposal-file", "proposal-pull-request"]);
    const repo = githubRepo(sandbox.world(), "acme/api");
    const head = repo.git?.commits[repo.git.branches[GH_BRANCH]!];
    // One commit on the default branch's head: the merged history stays where the merge put it.
    expect(head?.parents).toEqual([repo.git?.branches.main]);
    expect(repo.pulls?.map((p) => [p.number, p.state, p.merged])).toEqual([
      [1, "closed", true],
      [2, "open", false],
    ]);
    expect((await plan(changed)).steps).toEqual([]);
  });

  it("is updated in place when it is sourcelinks' own and unchanged since, with or without a pull request closed unmerged", async () => {
    // An apply interrupted after the file was written: the branch is ours, no pull request yet.
    const first = await plan([githubBuild()]);
    const written = first.steps.filter((s) => s.kind !== "proposal-pull-request");
    expect((await executeReplacementSteps(first.ctx, written)).failed).toBeNull();
    const ours = githubHead(GH_BRANCH);

    const changed = [githubBuild([TAG_RULE])];
    const update = await plan(changed);
    expect(update.plan.observed).toMatchObject({ held: null, branchUse: "update" });
    expect(await apply(changed)).toEqual(["proposal-file", "proposal-pull-request"]);
    const repo = githubRepo(sandbox.world(), "acme/api");
    expect(repo.git?.commits[repo.git.branches[GH_BRANCH]!]?.parents).toEqual([ours]);
    expect((await plan(changed)).steps).toEqual([]);

    // Its pull request closed unmerged, with nothing pushed since: proposed again from the same branch.
    await gh("PATCH", "/repos/acme/api/pulls/1", { state: "closed" });
    const before = githubHead(GH_BRANCH);
    expect(await apply([githubBuild()])).toEqual(["proposal-file", "proposal-pull-request"]);
    expect(githubRepo(sandbox.world(), "acme/api").git?.commits[githubHead(GH_BRANCH)!]?.parents).toEqual([before]);
    expect(githubRepo(sandbox.world(), "acme/api").pulls?.map((p) => p.state)).toEqual(["closed", "open"]);
    expect((await plan([githubBuild()])).steps).toEqual([]);
  });
});

describe("a Bitbucket proposal's branch", () => {
  const someoneCommits = (branch: string) => bb("POST", "/src", { message: "Someone's notes", branch, "notes/todo.md": "mine\n" });

  it("is held back, with nothing written, when a declined pull request left someone else's commit on it", async () => {
    await apply([bitbucketBuild()]);
    await someoneCommits(BB_BRANCH);
    const theirs = bitbucketRepo().git?.branches[BB_BRANCH];
    await bb("POST", "/pullrequests/1/decline");

    const changed = [bitbucketBuild([TAG_RULE])];
    const held = await plan(changed);
    expect(held.plan.observed.held).toMatch(HELD);
    expect(held.plan.observed.pullRequest).toMatchObject({ number: 1, state: "closed", headSha: theirs });
    expect(held.steps).toEqual([]);
    await apply(changed);
    expect(bitbucketRepo().git?.branches[BB_BRANCH]).toBe(theirs);
    expect(bitbucketRepo().pulls?.map((p) => p.state)).toEqual(["DECLINED"]);
  });

  it("is held back when a branch of that name was made for another reason", async () => {
    await someoneCommits(BB_BRANCH);
    const theirs = bitbucketRepo().git?.branches[BB_BRANCH];
    const held = await plan([bitbucketBuild()]);
    expect(held.plan.observed.held).toBe(
      `branch ${BB_BRANCH} of acme-team/mobile has commits not written by sourcelinks; delete it or merge it`,
    );
    expect(held.steps).toEqual([]);
    await apply([bitbucketBuild()]);
    expect([bitbucketRepo().git?.branches[BB_BRANCH], bitbucketRepo().pulls ?? [], bitbucketRepo().variables ?? []]).toEqual([
      theirs,
      [],
      [],
    ]);
  });

  it("is written on top and proposed again when its head is the head a merged pull request took in", async () => {
    await apply([bitbucketBuild()]);
    const mergedHead = bitbucketRepo().git?.branches[BB_BRANCH];
    await bb("POST", "/pullrequests/1/merge");

    const changed = [bitbucketBuild([TAG_RULE])];
    const reuse = await plan(changed);
    expect(reuse.plan.observed).toMatchObject({ held: null, branchUse: "reset", pullRequest: { state: "merged", headSha: mergedHead } });
    expect(await apply(changed)).toEqual(["proposal-file", "proposal-pull-request"]);
    expect(bitbucketRepo().pulls?.map((p) => [p.id, p.state])).toEqual([
      [1, "MERGED"],
      [2, "OPEN"],
    ]);
    expect((await plan(changed)).steps).toEqual([]);
  });

  it("is updated in place when it is sourcelinks' own and unchanged since", async () => {
    const first = await plan([bitbucketBuild()]);
    const written = first.steps.filter((s) => s.kind === "proposal-file");
    expect((await executeReplacementSteps(first.ctx, written)).failed).toBeNull();
    const ours = bitbucketRepo().git?.branches[BB_BRANCH];

    const changed = [bitbucketBuild([TAG_RULE])];
    expect((await plan(changed)).plan.observed).toMatchObject({ held: null, branchUse: "update" });
    expect((await apply(changed)).slice(0, 2)).toEqual(["proposal-file", "proposal-pull-request"]);
    const git = bitbucketRepo().git;
    expect(git?.commits[git.branches[BB_BRANCH]!]?.parents).toEqual([ours]);
    expect(bitbucketRepo().pulls?.map((p) => p.state)).toEqual(["OPEN"]);
    expect((await plan(changed)).steps).toEqual([]);
  });
});
