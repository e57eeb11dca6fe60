/**
 * Advice passes the sharing test deletions pass: against the shared world
 * (test/fixtures/worlds/shared.yaml, where beta's and acme's shared-bot links both build from acme/api),
 * beta's link declared disabled is told to deactivate the build service's webhook on beta/app, which
 * only it builds from, and never the one on acme/api, which acme's live link builds from too.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { ROOT, runCli } from "../support/cli-harness.js";

const SEED = join(ROOT, "test/fixtures/worlds/shared.yaml");
const CONFIG = join(ROOT, "test/fixtures/worlds/shared.sourcelinks.yaml");

let sandbox: SandboxHandle;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: SEED });
});

afterAll(async () => {
  await sandbox?.close();
});

describe("disabled-link-webhooks-inactive", () => {
  it("never tells a disabled link to deactivate a webhook another live link builds from", async () => {
    const text = readFileSync(CONFIG, "utf8").replace(
      /(- name: beta-shared\n(?: {4}.*\n)*? {4}state: )revoked/,
      (_all, head: string) => `${head}disabled`,
    );
    expect(text).toMatch(/name: beta-shared\n(?: {4}.*\n)*? {4}state: disabled/);
    const file = join(mkdtempSync(join(tmpdir(), "sourcelinks-advice-")), "shared.yaml");
    writeFileSync(file, text);

    const run = await runCli(["check", file, "--live", "--format", "json"], { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" });
    expect(run.code, run.stderr).not.toBe(2);
    const { violations } = JSON.parse(run.stdout) as {
      violations: { ruleId: string; resource: string; subject: string; message: string }[];
    };
    const advice = violations.filter((v) => v.ruleId === "disabled-link-webhooks-inactive");
    expect(advice.map((v) => [v.resource, v.subject])).toEqual([["beta-shared", "beta/app"]]);
    expect(advice[0]?.message).toContain("deactivate the webhook");
  });
});
