/** `check --policy-config`: the pack's JSON config sets the CLI's levels the same way. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePolicyConfig } from "../../cli/policy-config.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { EXAMPLE, ensureBuilt, runCli } from "../support/cli-harness.js";

describe("parsePolicyConfig", () => {
  it("reads levels as the pack does: the rule's name, then its -stack twin, then all; remediate is mandatory", () => {
    const options = parsePolicyConfig(
      JSON.stringify({
        all: "advisory",
        "revocation-is-two-sided-stack": { enforcementLevel: "disabled" },
        "revoked-link-has-no-webhooks": "remediate",
        "webhook-hygiene-stack": { enforcementLevel: "mandatory", allowedRepositories: ["acme/sandbox-*"] },
      }),
      "policy.json",
    );
    expect(options.enforcement?.["revocation-is-two-sided"]).toBe("disabled");
    expect(options.enforcement?.["revoked-link-has-no-webhooks"]).toBe("mandatory");
    expect(options.enforcement?.["webhook-hygiene"]).toBe("mandatory");
    expect(options.enforcement?.["team-link-uses-service-account"]).toBe("advisory");
    expect(options.allowedRepositories).toEqual(["acme/sandbox-*"]);
  });

  it("refuses unknown policies and levels, naming the file and key", () => {
    expect(() => parsePolicyConfig(JSON.stringify({ "webhook-hygeine": "mandatory", "webhook-hygiene": "strict" }), "p.json")).toThrow(
      /p\.json: webhook-hygiene: enforcement level must be one of advisory, mandatory, remediate, disabled\n|p\.json: unknown policy "webhook-hygeine"/,
    );
  });
});

describe("sourcelinks check --policy-config", () => {
  let sandbox: SandboxHandle;
  let dir: string;
  beforeAll(async () => {
    await ensureBuilt();
    sandbox = await startSandbox({});
    dir = mkdtempSync(join(tmpdir(), "sourcelinks-policy-"));
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it("takes the pack's levels: all advisory passes (exit 0); one rule made mandatory again fails (exit 3)", async () => {
    const env = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" };
    const advisory = join(dir, "advisory.json");
    writeFileSync(advisory, JSON.stringify({ all: "advisory" }));
    const mixed = join(dir, "mixed.json");
    writeFileSync(mixed, JSON.stringify({ all: "advisory", "team-link-uses-service-account-stack": "mandatory" }));
    const [loose, strict, bad] = await Promise.all([
      runCli(["check", EXAMPLE, "--live", "--format", "json", "--policy-config", advisory], env),
      runCli(["check", EXAMPLE, "--live", "--format", "json", "--policy-config", mixed], env),
      runCli(["check", EXAMPLE, "--policy-config", join(dir, "missing.json")], env),
    ]);
    expect(loose.code, loose.stderr).toBe(0);
    expect((JSON.parse(loose.stdout) as { summary: { mandatory: number; advisory: number } }).summary).toMatchObject({ mandatory: 0 });
    expect(strict.code).toBe(3);
    const violations = (JSON.parse(strict.stdout) as { violations: { ruleId: string; enforcement: string }[] }).violations;
    expect([...new Set(violations.filter((v) => v.enforcement === "mandatory").map((v) => v.ruleId))]).toEqual([
      "team-link-uses-service-account",
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("cannot read the policy config");
  });
});
