/**
 * Markdown that fits GitHub's 65,536-character comment cap at real sizes: a generated world of 300
 * links over 300 repositories with 60 links revoked (sandbox/scale-world.ts, bench/scale-config.ts),
 * `plan` and `check --live` through the built CLI.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaleConfigText, type ScaleShape } from "../../tools/bench/scale-config.js";
import { generateScaleWorld } from "../../sandbox/scale-world.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { ensureBuilt, runCli, type CliRun } from "../support/cli-harness.js";

const SHAPE: ScaleShape = { links: 300, repositories: 300, foreignHooksPerRepo: 1, multiPageRepos: 0, hooksPerMultiPageRepo: 0 };
const GITHUB_COMMENT_LIMIT = 65_536;

let sandbox: SandboxHandle;
let env: Record<string, string>;
let config: string;
let plan: CliRun;
let check: CliRun;

beforeAll(async () => {
  await ensureBuilt();
  sandbox = await startSandbox({ seed: generateScaleWorld(SHAPE) });
  env = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" };
  config = join(mkdtempSync(join(tmpdir(), "sourcelinks-md-size-")), "scale.yaml");
  // Every 5th link revoked: 60 of 300.
  writeFileSync(config, scaleConfigText(SHAPE, { revokeEvery: 5 }));
  // The two runs only read: side by side, to keep the file fast.
  [plan, check] = await Promise.all([
    runCli(["plan", config, "--format", "markdown"], env),
    runCli(["check", config, "--live", "--format", "markdown"], env),
  ]);
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
});

describe("markdown at 300 links with 60 revocations", () => {
  it("plan --format markdown fits, counts first, changed resources largest first, unchanged only counted", async () => {
    const run = plan;
    expect(run.code, run.stderr).toBe(0);
    const md = run.stdout;
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    // Counts first: 60 unlinks and 60 webhooks; the grants are manual steps (no client secret configured).
    expect(md).toMatch(/^## sourcelinks plan\n\n\*\*120 requests\*\* on 60 of 300 resources, plus 60 manual steps\.\n/);
    expect(md).toContain("| 60 | 0 | 60 | 0 | 60 | 240 |");
    expect(md.indexOf("| Build service | Revocations |")).toBeLessThan(md.indexOf("| Resource | Desired |"));
    // Only changed resources are rows; the unchanged ones are counted.
    expect(md).toContain("| link `scale-link-0` | revoked |");
    expect(md).not.toContain("`scale-link-1`");
    expect(md).toContain("240 resources unchanged (counted, not listed).");
  });

  it("check --live --format markdown fits and points at the JSON report for what it leaves out", async () => {
    const run = check;
    expect(run.code, run.stderr).toBe(3);
    const md = run.stdout;
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md).toMatch(
      /^## sourcelinks check\n\n\*\*Failed:\*\* \d+ mandatory violations, \d+ advisory violations? \(configuration and live state checked\)\.\n/,
    );
    expect(md).toMatch(/\| mandatory \| `revoked-link-has-no-webhooks` \| \d+ \|/);
    // The per-rule counts come first and add up to every violation.
    const total = [...md.matchAll(/^\| (?:mandatory|advisory) \| `[a-z-]+` \| (\d+) \|$/gm)].reduce((n, m) => n + Number(m[1]), 0);
    expect(total).toBe(240);
    const rows = md
      .split("\n")
      .filter((l) => /^\| (mandatory|advisory) \| `[a-z-]+` \| [^|]+ \| [^|]+ \|/.test(l) && l.split(" | ").length >= 6).length;
    if (rows < total) expect(md).toContain(`**${total - rows} more violations** not listed`);
    // 240 rows fit, their 240 prose messages do not all: counted, with where to find them.
    expect(md).toMatch(
      /\d+ messages not shown, to keep this comment under GitHub's 65,536-character limit\. The full report is the JSON artifact \(`sourcelinks check --format json`\)\./,
    );
  });
});
