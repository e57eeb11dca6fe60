#!/usr/bin/env node
/**
 * `npm test`'s build: compiles the project (dist/, which the tests of the bin and the serialized
 * provider run) and type-checks the tests, side by side. Each is one tsc process that keeps about one
 * core busy, so on a 2-core machine together they take the time of the longer, not of both.
 * Exits non-zero when either fails, after both have printed their errors.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

/** Runs tsc on one project; resolves its exit code. */
function compile(project) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, "-p", project], { stdio: "inherit" });
    child.on("error", () => resolve(1));
    child.on("close", (code) => resolve(code ?? 1));
  });
}

const codes = await Promise.all([compile("tsconfig.json"), compile("tsconfig.test.json")]);
process.exitCode = codes.find((code) => code !== 0) ?? 0;
