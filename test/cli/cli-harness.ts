/**
 * Runs the BUILT CLI (`node dist/cli/main.js`) as a child process, the way users and CI run it, with
 * exactly the environment a test gives it (the sandbox's `env`, nothing from the test process).
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const require = createRequire(import.meta.url);

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The compiled bin. */
export const MAIN = join(ROOT, "dist/cli/main.js");
/** The example config for the demo world. */
export const EXAMPLE = join(ROOT, "examples/basic/sourcelinks.yaml");

/** Folders whose sources the CLI is compiled from. */
const SOURCE_DIRS = ["cli", "config", "clients", "reconcile", "policies/rules", "sandbox"];
/** The lock directory test/provider/dist.ts takes too, so parallel test files never run tsc over each other. */
const BUILD_LOCK = join(ROOT, "dist/.provider-test-build.lock");

function newestSource(): number {
  let newest = 0;
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

function isFresh(): boolean {
  return existsSync(MAIN) && statSync(MAIN).mtimeMs >= newestSource();
}

/** Compiles with `tsc -p .` when dist/cli is missing or older than the sources (tsc emits despite type errors elsewhere). */
export async function ensureBuilt(): Promise<void> {
  if (isFresh()) return;
  mkdirSync(join(ROOT, "dist"), { recursive: true });
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (isFresh()) return;
    }
  }
  try {
    if (!isFresh()) {
      // A non-zero exit only means type errors somewhere in the tree; the emitted files are what is tested.
      await promisify(execFile)(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "."], { cwd: ROOT }).catch(() => undefined);
    }
    if (!existsSync(MAIN)) throw new Error("tsc -p . produced no dist/cli/main.js");
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

/** What one CLI run produced. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Every output of every run, for the "no token anywhere" assertion. */
export const allOutputs: string[] = [];

/** Runs `sourcelinks ARGS` with `env` as its whole environment. */
export function runCli(args: readonly string[], env: Record<string, string>, options: { cwd?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env, cwd: options.cwd ?? ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      allOutputs.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    });
  });
}
