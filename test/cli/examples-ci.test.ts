/** The CI examples are fixtures too: each workflow parses and runs the commands it promises. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { ROOT } from "./cli-harness.js";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { steps: Step[]; permissions?: Record<string, string> }>;
}

function workflow(name: string): Workflow {
  return parse(readFileSync(join(ROOT, "examples/ci", name), "utf8")) as Workflow;
}

function steps(w: Workflow): Step[] {
  return Object.values(w.jobs).flatMap((j) => j.steps);
}

describe("examples/ci/sourcelinks-pr.yml", () => {
  const w = workflow("sourcelinks-pr.yml");

  it("runs on pull requests", () => {
    expect(Object.keys(w.on)).toEqual(["pull_request"]);
  });

  it("validates, checks as SARIF and uploads it with the permission code scanning needs", () => {
    const runs = steps(w).map((s) => s.run ?? "").join("\n");
    expect(runs).toContain("sourcelinks validate sourcelinks/*.yaml");
    expect(runs).toContain("sourcelinks check sourcelinks/*.yaml --format sarif > sourcelinks.sarif");
    const upload = steps(w).find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
    expect(upload?.with?.["sarif_file"]).toBe("sourcelinks.sarif");
    expect(w.jobs["validate-and-check"]?.permissions?.["security-events"]).toBe("write");
  });

  it("posts plan --format markdown as a pull-request comment", () => {
    const runs = steps(w).map((s) => s.run ?? "").join("\n");
    expect(runs).toContain("sourcelinks plan sourcelinks/*.yaml --format markdown --detailed-exitcode > plan.md");
    expect(runs).toContain('gh pr comment "$PR" --body-file plan.md');
    expect(w.jobs["plan"]?.permissions?.["pull-requests"]).toBe("write");
  });
});

describe("examples/ci/pulumi-preview.yml", () => {
  it("previews with the policy pack", () => {
    const runs = steps(workflow("pulumi-preview.yml")).map((s) => s.run ?? "").join("\n");
    expect(runs).toMatch(/pulumi preview .*--policy-pack policies/);
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
