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
/** Folders compiled into dist/ (tsconfig.json `include`). */
const SOURCE_DIRS = ["config", "clients", "reconcile", "provider", "policies", "cli", "sandbox", "demo", "bench"];
/** Parallel test files take this lock so they never run tsc over each other. */
const LOCK = join(ROOT, "dist/.test-build.lock");

function newestSource(): number {
  let newest = statSync(join(ROOT, "index.ts")).mtimeMs;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules") walk(path);
      } else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) walk(join(ROOT, dir));
  return newest;
}

function isFresh(outputs: readonly string[]): boolean {
  const newest = newestSource();
  return outputs.every((output) => existsSync(join(ROOT, output)) && statSync(join(ROOT, output)).mtimeMs >= newest);
}

/** Builds dist/ unless every one of `outputs` (paths relative to the repository root) is up to date. */
export async function ensureBuilt(outputs: readonly string[]): Promise<void> {
  if (isFresh(outputs)) return;
  mkdirSync(join(ROOT, "dist"), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (isFresh(outputs)) return;
    }
  }
  try {
    if (!isFresh(outputs)) {
      // tsc emits even when the tree has type errors; only a missing output fails the tests that need it.
      await promisify(execFile)(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "."], { cwd: ROOT }).catch(() => undefined);
    }
    const missing = outputs.filter((output) => !existsSync(join(ROOT, output)));
    if (missing.length > 0) throw new Error(`tsc -p . produced no ${missing.join(", ")}`);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
