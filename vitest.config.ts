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
  // The provider's tests that run it in Pulumi's hosts (child processes) or call it directly; those
  // under Pulumi's runtime mocks are PULUMI_MOCKED.
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
  "provider/sweep-refresh-state.test.ts",
  "provider/sweep-refresh.test.ts",
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
/**
 * Files that set env vars, Pulumi's runtime mocks or its config, but share one module graph: importing
 * Pulumi and the engine afresh took each of them longer than its tests (25 s of CPU for these eight
 * in a process each, 16 s shared). A setup file puts the environment and Pulumi's runtime state back
 * after each file.
 */
const PULUMI_MOCKED = [
  "provider/declare-builds.test.ts",
  "provider/engine-harness.test.ts",
  "provider/github-webhooks-example.test.ts",
  "provider/links-component.test.ts",
  "provider/preview-unknowns.test.ts",
  "provider/program.test.ts",
  "provider/renames.test.ts",
  "provider/serialization.test.ts",
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
      {
        extends: true,
        test: { name: "pulumi", include: PULUMI_MOCKED.map(glob), isolate: false, setupFiles: ["test/support/pulumi-file-reset.ts"] },
      },
      // Every other file in a process of its own: the secrets' tests and the npm package's, which change env vars
      // and Pulumi's state and run for long, and any new file until it is known to share nothing.
      {
        extends: true,
        test: { name: "isolated", include: ["test/**/*.test.ts"], exclude: [...SHARED_MODULES, ...PULUMI_MOCKED].map(glob) },
      },
    ],
  },
});
