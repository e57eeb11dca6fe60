/**
 * `--verify-slices N` end to end (in process, over loopback): plan, check and report of a Bitbucket
 * workspace roll through its slices run after run, keep their memory beside the ETag cache, and print
 * what they re-read and how stale the rest may be; a bad N is invalid input.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli as runProgram } from "../../cli/program.js";
import { BITBUCKET_SCALE_WORKSPACE, generateBitbucketScaleWorld } from "../../sandbox/bitbucket-scale-world.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { ROOT } from "./cli-harness.js";

const REPOSITORIES = 40;
let sandbox: SandboxHandle;
let dir: string;
let config: string;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: generateBitbucketScaleWorld({ repositories: REPOSITORIES, artifactsEvery: 10 }) });
  dir = mkdtempSync(join(tmpdir(), "sourcelinks-slices-"));
  config = join(dir, "sourcelinks.yaml");
  writeFileSync(
    config,
    [
      "apiVersion: sourcelinks/v1",
      "buildService:",
      "  kind: docker-hub",
      "  oauthApps: { bitbucket: { key: ScaleConsumerKey, name: Docker Hub Builder } }",
      "providers:",
      "  bitbucket: { usernameEnv: BITBUCKET_EMAIL, tokenEnv: BITBUCKET_API_TOKEN }",
      "links: []",
      `sweeps: [{ provider: bitbucket, owner: ${BITBUCKET_SCALE_WORKSPACE} }]`,
      "",
    ].join("\n"),
  );
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

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
      env: { ...sandbox.env, SOURCELINKS_ETAG_CACHE: join(dir, "etags.json") },
    },
    ROOT,
  );
  return { code, stdout, stderr };
}

describe("--verify-slices", () => {
  it("rolls through the slices across plan, check and report, printing the staleness bound", async () => {
    const first = await runCli(["plan", config, "--verify-slices", "4"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`rolling verification: slice 1 of 4, ${REPOSITORIES} repositories re-read, 0 from earlier runs;`);
    expect(first.stdout).toContain("each is verified at least every 4 runs (at most 3 runs old)");

    const second = await runCli(["plan", config, "--verify-slices", "4"]);
    const reread = Number(/slice 2 of 4, (\d+) repositories re-read/.exec(second.stdout)?.[1]);
    expect(reread).toBeGreaterThanOrEqual(REPOSITORIES / 10);
    expect(reread).toBeLessThan(REPOSITORIES);
    expect(second.stdout).toMatch(/from earlier runs \(oldest read \d{4}-\d\d-\d\dT/);

    // The sweep's orphans are mandatory violations; the staleness line follows the summary.
    const check = await runCli(["check", config, "--live", "--verify-slices", "4"]);
    expect(check.code).toBe(3);
    expect(check.stdout).toContain(
      `sweep sweep-bitbucket-${BITBUCKET_SCALE_WORKSPACE} (bitbucket ${BITBUCKET_SCALE_WORKSPACE}): rolling verification: slice 3 of 4`,
    );

    const report = await runCli(["report", config, "--format", "json", "--verify-slices", "4"]);
    expect(report.code).toBe(0);
    const json = JSON.parse(report.stdout) as { owners: { owner: string; sweeps: { rolling?: { slice: number; boundRuns: number } }[] }[] };
    const owner = json.owners.find((o) => o.owner === BITBUCKET_SCALE_WORKSPACE);
    expect(owner?.sweeps[0]?.rolling).toMatchObject({ slice: 3, boundRuns: 3 });
  });

  it("refuses an N that is not a whole number from 1 to 1,000 (exit 2)", async () => {
    for (const bad of ["0", "1.5", "-3", "1001", "many"]) {
      const run = await runCli(["plan", config, "--verify-slices", bad]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("--verify-slices");
    }
  });
});
