/**
 * `plan --out PLAN` then `apply --plan PLAN`: what was reviewed is what is applied. The built CLI
 * against the demo world; a world that grew after the review, or a changed configuration, is refused
 * with nothing sent; a world where some steps were done meanwhile applies the rest.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { EXAMPLE, ROOT, ensureBuilt, runCli } from "../support/cli-harness.js";
import { expectNoSecretIn } from "../support/no-secret.js";

const formats = addFormats as unknown as (ajv: object) => void;
const ajv = new Ajv({ allErrors: true });
formats(ajv);
const validatePlan = ajv.compile(JSON.parse(readFileSync(join(ROOT, "schema/plan.schema.json"), "utf8")) as object);

let sandbox: SandboxHandle;
let env: Record<string, string>;
let tmp: string;

/** Requests that change something, from the sandbox's counters (a grant check is a POST that only reads). */
function writesSent(): number {
  return Object.entries(sandbox.counters().byEndpoint)
    .filter(
      ([endpoint]) =>
        !endpoint.startsWith("GET ") && !endpoint.endsWith("/applications/:client_id/token") && !endpoint.endsWith("/graphql"),
    )
    .reduce((n, [, count]) => n + count, 0);
}

async function savePlan(name: string, config = EXAMPLE): Promise<string> {
  const file = join(tmp, name);
  const run = await runCli(["plan", config, "--out", file], env);
  expect(run.code, run.stderr).toBe(0);
  return file;
}

/** Adds a build-service webhook to a repository, as the build service would when someone relinks. */
async function addBuildServiceHook(repository: string): Promise<void> {
  const response = await fetch(`${env.SOURCELINKS_GITHUB_API_URL}/repos/${repository}/hooks`, {
    method: "POST",
    headers: { authorization: `token ${env.GITHUB_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({
      name: "web",
      active: true,
      events: ["push"],
      config: { url: "https://cloud.docker.com/api/build/v1/vcs/added-after-review/trigger/call/", content_type: "json" },
    }),
  });
  expect(response.status).toBe(201);
}

beforeAll(async () => {
  await ensureBuilt();
  sandbox = await startSandbox({});
  env = { ...sandbox.env };
  tmp = mkdtempSync(join(tmpdir(), "sourcelinks-saved-plan-"));
});

afterAll(async () => {
  await sandbox?.close();
});

beforeEach(async () => {
  await sandbox.reset();
});

describe("plan --out / apply --plan", () => {
  it("saves the reviewed plan (no credential in it) and applies exactly it", async () => {
    const file = await savePlan("round-trip.json");
    const text = readFileSync(file, "utf8");
    const saved = JSON.parse(text) as { apiVersion: string; configDigest: string; plan: { summary: { apiSteps: number } } };
    expect(saved.apiVersion).toBe("sourcelinks.saved-plan/v1");
    expect(saved.configDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(validatePlan(saved.plan), JSON.stringify(validatePlan.errors)).toBe(true);
    expect(saved.plan.summary.apiSteps).toBe(12);
    const secrets = Object.entries(env).flatMap(([key, value]) => (/TOKEN|PASSWORD|SECRET/.test(key) && value !== "" ? [value] : []));
    expectNoSecretIn(text, secrets, "the saved plan");

    const run = await runCli(["apply", "--plan", file, "--yes"], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Apply complete: 12 requests sent.");
    expect((await runCli(["plan", EXAMPLE, "--detailed-exitcode"], env)).code).toBe(0);
  });

  it("refuses a world that grew after the review, names the new step, and sends nothing", async () => {
    const file = await savePlan("grown.json");
    await addBuildServiceHook("acme/legacy-api");
    const before = writesSent();
    const run = await runCli(["apply", "--plan", file, "--yes"], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`the live world changed since ${file} was reviewed; nothing was sent`);
    expect(run.stderr).toMatch(
      /link legacy-builds: not in the reviewed plan: delete webhook \d+ on acme\/legacy-api \(https:\/\/cloud\.docker\.com\/api\/build\/v1\/vcs\/added-after-review\/trigger\/call\/\) \(DELETE http:\/\/127\.0\.0\.1:\d+\/github\/repos\/acme\/legacy-api\/hooks\/\d+\)/,
    );
    expect(run.stdout).toBe("");
    expect(writesSent()).toBe(before);
  });

  it("applies the rest when some reviewed steps were done meanwhile", async () => {
    const file = await savePlan("partly-done.json");
    const hook = sandbox
      .world()
      .github.repos.find((r) => r.owner === "acme" && r.name === "legacy-web")
      ?.hooks.find((h) => h.config.url.includes("cloud.docker.com"));
    expect(hook).toBeDefined();
    const gone = await fetch(`${env.SOURCELINKS_GITHUB_API_URL}/repos/acme/legacy-web/hooks/${hook?.id}`, {
      method: "DELETE",
      headers: { authorization: `token ${env.GITHUB_TOKEN}` },
    });
    expect(gone.status).toBe(204);
    const run = await runCli(["apply", "--plan", file, "--yes"], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Apply complete: 11 requests sent.");
  });

  it("refuses a plan made from another configuration, and sends nothing", async () => {
    const file = await savePlan("other-config.json");
    const changed = join(tmp, "changed.yaml");
    writeFileSync(changed, readFileSync(EXAMPLE, "utf8").replace("acme/legacy-worker]", "acme/legacy-worker, acme/legacy-extra]"));
    expect(readFileSync(changed, "utf8")).not.toBe(readFileSync(EXAMPLE, "utf8"));
    const before = writesSent();
    const run = await runCli(["apply", changed, "--plan", file, "--yes"], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file} was planned from another configuration`);
    expect(writesSent()).toBe(before);
  });

  it("refuses a saved plan with a null resource or null steps as invalid input located in the file, and sends nothing", async () => {
    const file = await savePlan("nulls.json");
    const saved = JSON.parse(readFileSync(file, "utf8")) as { plan: { resources: ({ steps: unknown } | null)[] } };
    const first = saved.plan.resources[0];
    if (first === null || first === undefined) throw new Error("the demo plan has resources");
    first.steps = null;
    saved.plan.resources[1] = null;
    const tampered = join(tmp, "nulls-tampered.json");
    const text = `${JSON.stringify(saved, null, 2)}\n`;
    writeFileSync(tampered, text);
    /** `LINE:COL` of the first `value` written after `before`. */
    const at = (before: string, value: string): string => {
      const lines = text.slice(0, text.indexOf(before + value) + before.length).split("\n");
      return `${lines.length}:${(lines.at(-1) ?? "").length + 1}`;
    };
    const before = writesSent();
    const run = await runCli(["apply", "--plan", tampered, "--yes"], env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).not.toContain("internal error");
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines[0]).toContain(`${tampered}: not a saved plan`);
    expect(lines).toContain(`${tampered}:${at('"steps": ', "null")}: /plan/resources/0/steps: must be array`);
    expect(lines).toContain(`${tampered}:${at("\n      ", "null,")}: /plan/resources/1: must be object`);
    expect(writesSent()).toBe(before);
  });

  it("refuses a file that is not a saved plan (exit 2)", async () => {
    const file = join(tmp, "not-a-plan.json");
    writeFileSync(file, JSON.stringify({ apiVersion: "sourcelinks.plan/v1" }));
    const run = await runCli(["apply", "--plan", file, "--yes"], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("not a saved plan");
  });
});
