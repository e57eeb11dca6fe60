import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { EXAMPLE, ensureBuilt, runCli } from "../support/cli-harness.js";

let sandbox: SandboxHandle;
let env: Record<string, string>;
let file: string;

beforeAll(async () => {
  await ensureBuilt();
  sandbox = await startSandbox();
  env = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" };
  // The demo config, with contractor-co (which denies the app) no longer declared, and a live link building from it.
  const text = readFileSync(EXAMPLE, "utf8")
    .replace("repositories: [acme/api, acme/web]", "repositories: [acme/api, acme/web, contractor-co/site]")
    .replace("  - { org: contractor-co, provider: github, app: github, access: denied }\n", "");
  if (!text.includes("contractor-co/site") || text.includes("org: contractor-co")) throw new Error("the example changed: update this test");
  file = join(mkdtempSync(join(tmpdir(), "sourcelinks-undeclared-")), "sourcelinks.yaml");
  writeFileSync(file, text);
}, 240_000);
afterAll(async () => {
  await sandbox.close();
});

describe("an org that denies the app but is not declared in orgAccess", () => {
  it("is observed for the live links' repositories, and check --live reports it (exit 3)", async () => {
    const run = await runCli(["check", file, "--live", "--format", "json"], env);
    expect(run.code, run.stderr).toBe(3);
    const report = JSON.parse(run.stdout) as { violations: { ruleId: string; message: string }[] };
    const found = report.violations.filter((v) => v.ruleId === "linked-repos-have-org-access");
    expect(found.map((v) => v.message)).toEqual([
      'link "acme-builds" builds from contractor-co/site, but org "contractor-co", which orgAccess does not declare, denies the build service\'s github app (observed via build-service): remove contractor-co/site from the link, or have an org owner approve the app at GitHub → contractor-co → Settings → Third-party access (https://github.com/organizations/contractor-co/settings/oauth_application_policy) and declare it in orgAccess with access: granted',
    ]);
  });

  it("offline, check cannot know it (exit 0 for that rule)", async () => {
    const run = await runCli(["check", file, "--format", "json"], env);
    const report = JSON.parse(run.stdout) as { violations: { ruleId: string }[] };
    expect(report.violations.filter((v) => v.ruleId === "linked-repos-have-org-access")).toEqual([]);
  });
});
