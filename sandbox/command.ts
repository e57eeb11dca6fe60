/**
 * `sourcelinks sandbox` (and `node dist/sandbox/main.js`): start a sandbox, print exactly one JSON
 * line `{"baseUrl": …, "env": {…}}` on stdout (env keys in docs/sandbox.md's order, then
 * SOURCELINKS_GITHUB_CLIENT_SECRET), serve until SIGINT/SIGTERM, then close cleanly.
 */
import type { Writable } from "node:stream";
import { SANDBOX_ENV_KEYS } from "./env.js";
import type { LimitsConfig } from "./limits.js";
import { SourcelinksError } from "../engine/model/errors.js";
import { startSandbox } from "./server.js";

/** Options of `sourcelinks sandbox`. */
export interface SandboxCommandOptions {
  port?: number;
  /** State file (`--state`). */
  state?: string;
  /** Seed file (`--seed`); the demo world when absent. */
  seed?: string;
  /** Log requests on stderr unless true. Default false. */
  quiet?: boolean;
  timeScale?: number;
  limits?: Partial<LimitsConfig>;
  /** Where the JSON line goes (default stdout). */
  out?: Writable;
  /** Where a bad seed or state file is described (default stderr). */
  err?: Writable;
  /** Stops the sandbox when aborted (besides SIGINT/SIGTERM). */
  signal?: AbortSignal;
}

/** The start line, with env keys in their documented order. */
export function startLine(baseUrl: string, env: Record<string, string>): string {
  const ordered: Record<string, string> = {};
  for (const key of SANDBOX_ENV_KEYS) ordered[key] = env[key] ?? "";
  return JSON.stringify({ baseUrl, env: ordered });
}

/**
 * Runs the sandbox until SIGINT, SIGTERM or `signal`; resolves with the exit code once closed: 0, or 2
 * at once when the seed or state file cannot be used (invalid input, described on `err`).
 */
export async function runSandboxCommand(options: SandboxCommandOptions = {}): Promise<number> {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sandbox = await startSandbox({
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.state !== undefined ? { stateFile: options.state } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
      ...(options.limits !== undefined ? { limits: options.limits } : {}),
      quiet: options.quiet ?? false,
    });
  } catch (error) {
    // A seed or state file that cannot be used (SeedError, StateFileError) is the user's to fix.
    if (!(error instanceof SourcelinksError) || error.kind !== "input") throw error;
    (options.err ?? process.stderr).write(`${error.message}\n`);
    return 2;
  }
  (options.out ?? process.stdout).write(`${startLine(sandbox.baseUrl, sandbox.env)}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      options.signal?.removeEventListener("abort", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    if (options.signal?.aborted) stop();
    else options.signal?.addEventListener("abort", stop);
  });
  await sandbox.close();
  return 0;
}
