import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

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
  "model",
  "performance",
  "policies",
  "reconcile",
  "reliability",
  "sandbox",
  "security/app-secrets.test.ts",
  "security/hostile-network.test.ts",
  "support",
];
/** A folder's test files, or one file. */
const glob = (entry: string): string => (entry.endsWith(".ts") ? `test/${entry}` : `test/${entry}/**/*.test.ts`);

export default defineConfig({
  plugins: [
    {
      // The inlined @actions/workflow-parser ships source maps without their sources: read it without them (no warning per file).
      name: "workflow-parser-without-source-maps",
      load: (id) =>
        id.includes("/@actions/workflow-parser/dist/") && id.endsWith(".js")
          ? { code: readFileSync(id, "utf8").replace(/^\/\/# sourceMappingURL=.*$/m, ""), map: null }
          : undefined,
    },
  ],
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most files wait on loopback servers and child processes, not the CPU: on a 2-core machine
    // vitest's default (cores - 1 = one worker) leaves the second core idle.
    maxWorkers: 3,
    // @actions/workflow-parser imports its JSON schema without an import attribute, which Node refuses; vite's transform accepts it.
    server: { deps: { inline: ["@actions/workflow-parser"] } },
    projects: [
      { extends: true, test: { name: "shared", include: SHARED_MODULES.map(glob), isolate: false } },
      // The provider's and the secrets' tests set env vars and Pulumi mocks per file.
      { extends: true, test: { name: "isolated", include: ["test/**/*.test.ts"], exclude: SHARED_MODULES.map(glob) } },
    ],
  },
});
