/**
 * `apply --plan PLAN` reads the configuration the plan recorded, wherever it is run from: the built bin
 * plans with a relative file argument in one directory and applies the saved plan from another.
 */
import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { EXAMPLE, ensureBuilt, runBin } from "../support/cli-harness.js";

let sandbox: SandboxHandle;
let env: Record<string, string>;

beforeAll(async () => {
  await ensureBuilt();
  sandbox = await startSandbox({});
  env = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" };
}, 240_000);
afterAll(async () => {
  await sandbox.close();
});

describe("apply --plan from another directory", () => {
  it("reads and applies the configuration the plan was made from", async () => {
    const root = mkdtempSync(join(tmpdir(), "sourcelinks-plan-dir-"));
    const reviewed = join(root, "review");
    const elsewhere = join(root, "elsewhere");
    mkdirSync(reviewed);
    mkdirSync(elsewhere);
    copyFileSync(EXAMPLE, join(reviewed, "sourcelinks.yaml"));

    const plan = await runBin(["plan", "sourcelinks.yaml", "--out", "plan.json"], env, { cwd: reviewed });
    expect(plan.code, plan.stderr).toBe(0);
    const apply = await runBin(["apply", "--plan", join(reviewed, "plan.json"), "--yes"], env, { cwd: elsewhere });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toContain("Apply complete:");
    const legacy = sandbox.world().github.repos.find((r) => r.owner === "acme" && r.name === "legacy-api");
    expect(legacy?.keys).toEqual([]);
  });
});
