/**
 * Runs the CLI with exactly the environment a test gives it (the sandbox's `env`, nothing from the
 * test process): `runCli` in this process, through the same `runCli(argv, io, cwd)` that the bin calls
 * (cli/main.ts), and `runBin` as the BUILT bin in a child process, the way users and CI run it.
 * A child costs about half a second of CPU to load the engine, and the suites run hundreds of
 * commands; the bin's own behaviour (exit status, pipes, signals, kills) is tested through `runBin`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { onTestFailed } from "vitest";
import type { CliIo } from "../../cli/io.js";
import type { OutFileSystem } from "../../cli/out-file.js";
import { runCli as runInProcess } from "../../cli/program.js";
import { ensureBuilt as ensureBuiltOutputs } from "./ensure-built.js";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The compiled bin. */
export const MAIN = join(ROOT, "dist/cli/main.js");
/** The example config for the demo world. */
export const EXAMPLE = join(ROOT, "examples/basic/sourcelinks.yaml");
/** The example's builds: the autobuilds the demo world's links ran (merged with EXAMPLE when both are given). */
export const BUILDS_EXAMPLE = join(ROOT, "examples/basic/builds.yaml");

/** Compiles the bin when dist/ is missing or stale (see test/support/ensure-built.ts). */
export function ensureBuilt(): Promise<void> {
  return ensureBuiltOutputs(["dist/cli/main.js"]);
}

/** What one CLI run produced. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A test that failed or timed out may leave its bin run going; killed then, it cannot change the
 * sandbox under the next test of the file (which would then fail for a reason that is not its own).
 * Only after a failure: a passing test has awaited its runs. Never in a concurrent suite: its tests run
 * each against their own sandbox, and the runs in flight belong to the tests still going. Registered
 * per run rather than by a module-level hook, which a shared module graph would run for one file only.
 */
function killIfTestFails(child: ChildProcess): void {
  try {
    onTestFailed(({ task }) => {
      if (task.concurrent !== true) child.kill("SIGKILL");
    });
  } catch {
    // Outside a test (in a beforeAll): no test to outlive.
  }
}

/**
 * Runs `sourcelinks ARGS` in this process with `env` as its whole environment, its streams captured as
 * the bin writes them (one line per write, stderr not a terminal, no prompt); `outFiles` replaces the
 * file system `--out` writes through (to fail as a full disk does). The CLI resolves file
 * arguments against the process's directory, so a run in another `cwd` goes to the bin.
 */
export async function runCli(
  args: readonly string[],
  env: Record<string, string>,
  options: { cwd?: string; outFiles?: OutFileSystem } = {},
): Promise<CliRun> {
  if (options.cwd !== undefined && resolve(options.cwd) !== process.cwd()) return runBin(args, env, options);
  let stdout = "";
  let stderr = "";
  const line = (text: string): string => (text.endsWith("\n") ? text : `${text}\n`);
  const io: CliIo = {
    out: (text) => void (stdout += line(text)),
    err: (text) => void (stderr += line(text)),
    progress: () => undefined,
    interactive: false,
    ask: () => Promise.reject(new Error("the CLI asked a question of a run that has no terminal")),
    env,
    ...(options.outFiles === undefined ? {} : { outFiles: options.outFiles }),
  };
  const code = await runInProcess(args, io, process.cwd());
  return { code, stdout, stderr };
}

/** Runs the built bin, `node dist/cli/main.js ARGS`, in a child process with `env` as its whole environment. */
export function runBin(args: readonly string[], env: Record<string, string>, options: { cwd?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env, cwd: options.cwd ?? ROOT, stdio: ["ignore", "pipe", "pipe"] });
    killIfTestFails(child);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}
