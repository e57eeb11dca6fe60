import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { EXAMPLE, ensureBuilt, runCli } from "../support/cli-harness.js";

let sandbox: SandboxHandle;
let env: Record<string, string>;
let recorded: string;
/** The example without clientSecretEnv: no API can revoke or verify a GitHub grant, so it is a manual step. */
let manual: string;

beforeAll(async () => {
  await ensureBuilt();
  sandbox = await startSandbox();
  // Without the app owner's client secret, no API can revoke or verify a GitHub grant: a manual step.
  env = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" };
  delete env["SOURCELINKS_GITHUB_CLIENT_SECRET"];
  const example = readFileSync(EXAMPLE, "utf8").replace(", clientSecretEnv: SOURCELINKS_GITHUB_CLIENT_SECRET", "");
  if (example.includes("clientSecretEnv")) throw new Error("the example changed: update this test");
  const dir = mkdtempSync(join(tmpdir(), "sourcelinks-recorded-"));
  manual = join(dir, "manual.yaml");
  writeFileSync(manual, example);
  const text = example.replace(
    "    repositories: [acme/legacy-api, acme/legacy-web, acme/legacy-worker]\n",
    "    repositories: [acme/legacy-api, acme/legacy-web, acme/legacy-worker]\n    manualSteps:\n      - { id: revoke-grant:github:legacy-builder, done: 2026-11-20, by: jdoe }\n",
  );
  if (!text.includes("manualSteps:")) throw new Error("the example changed: update this test");
  recorded = join(dir, "sourcelinks.yaml");
  writeFileSync(recorded, text);
}, 240_000);
afterAll(async () => {
  await sandbox.close();
});

const legacyStep = "revoke-grant:github:legacy-builder";

describe("manual steps recorded as done in the YAML", () => {
  it("the plan prints each manual step's stable id", async () => {
    const run = await runCli(["plan", manual], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`       id:    ${legacyStep} (once done, record it under manualSteps)`);
  });

  it("a recorded step is shown as done by hand, not as a step to do, and check no longer reports it", async () => {
    const plan = await runCli(["plan", recorded], env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).not.toContain(`id:    ${legacyStep}`);
    expect(plan.stdout).toContain(
      `  done by hand (recorded in manualSteps, not verifiable by API):\n    - ${legacyStep}: done 2026-11-20 by jdoe\n`,
    );

    const before = await runCli(["check", manual, "--live", "--format", "json"], env);
    const after = await runCli(["check", recorded, "--live", "--format", "json"], env);
    type Report = { violations: { ruleId: string; resource: string }[] };
    const manualOf = (r: Report): string[] =>
      r.violations
        .filter((v) => v.ruleId === "pending-manual-steps" || v.ruleId === "revocation-is-two-sided")
        .map((v) => `${v.ruleId} ${v.resource}`);
    // A relink keeps the person's grant, so acme-builds leaves no step for a person.
    expect(manualOf(JSON.parse(before.stdout) as Report)).toEqual(["pending-manual-steps legacy-builds"]);
    expect(manualOf(JSON.parse(after.stdout) as Report)).toEqual([]);
  });
});
