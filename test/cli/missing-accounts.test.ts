import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { EXAMPLE, ensureBuilt, runCli } from "../support/cli-harness.js";

let sandbox: SandboxHandle;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  await ensureBuilt();
  sandbox = await startSandbox();
  env = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" };
  dir = mkdtempSync(join(tmpdir(), "sourcelinks-missing-accounts-"));
}, 240_000);
beforeEach(async () => {
  await sandbox.reset();
});
afterAll(async () => {
  await sandbox.close();
});

/** The example with one replacement, written to a file of its own. */
function exampleWith(from: string, to: string, name: string): string {
  const text = readFileSync(EXAMPLE, "utf8");
  if (!text.includes(from)) throw new Error("the example changed: update this test");
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text.replace(from, to));
  return file;
}

/** Grant checks are POSTs that change nothing (`POST /applications/{client_id}/token`). */
const GRANT_CHECK = "POST /github/applications/:client_id/token";

/** How many requests other than reads the sandbox answered (any write), by endpoint. */
function writes(): Record<string, number> {
  return Object.fromEntries(
    Object.entries(sandbox.counters().byEndpoint).filter(([k]) => !k.startsWith("GET ") && k !== GRANT_CHECK && !k.endsWith("/graphql")),
  );
}

/** The 1-based line of `file` that holds `text` (the example's lines move as it grows). */
function lineOf(file: string, text: string): number {
  return (
    readFileSync(file, "utf8")
      .split("\n")
      .findIndex((line) => line.includes(text)) + 1
  );
}

describe("names checked before any write", () => {
  it("refuses a relink to an account that does not exist, in plan and apply --yes, at the account's line, sending nothing", async () => {
    const file = exampleWith("account: acme-builder", "account: acme-buildr", "relink-typo");
    const expected = `${file}:${lineOf(file, "account: acme-buildr")}:14: link acme-builds: github account acme-buildr does not exist: fix the name; nothing was sent\n`;
    const plan = await runCli(["plan", file], env);
    expect(plan.stderr).toBe(expected);
    expect(plan.code).toBe(2);

    const world = JSON.stringify(sandbox.world());
    const before = writes();
    const apply = await runCli(["apply", file, "--yes", "--max-revoke-ratio", "1"], env);
    expect(apply.stderr).toBe(expected);
    expect(apply.code).toBe(2);
    expect(writes()).toEqual(before);
    expect(JSON.stringify(sandbox.world())).toBe(world);
  });

  it("names the owner of a missing repository when that user or org does not exist", async () => {
    const file = exampleWith("repositories: [acme/api, acme/web]", "repositories: [acme/api, acmee/web]", "owner-typo");
    const plan = await runCli(["plan", file], env);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toBe(
      `${file}:${lineOf(file, "acmee/web")}:30: link acme-builds: github repository acmee/web does not exist: its owner acmee (user or org) does not exist; fix the name; nothing was sent\n`,
    );
  });

  it("reports a revoked link's vanished repository and still cleans up the others", async () => {
    const file = exampleWith("", "", "revoked-vanished");
    const repos = sandbox.world().github.repos;
    const gone = repos.findIndex((r) => r.owner === "acme" && r.name === "legacy-web");
    expect(gone).toBeGreaterThanOrEqual(0);
    repos.splice(gone, 1);
    const leftovers = (): number =>
      repos
        .filter((r) => r.owner === "acme" && r.name.startsWith("legacy-"))
        .reduce(
          (n, r) =>
            n +
            r.hooks.filter((h) => h.config.url.includes("docker")).length +
            r.keys.filter((k) => k.title.startsWith("Docker Hub Builder")).length,
          0,
        );
    expect(leftovers()).toBeGreaterThan(0);

    const plan = await runCli(["plan", file], env);
    expect(plan.stderr).toBe("");
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(
      "  repository acme/legacy-web answers 404 (deleted, misnamed, or hidden from the token): nothing there is observed\n",
    );
    expect(plan.stdout).toContain("       id:    repository-gone:github:acme:legacy-web (once done, record it under manualSteps)\n");

    const apply = await runCli(["apply", file, "--yes", "--max-revoke-ratio", "1"], env);
    expect(apply.code).toBe(0);
    expect(leftovers()).toBe(0);
    // The foreign CI webhook on the legacy repositories is left alone.
    expect(repos.some((r) => r.name.startsWith("legacy-") && r.hooks.some((h) => !h.config.url.includes("docker")))).toBe(true);
  });
});
