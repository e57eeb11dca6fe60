/**
 * A replacement build verified by one `plan` is carried over by the next while its default branch has
 * not moved, and every format says so with the verification's time instead of presenting it as read
 * in this run. In process over loopback against the sandbox's demo world, the ETag cache (and the
 * verifications beside it) in a folder of the test's own.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { BUILDS_EXAMPLE, EXAMPLE, ROOT, runCli } from "../support/cli-harness.js";

const formats = addFormats as unknown as (ajv: object) => void;
const planAjv = new Ajv({ allErrors: true });
formats(planAjv);
const validatePlan = planAjv.compile(JSON.parse(readFileSync(join(ROOT, "schema/plan.schema.json"), "utf8")) as object);
const validateReport = new Ajv2020({ allErrors: true }).compile(
  JSON.parse(readFileSync(join(ROOT, "schema/report.schema.json"), "utf8")) as object,
);

const SECRETS = { DOCKERHUB_USERNAME: "acme-ci", DOCKERHUB_TOKEN: "hub-carried-cli-3c9d", NPM_TOKEN: "npm-carried-cli-5e0a" };
const CARRIED =
  /verified at (\d{4}-\d{2}-\d{2}T[\d:.]+Z), unchanged since \(head [0-9a-f]{12} of main; carried over, its run and tags not read again\)/;

let sandbox: SandboxHandle;
let tmp: string;
let env: Record<string, string>;
let builds: string;

beforeAll(async () => {
  sandbox = await startSandbox({});
  tmp = mkdtempSync(join(tmpdir(), "sourcelinks-carried-cli-"));
  env = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: join(tmp, "etags.json") };
  // acme/legacy-web retired on purpose: legacy-builds waits for acme/legacy-api alone.
  builds = join(tmp, "builds.yaml");
  writeFileSync(
    builds,
    readFileSync(BUILDS_EXAMPLE, "utf8").replace("  - image: acme/legacy-web\n", "  - image: acme/legacy-web\n    replacement: none\n"),
  );
});
afterAll(async () => {
  await sandbox.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface BuildJson {
  resource: string;
  name: string;
  observed: {
    state: string;
    pullRequest: { number: number };
    builds: { image: string; state: string; carriedOver?: unknown }[];
    carriedOver?: unknown;
  };
}

async function planBuild(): Promise<BuildJson> {
  const run = await runCli(["plan", EXAMPLE, builds, "--format", "json"], env);
  expect(run.stderr).toBe("");
  const plan = JSON.parse(run.stdout) as { resources: BuildJson[] };
  expect(validatePlan(plan), JSON.stringify(validatePlan.errors)).toBe(true);
  return plan.resources.find((r) => r.resource === "build" && r.name === "acme/legacy-api")!;
}

describe("a verification carried over by the CLI", () => {
  it("is shown as verified at its time and unchanged since, in the plan, its JSON and the report", async () => {
    const applied = await runCli(["apply", EXAMPLE, builds, "--yes"], { ...env, ...SECRETS });
    expect(applied.code).toBe(0);
    const proposed = await planBuild();
    const merge = await fetch(
      `${env.SOURCELINKS_GITHUB_API_URL}/repos/acme/legacy-api/pulls/${proposed.observed.pullRequest.number}/merge`,
      {
        method: "PUT",
        headers: { authorization: `token ${env.GITHUB_TOKEN}`, "content-type": "application/json" },
        body: "{}",
      },
    );
    expect(merge.status).toBe(200);

    // The first plan after the merge verifies by reading everything: nothing is carried over.
    const first = await planBuild();
    expect(first.observed.builds).toEqual([{ image: "acme/legacy-api", state: "verified", reason: null }]);
    expect(first.observed.carriedOver).toBeUndefined();

    // The next runs read only main's head, and say the verdict is the earlier one.
    const text = await runCli(["plan", EXAMPLE, builds], env);
    const line = text.stdout.split("\n").find((l) => l.includes("in github acme/legacy-api"));
    expect(line).toMatch(CARRIED);
    const verifiedAt = CARRIED.exec(line ?? "")![1]!;
    expect(line).toContain(`: merged as observed at ${verifiedAt} (pull request #`);

    const again = await planBuild();
    const carriedOver = { verifiedAt, branch: "main", headSha: expect.stringMatching(/^[0-9a-f]{40}$/) };
    expect(again.observed.carriedOver).toEqual(carriedOver);
    expect(again.observed.builds).toEqual([{ image: "acme/legacy-api", state: "verified", reason: null, carriedOver }]);

    const report = await runCli(["report", EXAMPLE, builds, "--format", "json"], env);
    expect(validateReport(JSON.parse(report.stdout)), JSON.stringify(validateReport.errors)).toBe(true);
    const continuity = (JSON.parse(report.stdout) as { continuity: { image: string; state: string; carriedOver?: unknown }[] }).continuity;
    expect(continuity.find((c) => c.image === "acme/legacy-api")).toMatchObject({ state: "verified", carriedOver });
    const markdown = await runCli(["report", EXAMPLE, builds, "--format", "markdown"], env);
    expect(markdown.stdout).toContain(`verified at ${verifiedAt}, unchanged since (head `);
  });
});
