import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most files wait on loopback servers and child processes, not the CPU: on a 2-core machine
    // vitest's default (cores - 1 = one worker) leaves the second core idle.
    maxWorkers: 3,
  },
});
