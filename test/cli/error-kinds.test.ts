/**
 * How the CLI reports a failure: by the error's kind, in one place. An input error exits 2 and an
 * operational one 1, each with its own message; an internal error, and any error no code expected,
 * exits 1 marked "internal error". The errors are thrown from inside a command (`validate`, through the
 * stream it writes its result to, the one seam a test has into a command), and from a real run against
 * the sandbox over loopback: a sweep of GitHub with no GitHub token set is the user's to fix.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli as runProgram } from "../../cli/program.js";
import { HttpError } from "../../engine/clients/http-error.js";
import { GitHubGraphqlError } from "../../engine/clients/github/deploy-keys-graphql.js";
import { SettingError } from "../../engine/config/runtime.js";
import { InternalError } from "../../engine/model/errors.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { EXAMPLE, runCli } from "../support/cli-harness.js";

/** `sourcelinks validate EXAMPLE` whose result line cannot be written: writing it throws `error`. */
async function validateThrowing(error: unknown): Promise<{ code: number; stderr: string }> {
  let stderr = "";
  const code = await runProgram(
    ["validate", EXAMPLE],
    {
      out: () => {
        throw error;
      },
      err: (text) => void (stderr += `${text}\n`),
      progress: () => undefined,
      interactive: false,
      ask: () => Promise.reject(new Error("no terminal in tests")),
      env: {},
    },
    process.cwd(),
  );
  return { code, stderr };
}

describe("a failure thrown from a command exits by its kind", () => {
  it("an input error exits 2 with its message", async () => {
    const run = await validateThrowing(new SettingError("SOURCELINKS_HTTP_TIMEOUT must be a number of seconds, not 'soon'"));
    expect(run).toEqual({ code: 2, stderr: "sourcelinks: SOURCELINKS_HTTP_TIMEOUT must be a number of seconds, not 'soon'\n" });
  });

  it("an operational error exits 1 with its message", async () => {
    const graphql = await validateThrowing(new GitHubGraphqlError([{ type: "RATE_LIMITED", message: "API rate limit exceeded" }]));
    expect(graphql).toEqual({ code: 1, stderr: "sourcelinks: github: GraphQL query refused: RATE_LIMITED: API rate limit exceeded\n" });
    const http = await validateThrowing(
      new HttpError({
        status: 503,
        service: "github",
        method: "GET",
        url: "https://api.github.com/repos/acme/api/hooks",
        detail: null,
        secrets: [],
      }),
    );
    expect(http.code).toBe(1);
    expect(http.stderr).toMatch(/^sourcelinks: github: GET https:\/\/api\.github\.com\/repos\/acme\/api\/hooks .*503/);
    expect(http.stderr).not.toContain("internal error");
  });

  it("an internal error exits 1, marked as one", async () => {
    const run = await validateThrowing(new InternalError("a config without buildService passed the semantic checks"));
    expect(run).toEqual({ code: 1, stderr: "sourcelinks: internal error: a config without buildService passed the semantic checks\n" });
  });

  it("an error no code expected is reported as an internal error, exit 1, without its stack", async () => {
    const plain = await validateThrowing(new TypeError("Cannot read properties of undefined (reading 'hooks')"));
    expect(plain).toEqual({ code: 1, stderr: "sourcelinks: internal error: Cannot read properties of undefined (reading 'hooks')\n" });
    const notAnError = await validateThrowing("a thrown string");
    expect(notAnError).toEqual({ code: 1, stderr: "sourcelinks: internal error: a thrown string\n" });
  });
});

describe("an input error met while observing", () => {
  let sandbox: SandboxHandle;
  let tmp: string;

  beforeAll(async () => {
    sandbox = await startSandbox({});
    tmp = mkdtempSync(join(tmpdir(), "sourcelinks-error-kinds-"));
  }, 120_000);
  afterAll(async () => {
    await sandbox?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("a sweep of GitHub with no GitHub token set exits 2, located at the sweep", async () => {
    const config = join(tmp, "sweep-only.yaml");
    writeFileSync(
      config,
      [
        "apiVersion: sourcelinks/v1",
        "buildService:",
        "  kind: reference",
        "  apiUrl: https://builds.example.com/api/build/v1",
        "  tokenEnv: SOURCELINKS_BUILD_TOKEN",
        '  webhookUrlPatterns: ["https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/"]',
        '  deployKeyTitlePatterns: ["Docker Hub Builder*"]',
        "providers:",
        "  github: {}",
        "links: []",
        "sweeps:",
        "  - { provider: github, owner: acme }",
        "",
      ].join("\n"),
    );
    const { GITHUB_TOKEN: _unset, ...env } = sandbox.env;
    const run = await runCli(["plan", config], { ...env, SOURCELINKS_ETAG_CACHE: "off" });
    expect(run.stderr.split("\n")).toContain(
      `${config}:12:5: sweep sweep-github-acme: github: no GitHub token configured for listing the repositories of acme: ` +
        "set the environment variable named by providers.github.tokenEnv (GITHUB_TOKEN by default)",
    );
    expect(run.code).toBe(2);
  });
});
