/**
 * `export` says what is true of what it does not export: an unlinked link's note states what is left
 * of it (the build service's webhooks and deploy keys on its record's repositories, and its grant) and
 * what declaring it would do, and a link already cleaned up is said to be so. A `--github-client-id`
 * that is not the client secret's app is refused (exit 2) instead of written into a file the next plan
 * fails on. Against the demo world (examples/basic) over loopback.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { EXAMPLE, runCli } from "../support/cli-harness.js";

let sandbox: SandboxHandle;

beforeAll(async () => {
  sandbox = await startSandbox({});
});

afterAll(async () => {
  await sandbox?.close();
});

beforeEach(async () => {
  await sandbox.reset();
});

const env = (): Record<string, string> => ({ ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" });

/** The NOTE lines of an export about the unlinked link of legacy-builder, joined. */
function legacyNote(yaml: string): string {
  const note = yaml.split("\n").find((l) => l.startsWith("# NOTE: link ") && l.includes("(github account legacy-builder)"));
  if (note === undefined) throw new Error(`no note about legacy-builder in:\n${yaml}`);
  return note.replace(/^# NOTE: /, "");
}

describe("export notes on unlinked links", () => {
  it("say what is left of an unlinked link, and that nothing is once it was cleaned up", async () => {
    const first = await runCli(["export", "--config", EXAMPLE], env());
    expect(first.code, first.stderr).toBe(0);
    expect(legacyNote(first.stdout)).toMatch(
      /^link \d+ in acme \(github account legacy-builder\) is unlinked on the build service; 3 build-service webhooks and 3 deploy keys are left on acme\/legacy-api, acme\/legacy-web, acme\/legacy-worker, and its grant is still active: declaring it with state: revoked makes plan delete them and revoke its grant\.$/,
    );

    // The example declares that link revoked: apply deletes its leftovers and revokes its grant.
    const apply = await runCli(["apply", EXAMPLE, "--yes"], env());
    expect(apply.code, apply.stderr + apply.stdout).toBe(0);

    const second = await runCli(["export", "--config", EXAMPLE], env());
    expect(second.code, second.stderr).toBe(0);
    expect(legacyNote(second.stdout)).toMatch(
      /^link \d+ in acme \(github account legacy-builder\) is unlinked on the build service and nothing of it is left: no build-service webhook or deploy key on the 3 repositories its record lists, and its grant is revoked\. Nothing to declare for it\.$/,
    );
  });
});

describe("export --github-client-id", () => {
  it("is refused (exit 2, nothing written) when it is not the app of the client secret at hand", async () => {
    const run = await runCli(
      ["export", "--namespace", "acme", "--github-client-id", "Iv1.0000000000000000", "--bitbucket-key", "SbxKey7Q2w"],
      env(),
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(
      "sourcelinks export: --github-client-id Iv1.0000000000000000 is not the client id of the OAuth app whose secret SOURCELINKS_GITHUB_CLIENT_SECRET holds (GitHub answered 401 to their pair)",
    );
    expect(run.stderr).not.toContain(sandbox.env["SOURCELINKS_GITHUB_CLIENT_SECRET"]);
  });
});
