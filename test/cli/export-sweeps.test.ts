/** `export --sweeps`: one sweep per owner the exported links build from, which plan then sweeps. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli as runProgram } from "../../cli/program.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { EXAMPLE, ROOT } from "../support/cli-harness.js";

let sandbox: SandboxHandle;

async function runCli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runProgram(
    args,
    {
      out: (text) => void (stdout += `${text}\n`),
      err: (text) => void (stderr += `${text}\n`),
      progress: () => undefined,
      interactive: false,
      ask: () => Promise.reject(new Error("no terminal in tests")),
      env: { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" },
    },
    ROOT,
  );
  return { code, stdout, stderr };
}

beforeAll(async () => {
  sandbox = await startSandbox({});
});

afterAll(async () => {
  await sandbox?.close();
});

it("export --sweeps declares a sweep per owner seen; plan on it shows only the sweep's deletions; without the flag there is none", async () => {
  const plain = await runCli(["export", "--config", EXAMPLE]);
  expect(plain.code, plain.stderr).toBe(0);
  expect(plain.stdout).not.toContain("sweeps:");

  const run = await runCli(["export", "--config", EXAMPLE, "--sweeps"]);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/\nsweeps:\n {2}- provider: github\n {4}owner: acme\n {2}- provider: bitbucket\n {4}owner: acme-team\n+$/);
  expect(run.stdout).toContain("NOTE: sweeps: one per owner the links build from");
  const file = join(mkdtempSync(join(tmpdir(), "sourcelinks-export-sweeps-")), "live.yaml");
  writeFileSync(file, run.stdout);
  const plan = await runCli(["plan", file, "--format", "json"]);
  expect(plan.code, plan.stderr).toBe(0);
  const resources = (
    JSON.parse(plan.stdout) as { resources: { resource: string; name: string; steps: { kind: string; repository?: string }[] }[] }
  ).resources;
  // Only the sweep has changes: the orphan on acme/old-site and the unlinked legacy link's leftovers (its record names them, no declaration does).
  const steps = resources.flatMap((r) => r.steps.map((s) => [r.resource, r.name, s.kind, s.repository]));
  expect(steps.every(([resource, name]) => resource === "sweep" && name === "sweep-github-acme")).toBe(true);
  expect([...new Set(steps.map((s) => s[3]))].sort()).toEqual([
    "acme/legacy-api",
    "acme/legacy-web",
    "acme/legacy-worker",
    "acme/old-site",
  ]);
  expect(steps).toHaveLength(7);
});
