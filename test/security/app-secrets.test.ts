/**
 * The secrets canary for GitHub App credentials: with the canary demo world and a GitHub
 * App installed on its orgs, every CLI command runs with the app's key (a run-time key pair, never
 * committed) instead of a token. No line of the private key and no installation token the sandbox
 * issued during the runs appears in any output, in the saved plan, or in the ETag cache the runs
 * persisted; the sandbox's PATs stay out of the environment, so every GitHub call went through the app.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { appKeyPair } from "../support/github-app-harness.js";
import { EXAMPLE } from "../support/cli-harness.js";
import { ensureBuilt } from "../support/ensure-built.js";
import { CanarySet, type Output } from "./canaries.js";
import { canaryDemoWorld } from "./canary-world.js";
import { capture, captureAll, describeRun, filesUnder, type CapturedRun } from "./cli-capture.js";

const BUILD_TIMEOUT_MS = 240_000;
const canaries = new CanarySet();
const demo = canaryDemoWorld(canaries);
const keys = appKeyPair();
// Every line of the key's body but the first (which encodes only the key's type and size, alike for every RSA key).
keys.privateKey
  .split("\n")
  .filter((l) => l.length >= 16 && !l.startsWith("-----"))
  .slice(1)
  .forEach((line, i) => canaries.add(`GitHub App private key, line ${i + 2}`, line));

let tmp: string;
let sandbox: SandboxHandle;

beforeAll(async () => {
  await ensureBuilt(["dist/cli/main.js"]);
  tmp = mkdtempSync(join(tmpdir(), "sourcelinks-app-secrets-"));
  const world = structuredClone(demo.world);
  world.github.apps = [
    {
      id: 424242,
      slug: "sourcelinks",
      publicKey: keys.publicKey,
      installations: ["acme", "contractor-co"].map((owner, i) => ({
        id: 7001 + i,
        owner,
        permissions: { metadata: "read", repository_hooks: "write", administration: "write", organization_hooks: "write" },
      })),
    },
  ];
  sandbox = await startSandbox({ seed: world });
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await sandbox?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** The basic example with providers.github authenticating as the app (key by env var, or by file). */
function appConfig(name: string, key: string): string {
  const text = readFileSync(EXAMPLE, "utf8").replace(
    "  github: { apiUrl: https://api.github.com, tokenEnv: GITHUB_TOKEN }",
    `  github:\n    apiUrl: https://api.github.com\n    auth: { appId: 424242, ${key} }`,
  );
  const file = join(tmp, name);
  writeFileSync(file, text);
  return file;
}

describe("GitHub App credentials, through every CLI command", () => {
  it("plan, check, export, apply and a second plan print no line of the app's key and no installation token; the saved plan and the ETag cache hold none", async () => {
    writeFileSync(join(tmp, "app.pem"), keys.privateKey, { mode: 0o600 });
    const byEnv = appConfig("by-env.yaml", "privateKeyEnv: SOURCELINKS_GITHUB_APP_KEY");
    const byFile = appConfig("by-file.yaml", "privateKeyFile: app.pem");
    const { GITHUB_TOKEN: _pat, ...sandboxEnv } = sandbox.env;
    const home = mkdtempSync(join(tmp, "home-"));
    const env = { ...sandboxEnv, HOME: home, SOURCELINKS_GITHUB_APP_KEY: keys.privateKey };
    const planFile = join(tmp, "saved.plan.json");
    const expect0 = (run: CapturedRun, code: number): void =>
      expect(
        run.code,
        describeRun(run, (t) => canaries.redact(t)),
      ).toBe(code);

    const before = await captureAll(
      "app, before apply",
      [
        ["plan", byEnv, "--format", "json"],
        ["plan", byFile, "--format", "text"],
        ["plan", byEnv, "--format", "markdown", "--out", planFile],
        ["check", byEnv, "--live", "--format", "sarif"],
        ["export", "--config", byEnv],
      ],
      env,
    );
    expect0(before[0]!, 0);
    expect0(before[1]!, 0);
    expect0(before[3]!, 3);
    const applied = await capture("app", ["apply", byEnv, "--yes"], env);
    expect0(applied, 0);
    const after = await captureAll(
      "app, after apply",
      [
        ["plan", byEnv, "--detailed-exitcode"],
        ["check", byEnv, "--live", "--format", "json"],
      ],
      env,
    );
    expect0(after[0]!, 0);

    const world = sandbox.world();
    // The legacy link's webhooks were deleted through acme's installation: tokens were minted and used.
    expect((world.github.installationTokens ?? []).length).toBeGreaterThan(0);
    expect(world.github.repos.find((r) => r.name === "legacy-api")?.hooks.some((h) => h.config.url.includes("cloud.docker.com"))).toBe(
      false,
    );
    canaries.addWorld(world, "sandbox");
    const files: Output[] = [...filesUnder("app", home), { where: "app: saved plan", text: readFileSync(planFile, "utf8") }];
    expect(files.some((f) => f.where.endsWith("etags.json"))).toBe(true);
    const outputs = [...before, applied, ...after].flatMap((r) => r.outputs);
    expect(canaries.report([...outputs, ...files])).toEqual([]);
  }, 120_000);
});
