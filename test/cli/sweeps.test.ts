/**
 * Sweeps end to end: the CLI (in process, through the same entry point as the bin) over
 * loopback against the sweep world of test/fixtures/worlds/sweep.yaml: orphans on undeclared
 * repositories, an org's own webhook, an archived repository, an excluded repository, foreign webhooks
 * that look like the build service's, a GitHub user and a Bitbucket workspace. check --live reports each
 * orphan, plan shows their deletions, apply deletes them, and a second plan has nothing to do.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli as runProgram } from "../../cli/program.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { ROOT } from "../support/cli-harness.js";

const SEED = join(ROOT, "test/fixtures/worlds/sweep.yaml");
const CONFIG = join(ROOT, "test/fixtures/worlds/sweep.sourcelinks.yaml");
const VCS = "https://cloud.docker.com/api/build/v1/vcs/22222222-aaaa-4bbb-8ccc-";
const hookUrl = (n: string): string => `${VCS}${n}/trigger/call/`;

const formats = addFormats as unknown as (ajv: object) => void;
const ajv = new Ajv({ allErrors: true });
formats(ajv);
const validatePlan = ajv.compile(JSON.parse(readFileSync(join(ROOT, "schema/plan.schema.json"), "utf8")) as object);

let sandbox: SandboxHandle;

async function runCli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const line = (text: string): string => (text.endsWith("\n") ? text : `${text}\n`);
  const code = await runProgram(
    args,
    {
      out: (text) => void (stdout += line(text)),
      err: (text) => void (stderr += line(text)),
      progress: () => undefined,
      interactive: false,
      ask: () => Promise.reject(new Error("no terminal in tests")),
      env: { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" },
    },
    ROOT,
  );
  return { code, stdout, stderr };
}

/** Every webhook URL and deploy key title left in the sandbox, by where it is. */
function everything(): Record<string, string[]> {
  const world = sandbox.world();
  const out: Record<string, string[]> = {};
  for (const r of world.github.repos)
    out[`${r.owner}/${r.name}`] = [...r.hooks.map((h) => h.config.url), ...r.keys.map((k) => `key:${k.title}`)];
  for (const o of world.github.orgs) out[`org:${o.login}`] = (o.hooks ?? []).map((h) => h.config.url);
  for (const r of world.bitbucket.repos)
    out[`${r.workspace}/${r.slug}`] = [...r.hooks.map((h) => h.url), ...r.keys.map((k) => `key:${k.label}`)];
  return out;
}

interface SweepResource {
  resource: string;
  name: string;
  hasChanges: boolean;
  steps: { kind: string; repository?: string; org?: string; url?: string; title?: string }[];
  manualSteps: { id: string }[];
  kept?: { repository?: string; keptFor: string[] }[];
  observed: {
    repositoriesSwept: number;
    repositoriesExcluded: number;
    foreignWebhookCount: number;
    artifacts: { repository: string | null; classification: string; target: string }[];
  };
}

async function plan(): Promise<{ resources: SweepResource[]; summary: { sweeps: number; hasChanges: boolean } }> {
  const run = await runCli(["plan", CONFIG, "--format", "json"]);
  expect(run.code, run.stderr).toBe(0);
  const parsed = JSON.parse(run.stdout) as { resources: SweepResource[]; summary: { sweeps: number; hasChanges: boolean } };
  expect(validatePlan(parsed), JSON.stringify(validatePlan.errors)).toBe(true);
  return parsed;
}

function sweep(resources: readonly SweepResource[], name: string): SweepResource {
  const found = resources.find((r) => r.resource === "sweep" && r.name === name);
  if (!found) throw new Error(`no sweep ${name} in the plan`);
  return found;
}

beforeAll(async () => {
  sandbox = await startSandbox({ seed: SEED });
});

afterAll(async () => {
  await sandbox?.close();
});

beforeEach(async () => {
  await sandbox.reset();
});

describe("sweeps against the sandbox", () => {
  it("check --live reports one mandatory finding per orphan or leftover, located at the sweep, and nothing covered, foreign, excluded or left to a revoked link", async () => {
    const run = await runCli(["check", CONFIG, "--live", "--format", "json"]);
    expect(run.code, run.stderr).toBe(3);
    const report = JSON.parse(run.stdout) as {
      violations: {
        ruleId: string;
        enforcement: string;
        resource: string;
        subject: string;
        message: string;
        location: { line: number } | null;
      }[];
    };
    const found = report.violations.filter((v) => v.ruleId === "no-orphaned-build-service-artifacts");
    expect(found.map((v) => [v.resource, v.subject, v.enforcement, v.location?.line])).toEqual([
      ["sweep-github-acme", "acme/tool", "mandatory", 34],
      ["sweep-github-acme", "acme/forgotten", "mandatory", 34],
      ["sweep-github-acme", "acme/forgotten", "mandatory", 34],
      ["sweep-github-acme", "acme/frozen", "mandatory", 34],
      ["sweep-github-acme", "acme", "mandatory", 34],
      ["operator-repos", "ops/dotfiles", "mandatory", 35],
      ["sweep-bitbucket-acme-team", "acme-team/mobile", "mandatory", 36],
    ]);
    expect(found[1]?.message).toBe(
      `sweep "sweep-github-acme": build-service webhook ${sandbox.world().github.repos.find((r) => r.name === "forgotten")?.hooks[0]?.id} (${hookUrl("000000000004")}) on acme/forgotten is orphaned: ` +
        "nothing names it: no link, declared or on the build service, builds from acme/forgotten: run sourcelinks apply (or pulumi up) to delete it, or declare a live link that builds from acme/forgotten if it is still needed",
    );
    expect(found[0]?.message).toContain("is leftover: it was left by acme/");
    expect(found[3]?.message).toContain("on acme/frozen (archived) is orphaned");
    expect(found[3]?.message).toMatch(
      /: unarchive acme\/frozen, run sourcelinks apply \(or pulumi up\) to delete it, then archive the repository again$/,
    );
    expect(found[4]?.message).toContain(
      `of org acme is orphaned: an org's own webhook serves no link: run sourcelinks apply (or pulumi up) to delete it`,
    );
  });

  it("plan shows the deletions (an org webhook step among them) and the unarchive step; apply deletes exactly those; a second plan has no changes", async () => {
    const before = everything();
    const first = await plan();
    expect(first.summary.sweeps).toBe(3);
    const acme = sweep(first.resources, "sweep-github-acme");
    expect(acme.steps.map((s) => [s.kind, s.repository ?? s.org, s.url ?? s.title])).toEqual([
      ["delete-webhook", "acme/tool", hookUrl("000000000003")],
      ["delete-webhook", "acme/forgotten", hookUrl("000000000004")],
      ["delete-deploy-key", "acme/forgotten", "Docker Hub Builder (acme/forgotten)"],
      ["delete-org-webhook", "acme", hookUrl("0000000000f0")],
    ]);
    expect(acme.manualSteps.map((m) => m.id)).toEqual(["unarchive:github:acme:frozen"]);
    expect(acme.kept?.map((k) => [k.repository, k.keptFor])).toEqual([
      ["acme/api", ["acme-api", expect.stringMatching(/^acme\/\d+ \(acme-builder\)$/)]],
      ["acme/api", ["acme-api", expect.stringMatching(/^acme\/\d+ \(acme-builder\)$/)]],
    ]);
    expect([acme.observed.repositoriesSwept, acme.observed.repositoriesExcluded, acme.observed.foreignWebhookCount]).toEqual([5, 1, 3]);
    expect(sweep(first.resources, "operator-repos").steps.map((s) => [s.kind, s.repository])).toEqual([["delete-webhook", "ops/dotfiles"]]);
    expect(sweep(first.resources, "sweep-bitbucket-acme-team").steps.map((s) => [s.kind, s.repository, s.title])).toEqual([
      ["delete-deploy-key", "acme-team/mobile", "Docker Hub Builder"],
    ]);

    const text = await runCli(["plan", CONFIG]);
    expect(text.stdout).toContain("sweep sweep-github-acme: no-orphans, 4 changes");
    expect(text.stdout).toMatch(
      /- delete webhook \d+ of org acme \(https:\/\/cloud\.docker\.com\/api\/build\/v1\/vcs\/22222222-aaaa-4bbb-8ccc-0000000000f0\/trigger\/call\/\)\n\s+DELETE http:\/\/127\.0\.0\.1:\d+\/github\/orgs\/acme\/hooks\/\d+/,
    );
    const markdown = await runCli(["plan", CONFIG, "--format", "markdown"]);
    expect(markdown.stdout).toContain("sweep `sweep-github-acme`");

    const apply = await runCli(["apply", CONFIG, "--yes"]);
    expect(apply.code, apply.stderr + apply.stdout).toBe(0);
    expect(apply.stdout).toContain("sweep sweep-github-acme: done");

    const after = everything();
    // Deleted: the sweeps' orphans and leftovers, and the revoked link's own leftover on acme/old-api.
    expect(after["acme/tool"]).toEqual([]);
    expect(after["acme/forgotten"]).toEqual(
      before["acme/forgotten"]?.filter((a) => a !== hookUrl("000000000004") && a !== "key:Docker Hub Builder (acme/forgotten)"),
    );
    expect(after["acme/forgotten"]).toHaveLength(3);
    expect(after["org:acme"]).toEqual(["https://chat.acme.example/hooks/github"]);
    expect(after["ops/dotfiles"]).toEqual([]);
    expect(after["acme-team/mobile"]).toEqual(["https://registry.hub.docker.com/hooks/bitbucket.example/", "key:laptop"]);
    expect(after["acme/old-api"]).toEqual([]);
    // Kept: the live link's, the archived repository's and the excluded repository's.
    for (const kept of ["acme/api", "acme/frozen", "acme/sandbox-x"]) expect(after[kept]).toEqual(before[kept]);

    const second = await plan();
    expect(second.resources.filter((r) => r.resource === "sweep").map((r) => [r.name, r.hasChanges])).toEqual([
      ["sweep-github-acme", false],
      ["operator-repos", false],
      ["sweep-bitbucket-acme-team", false],
    ]);
    const detailed = await runCli(["plan", CONFIG, "--detailed-exitcode"]);
    expect(detailed.code, detailed.stdout).toBe(0);
  });

  it("an archived repository refuses writes, as GitHub does: a hand-made delete there is answered 403", async () => {
    const world = sandbox.world();
    const frozen = world.github.repos.find((r) => r.name === "frozen");
    const token = world.github.tokens.find((t) => t.login === "ops" && t.kind === "pat")?.token;
    const response = await fetch(`${sandbox.baseUrl}/github/repos/acme/frozen/hooks/${frozen?.hooks[0]?.id}`, {
      method: "DELETE",
      headers: { authorization: `token ${token}` },
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { message: string }).message).toBe("Repository was archived so is read-only.");
  });

  it("a sweep of an owner that does not exist fails the run (exit 1) naming the sweep's line", async () => {
    const text = readFileSync(CONFIG, "utf8").replace("owner: ops }", "owner: nobody-here }");
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const file = join(mkdtempSync(join(tmpdir(), "sourcelinks-sweep-")), "c.yaml");
    writeFileSync(file, text);
    const run = await runCli(["plan", file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `${file}:35:5: sweep operator-repos: github owner "nobody-here" does not exist or the token cannot see it (404): fix the owner, or give the token read access to its repositories.`,
    );
  });
});
