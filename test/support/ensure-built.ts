/**
 * Compiles the project (`tsc -p .`) for tests that run the built output as users do (the CLI bin,
 * the serialized provider), when an output is missing or older than any TypeScript source. Under
 * `npm test` the `pretest` build makes this a no-op; it matters for `npx vitest run test/<area>`.
 * A failed build fails every test file that asked for it, with tsc's own messages: tsc emits even
 * when the tree has type errors, so the output alone would look fresh and the tests would run it.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type * as TypeScript from "typescript";

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Parallel test files take this lock (in the project's dist/) so they never run tsc over each other. */
const LOCK = "dist/.test-build.lock";
/** Written when tsc fails, holding what it said; its presence makes the output stale until a build passes. */
const FAILED = "dist/.test-build-failed";
/** A lock older than a build can take was left by a killed test run, not by a running build. */
const STALE_LOCK_MS = 5 * 60_000;

/** tsc failed: the message is its output (file:line:col and TS code of every error). */
export class BuildError extends Error {
  override readonly name = "BuildError";
}

/**
 * The newest mtime of any .ts file outside node_modules, the build output and dot folders: a superset
 * of what tsc compiles (tests included), read without loading TypeScript, so the usual case (nothing
 * changed since the last build) costs one directory walk.
 */
function newestAnyTypeScript(root: string): number {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".") || entry.name === "node_modules" || (dir === root && entry.name === "dist")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(root);
  return newest;
}

/**
 * The newest of the sources `tsc -p .` compiles, as TypeScript itself reads tsconfig.json (its
 * `include` and `exclude`): no second list of folders to keep in step.
 */
function newestCompiledSource(root: string): number {
  const ts = require("typescript") as typeof TypeScript;
  const tsconfig = join(root, "tsconfig.json");
  const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
  if (read.error !== undefined) throw new Error(`${tsconfig}: ${ts.flattenDiagnosticMessageText(read.error.messageText, "\n")}`);
  const { fileNames } = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, tsconfig);
  return Math.max(0, ...fileNames.map((file) => statSync(file).mtimeMs));
}

function isFresh(root: string, outputs: readonly string[]): boolean {
  if (existsSync(join(root, FAILED))) return false;
  const paths = outputs.map((output) => join(root, output));
  if (!paths.every((path) => existsSync(path))) return false;
  const built = Math.min(...paths.map((path) => statSync(path).mtimeMs));
  if (statSync(join(root, "tsconfig.json")).mtimeMs > built) return false;
  // Only when some .ts file is newer (a test, perhaps) does the exact answer need TypeScript.
  return newestAnyTypeScript(root) <= built || newestCompiledSource(root) <= built;
}

function takeLock(root: string): boolean {
  const lock = join(root, LOCK);
  try {
    mkdirSync(lock);
    return true;
  } catch {
    if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
    return false;
  }
}

/** The failure another test file's build recorded while this one waited for the lock, if any. */
function failureSince(root: string, sinceMs: number): BuildError | null {
  const failed = join(root, FAILED);
  if (!existsSync(failed) || statSync(failed).mtimeMs < sinceMs) return null;
  return new BuildError(readFileSync(failed, "utf8"));
}

async function runTsc(root: string): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "."], { cwd: root, maxBuffer: 16 << 20 });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    const said = `${stdout}${stderr}`.trim() || String(error);
    const message = `tsc -p . failed in ${root}; the tests would run stale or broken output:\n${said}`;
    writeFileSync(join(root, FAILED), message);
    throw new BuildError(message);
  }
  rmSync(join(root, FAILED), { force: true });
}

/**
 * Builds the TypeScript project at `root` unless every one of `outputs` (paths relative to `root`)
 * is up to date; throws `BuildError` with tsc's output when the build fails.
 */
export async function ensureBuiltAt(root: string, outputs: readonly string[]): Promise<void> {
  if (isFresh(root, outputs)) return;
  mkdirSync(join(root, "dist"), { recursive: true });
  const waitingSince = Date.now();
  // Freshness is judged only under the lock: while another file's tsc runs, its output may already
  // be written and look fresh before tsc has reported its errors.
  while (!takeLock(root)) await new Promise((resolve) => setTimeout(resolve, 200));
  try {
    // The build this file waited for failed: report it rather than run tsc again on the same tree.
    const failed = failureSince(root, waitingSince);
    if (failed) throw failed;
    if (!isFresh(root, outputs)) await runTsc(root);
    const missing = outputs.filter((output) => !existsSync(join(root, output)));
    if (missing.length > 0) throw new BuildError(`tsc -p . produced no ${missing.join(", ")}`);
  } finally {
    rmSync(join(root, LOCK), { recursive: true, force: true });
  }
}

/** Builds dist/ unless every one of `outputs` (paths relative to the repository root) is up to date. */
export function ensureBuilt(outputs: readonly string[]): Promise<void> {
  return ensureBuiltAt(ROOT, outputs);
}
