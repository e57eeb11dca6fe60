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
  // A typo in a live link's repository, next to a relink and a revocation that would otherwise be sent.
  const text = readFileSync(EXAMPLE, "utf8").replace("repositories: [acme/api, acme/web]", "repositories: [acme/api, acme/webb]");
  if (!text.includes("acme/webb")) throw new Error("the example changed: update this test");
  file = join(mkdtempSync(join(tmpdir(), "sourcelinks-missing-")), "sourcelinks.yaml");
  writeFileSync(file, text);
}, 240_000);
afterAll(async () => {
  await sandbox.close();
});

describe("a live link naming a repository that does not exist", () => {
  it("is refused by plan and by apply --yes with exit 2 at the name's line, and apply sends nothing", async () => {
    const line =
      readFileSync(file, "utf8")
        .split("\n")
        .findIndex((l) => l.includes("acme/webb")) + 1;
    const expected = `${file}:${line}:30: link acme-builds: github repository acme/webb does not exist (or the token cannot see it): fix the name, or give the token access; nothing was sent\n`;
    const plan = await runCli(["plan", file], env);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toBe(expected);

    const world = JSON.stringify(sandbox.world());
    const apply = await runCli(["apply", file, "--yes", "--max-revoke-ratio", "1"], env);
    expect(apply.code).toBe(2);
    expect(apply.stderr).toBe(expected);
    expect(JSON.stringify(sandbox.world())).toBe(world);
  });
});
