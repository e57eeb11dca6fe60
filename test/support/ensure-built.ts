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

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/**
 * What tsconfig.json's `**\/*.ts` include leaves out, so the freshness check sees exactly the
 * compiled sources without keeping a second list of folders.
 */
const NOT_COMPILED = new Set(["node_modules", "dist", "test", ".git"]);
/** Parallel test files take this lock so they never run tsc over each other. */
const LOCK = join(ROOT, "dist/.test-build.lock");
/** A lock older than a build can take was left by a killed test run, not by a running build. */
const STALE_LOCK_MS = 5 * 60_000;

function newestSource(): number {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".") || NOT_COMPILED.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts") && entry.name !== "vitest.config.ts") newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(ROOT);
  return newest;
}

function isFresh(outputs: readonly string[]): boolean {
  const newest = newestSource();
  return outputs.every((output) => existsSync(join(ROOT, output)) && statSync(join(ROOT, output)).mtimeMs >= newest);
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
