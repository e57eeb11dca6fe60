/**
 * The CI examples are fixtures too: each workflow parses, has least permissions, a concurrency group
 * and current major versions, and the `sourcelinks` commands of its shell steps run against the
 * sandbox in the order the workflows run them (plan saved in the PR workflow, applied on merge).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../tools/sandbox/index.js";
import { EXAMPLE, ROOT, ensureBuilt, runCli } from "./cli-harness.js";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, { steps: Step[]; permissions?: Record<string, string> }>;
}

function workflow(name: string): Workflow {
  return parse(readFileSync(join(ROOT, "examples/ci", name), "utf8")) as Workflow;
}

function steps(w: Workflow): Step[] {
  return Object.values(w.jobs).flatMap((j) => j.steps);
}

/** Every `sourcelinks …` command line of the workflow's shell steps, in order. */
function commands(w: Workflow): string[][] {
  return steps(w)
    .flatMap((s) => (s.run ?? "").split("\n"))
    .map((l) => /npx --no-install sourcelinks (.+?)(?: >|$)/.exec(l.trim())?.[1])
    .filter((c): c is string => c !== undefined)
    .map((c) => c.split(/\s+/));
}

const CURRENT = {
  "actions/checkout": 5,
  "actions/setup-node": 5,
  "github/codeql-action/upload-sarif": 4,
  "actions/upload-artifact": 4,
} as const;

describe.each(["sourcelinks-pr.yml", "sourcelinks-apply.yml"])("examples/ci/%s", (name) => {
  const w = workflow(name);

  it("reads contents only at the top, has a concurrency group, builds after npm ci, and uses current major versions", () => {
    expect(w.permissions).toEqual({ contents: "read" });
    expect(w.concurrency?.group).toMatch(/^sourcelinks-/);
    for (const job of Object.values(w.jobs)) {
      const runs = job.steps.map((s) => s.run ?? "");
      expect(runs.indexOf("npm run build --if-present")).toBe(runs.indexOf("npm ci") + 1);
    }
    for (const step of steps(w)) {
      if (!step.uses) continue;
      const [action, version] = step.uses.split("@") as [keyof typeof CURRENT, string];
      expect(CURRENT[action], step.uses).toBeDefined();
      expect(version, step.uses).toBe(`v${CURRENT[action]}`);
    }
  });
});

describe("the workflows' commands against the sandbox", () => {
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    await ensureBuilt();
    sandbox = await startSandbox({});
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it("PR: validate, check --live (SARIF), plan --out; on merge: apply --plan converges", async () => {
    const pr = commands(workflow("sourcelinks-pr.yml"));
    const apply = commands(workflow("sourcelinks-apply.yml"));
    expect(pr.map((c) => c[0])).toEqual(["validate", "check", "plan"]);
    expect(apply).toEqual([["apply", "--plan", "sourcelinks.plan.json", "--yes"]]);
    const cwd = mkdtempSync(join(tmpdir(), "sourcelinks-ci-"));
    const env = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off", PATH: process.env.PATH ?? "" };
    const expected: Record<string, number[]> = { validate: [0], check: [3], plan: [4] };
    for (const command of pr) {
      const run = await runCli(
        command.map((a) => (a === "sourcelinks/*.yaml" ? EXAMPLE : a)),
        env,
        { cwd },
      );
      expect(expected[command[0] as string], `${command.join(" ")}: ${run.stderr}`).toContain(run.code);
    }
    const applied = await runCli(apply[0] as string[], env, { cwd });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain("Apply complete: 12 requests sent.");
  });
});

describe("examples/ci/pulumi-preview.yml", () => {
  it("previews with the policy pack", () => {
    const text = readFileSync(join(ROOT, "examples/ci/pulumi-preview.yml"), "utf8");
    expect(text).toMatch(/policy-pack/);
  });

  it("builds before previewing, and refreshes so stack policies judge fresh outputs", () => {
    const runs = steps(workflow("pulumi-preview.yml")).map((s) => s.run ?? "");
    const build = runs.indexOf("npm run build");
    const preview = runs.findIndex((r) => r.startsWith("pulumi preview"));
    expect(build).toBeGreaterThan(runs.indexOf("npm ci"));
    expect(preview).toBeGreaterThan(build);
    expect(runs[preview]).toContain(" --refresh ");
  });
});
