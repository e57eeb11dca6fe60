/**
 * Compiles the project (`tsc -p .`) for tests that run the built output as users do (the CLI bin,
 * the serialized provider), when an output is missing or older than any TypeScript source. Under
 * `npm test` the `pretest` build makes this a no-op; it matters for `npx vitest run test/<area>`.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type * as TypeScript from "typescript";

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Parallel test files take this lock so they never run tsc over each other. */
const LOCK = join(ROOT, "dist/.test-build.lock");
/** A lock older than a build can take was left by a killed test run, not by a running build. */
const STALE_LOCK_MS = 5 * 60_000;
/** What `tsc -p .` compiles: the output is stale when this file changed, too. */
const TSCONFIG = join(ROOT, "tsconfig.json");

/**
 * The newest mtime of any .ts file outside node_modules, the build output and dot folders: a superset
 * of what tsc compiles (tests included), read without loading TypeScript, so the usual case (nothing
 * changed since the last build) costs one directory walk.
 */
function newestAnyTypeScript(): number {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".") || entry.name === "node_modules" || (dir === ROOT && entry.name === "dist")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(ROOT);
  return newest;
}

/**
 * The newest of the sources `tsc -p .` compiles, as TypeScript itself reads tsconfig.json (its
 * `include` and `exclude`): no second list of folders to keep in step.
 */
function newestCompiledSource(): number {
  const ts = require("typescript") as typeof TypeScript;
  const read = ts.readConfigFile(TSCONFIG, ts.sys.readFile);
  if (read.error !== undefined) throw new Error(`${TSCONFIG}: ${ts.flattenDiagnosticMessageText(read.error.messageText, "\n")}`);
  const { fileNames } = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT, undefined, TSCONFIG);
  return Math.max(...fileNames.map((file) => statSync(file).mtimeMs));
}

function isFresh(outputs: readonly string[]): boolean {
  const paths = outputs.map((output) => join(ROOT, output));
  if (!paths.every((path) => existsSync(path))) return false;
  const built = Math.min(...paths.map((path) => statSync(path).mtimeMs));
  if (statSync(TSCONFIG).mtimeMs > built) return false;
  // Only when some .ts file is newer (a test, perhaps) does the exact answer need TypeScript.
  return newestAnyTypeScript() <= built || newestCompiledSource() <= built;
}

function takeLock(): boolean {
  try {
    mkdirSync(LOCK);
    return true;
  } catch {
    if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
    return false;
  }
}

/** Builds dist/ unless every one of `outputs` (paths relative to the repository root) is up to date. */
export async function ensureBuilt(outputs: readonly string[]): Promise<void> {
  if (isFresh(outputs)) return;
  mkdirSync(join(ROOT, "dist"), { recursive: true });
  while (!takeLock()) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (isFresh(outputs)) return;
  }
  try {
    if (!isFresh(outputs)) {
      try {
        await promisify(execFile)(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "."], { cwd: ROOT, maxBuffer: 16 << 20 });
      } catch (error) {
        // A type error would pass unnoticed if the stale output were run anyway: say what tsc said.
        const output = (error as { stdout?: string }).stdout ?? "";
        throw new Error(`tsc -p . failed; the tests would run stale or broken output:\n${output || String(error)}`);
      }
    }
    const missing = outputs.filter((output) => !existsSync(join(ROOT, output)));
    if (missing.length > 0) throw new Error(`tsc -p . produced no ${missing.join(", ")}`);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
