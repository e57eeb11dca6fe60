/**
 * A configuration that names `clientSecretEnv` asks for grants to be revoked by API. When the variable
 * is unset and a revocation needs it, `plan` and `apply` name the variable and exit 2 before anything
 * is sent, instead of quietly turning the revocation into a manual step.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { EXAMPLE, runCli } from "../support/cli-harness.js";

let sandbox: SandboxHandle;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox();
  env = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" };
  delete env["SOURCELINKS_GITHUB_CLIENT_SECRET"];
});
afterAll(async () => {
  await sandbox.close();
});

/** Requests other than reads that reached the sandbox. */
function writes(): number {
  return Object.entries(sandbox.counters().byEndpoint)
    .filter(([endpoint]) => !endpoint.startsWith("GET ") && !endpoint.includes("graphql"))
    .reduce((sum, [, n]) => sum + n, 0);
}

describe("a named clientSecretEnv that is unset", () => {
  it("plan and apply name the variable and the grant that needs it, exit 2 and send nothing; without it named, the grant is a manual step", async () => {
    const before = writes();
    for (const args of [
      ["plan", EXAMPLE],
      ["apply", EXAMPLE, "--yes"],
    ]) {
      const run = await runCli(args, env);
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(run.stderr).toContain(
        "SOURCELINKS_GITHUB_CLIENT_SECRET is not set: it must hold the GitHub OAuth app's client secret (named by buildService.oauthApps.github.clientSecretEnv), which revoking the grant of legacy-builder (link legacy-builds) needs",
      );
      expect(run.stdout).toBe("");
    }
    expect(writes()).toBe(before);

    // Without clientSecretEnv in the configuration, the same revocation is a manual step.
    const file = join(mkdtempSync(join(tmpdir(), "sourcelinks-client-secret-")), "sourcelinks.yaml");
    writeFileSync(file, readFileSync(EXAMPLE, "utf8").replace(", clientSecretEnv: SOURCELINKS_GITHUB_CLIENT_SECRET", ""));
    const run = await runCli(["plan", file], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("id:    revoke-grant:github:legacy-builder");
  });
});
