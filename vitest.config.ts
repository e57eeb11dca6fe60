import { readFileSync } from "node:fs";
import { defineConfig, type Plugin } from "vitest/config";

/**
 * @actions/workflow-parser runs through vite (see `server.deps.inline`), which would warn about each of its
 * files that its source maps point at sources the package does not ship: load them without the map comment.
 */
const workflowParserWithoutSourceMaps: Plugin = {
  name: "workflow-parser-without-source-maps",
  enforce: "pre",
  load(id) {
    if (!id.includes("/node_modules/@actions/workflow-parser/") || !id.endsWith(".js")) return null;
    return readFileSync(id, "utf8").replace(/^\/\/# sourceMappingURL=.*$/m, "");
  },
};

/**
 * Folders (or files) whose tests share nothing through a worker process: no `process.env` or other global
 * changed, no module mocked, no Pulumi runtime mocks. Their files reuse one module graph per worker
 * (`isolate: false`): importing the engine, ajv and Octokit afresh for every file cost more CPU than
 * the tests themselves (test/policies and test/sandbox: 45 s of CPU isolated, 18 s shared).
 */
const SHARED_MODULES = [
  "architecture",
  "builds",
  "cli",
  "clients",
  "config",
  "docker-hub",
  "model",
  "performance",
  "policies",
  // The provider's tests that run it in Pulumi's hosts (child processes) or call it directly; its
  // tests under Pulumi's runtime mocks or with credential variables set stay isolated.
  "provider/build-host.test.ts",
  "provider/check-inputs.test.ts",
  "provider/declare.test.ts",
  "provider/fault-convergence.test.ts",
  "provider/host-lifecycle.test.ts",
  "provider/language-host-run.test.ts",
  "provider/link-methods.test.ts",
  "provider/pulumi-conventions.test.ts",
  "provider/read-import.test.ts",
  "provider/sweep-host.test.ts",
  "reconcile",
  "reliability",
  "sandbox",
  "security/app-credential-errors.test.ts",
  "security/app-secrets.test.ts",
  "security/derived-token-echo.test.ts",
  "security/hostile-network.test.ts",
  "security/markdown-injection.test.ts",
  "support",
];
/** A folder's test files, or one file. */
const glob = (entry: string): string => (entry.endsWith(".ts") ? `test/${entry}` : `test/${entry}/**/*.test.ts`);

export default defineConfig({
  plugins: [workflowParserWithoutSourceMaps],
  // Also compile .cts (engine/model/node-support.cts, CommonJS so that the policy pack can require it on any Node).
  oxc: { include: /\.(m?ts|cts|[jt]sx)$/ },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // @actions/workflow-parser imports its JSON schema without `with { type: "json" }`, which Node refuses:
    // vite loads it instead of Node.
    server: { deps: { inline: ["@actions/workflow-parser"] } },
    // Most files wait on loopback servers and child processes, not the CPU: on a 2-core machine
    // vitest's default (cores - 1 = one worker) leaves the second core idle.
    maxWorkers: 3,
    projects: [
      { extends: true, test: { name: "shared", include: SHARED_MODULES.map(glob), isolate: false } },
      // The provider's and the secrets' tests set env vars and Pulumi mocks per file.
      { extends: true, test: { name: "isolated", include: ["test/**/*.test.ts"], exclude: SHARED_MODULES.map(glob) } },
    ],
  },
});
