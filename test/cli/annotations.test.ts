/**
 * What CI shows on the YAML lines: SARIF and `--format github` annotations name files relative to the
 * git repository's root even when run from a subfolder, and configuration errors are annotated too.
 * The built CLI, in a temporary git repository, against the demo world's sandbox.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { EXAMPLE, ensureBuilt, runCli } from "../support/cli-harness.js";

const require = createRequire(import.meta.url);
const formats = addFormats as unknown as (ajv: object) => void;
const sarifAjv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
formats(sarifAjv);
const validateSarif = sarifAjv.compile(require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json") as object);

interface Sarif {
  runs: {
    tool: {
      driver: { rules: { id: string; name: string; shortDescription: { text: string }; help: { text: string; markdown: string } }[] };
    };
    results: {
      ruleId: string;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } } }[];
    }[];
  }[];
}

let sandbox: SandboxHandle;
let env: Record<string, string>;
/** `REPO/infra`: a subfolder of a git repository, holding the configs. */
let infra: string;
let exampleLines: string[];

beforeAll(async () => {
  await ensureBuilt();
  sandbox = await startSandbox({});
  env = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off", PATH: process.env.PATH ?? "" };
  const repo = mkdtempSync(join(tmpdir(), "sourcelinks-repo-"));
  execFileSync("git", ["init", "-q", repo]);
  infra = join(repo, "infra");
  mkdirSync(infra);
  const text = readFileSync(EXAMPLE, "utf8");
  exampleLines = text.split("\n");
  writeFileSync(join(infra, "sourcelinks.yaml"), text);
  writeFileSync(join(infra, "bad.yaml"), text.replace("    state: linked\n", "    state: linkd\n"));
});

afterAll(async () => {
  await sandbox?.close();
});

beforeEach(async () => {
  await sandbox.reset();
});

describe("SARIF", () => {
  it("names files relative to the git top level when run from a subfolder, with whole descriptions and markdown help", async () => {
    const run = await runCli(["check", "sourcelinks.yaml", "--live", "--format", "sarif"], env, { cwd: infra });
    expect(run.code, run.stderr).toBe(3);
    const sarif = JSON.parse(run.stdout) as Sarif;
    expect(validateSarif(sarif), JSON.stringify(validateSarif.errors)).toBe(true);
    const [sarifRun] = sarif.runs;
    const hook = sarifRun?.results.find((r) => r.ruleId === "revoked-link-has-no-webhooks");
    expect(hook?.locations[0]?.physicalLocation.artifactLocation).toEqual({ uri: "infra/sourcelinks.yaml", uriBaseId: "%SRCROOT%" });
    const rule = sarifRun?.tool.driver.rules.find((r) => r.id === "revoked-link-has-no-webhooks");
    expect(rule?.name).toBe("RevokedLinkHasNoWebhooks");
    expect(rule?.shortDescription.text).toBe(
      "A revoked link must leave no build-service webhook or deploy key on its repositories: the build service does not remove them when access is revoked, so a revoked link with `onRevoke: keep` or with live leftovers still receives pushes and can still clone.",
    );
    expect(rule?.help.markdown).toMatch(/^\*\*revoked-link-has-no-webhooks\*\* \(mandatory\): A revoked link must/);
  });

  it("reports configuration errors as results (exit 2), located in the YAML", async () => {
    const run = await runCli(["check", "bad.yaml", "--format", "sarif"], env, { cwd: infra });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^bad\.yaml:\d+:\d+: .*linkd/m);
    const sarif = JSON.parse(run.stdout) as Sarif;
    expect(validateSarif(sarif), JSON.stringify(validateSarif.errors)).toBe(true);
    const [result] = sarif.runs[0]?.results ?? [];
    expect(result).toMatchObject({ ruleId: "valid-configuration", level: "error" });
    expect(result?.message.text).toContain("linkd");
    const location = result?.locations[0]?.physicalLocation;
    expect(location?.artifactLocation.uri).toBe("infra/bad.yaml");
    expect(readFileSync(join(infra, "bad.yaml"), "utf8").split("\n")[(location?.region.startLine ?? 0) - 1]).toContain("linkd");
  });
});

describe("--format github", () => {
  it("check annotates each violation on its YAML line (exit 3)", async () => {
    const run = await runCli(["check", "sourcelinks.yaml", "--live", "--format", "github"], env, { cwd: infra });
    expect(run.code, run.stderr).toBe(3);
    const errors = run.stdout.split("\n").filter((l) => l.startsWith("::error "));
    expect(errors.length).toBeGreaterThan(0);
    const worker = errors.find((l) => l.includes("title=sourcelinks revoked-link-has-no-webhooks") && l.includes("acme/legacy-worker"));
    const m =
      /^::error file=infra\/sourcelinks\.yaml,line=(\d+),col=(\d+),title=sourcelinks revoked-link-has-no-webhooks::link "legacy-builds" is revoked but /.exec(
        worker ?? "",
      );
    expect(m, worker).not.toBeNull();
    expect(exampleLines[Number(m?.[1]) - 1]).toContain("acme/legacy-worker");
    expect(run.stdout).toMatch(/^sourcelinks check: \d+ mandatory violations, \d+ advisory violations?\.$/m);
  });

  it("validate annotates each configuration error (exit 2)", async () => {
    const run = await runCli(["validate", "bad.yaml", "--format", "github"], env, { cwd: infra });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^::error file=infra\/bad\.yaml,line=\d+,col=\d+,title=sourcelinks validate::.*linkd/m);
    expect(run.stderr).toMatch(/^bad\.yaml:\d+:\d+: .*linkd/m);
  });
});
