/**
 * Where a command writes: results on stdout, errors on stderr, progress on stderr (every step on a
 * terminal; on a pipe a `phase: done/total` line every few seconds, see cli/progress.ts). Commands take this instead of `process`
 * so the whole CLI can run in-process in a test as well as from `main`.
 */
import { createInterface } from "node:readline";
import type { OutFileSystem } from "./out-file.js";
import { progressPrinter, type ProgressSink } from "./progress.js";

/** The process surface a command may use. */
export interface CliIo {
  /** Results (plan, check report, exported YAML). */
  out(text: string): void;
  /** Errors and warnings. */
  err(text: string): void;
  /** Progress lines; a no-op unless stderr is a TTY. */
  progress(text: string): void;
  /** Counted progress of a phase (cli/progress.ts): every step on a TTY, a throttled line on a pipe. Falls back to `progress`. */
  step?: ProgressSink;
  /** Whether a person can answer a prompt (stdin and stderr are terminals). */
  readonly interactive: boolean;
  /** Asks on stderr and reads one line from stdin. */
  ask(question: string): Promise<string>;
  readonly env: NodeJS.ProcessEnv;
  /** The file system `--out` writes through (cli/out-file.ts); the real one when absent. */
  readonly outFiles?: OutFileSystem;
  /**
   * Calls `listener` on the first interrupt (SIGINT) until the returned function is called; a second
   * interrupt ends the process at once. Absent where nothing can interrupt (a test's in-process run).
   */
  onInterrupt?(listener: () => void): () => void;
}

/** The real process: stdout, stderr, stdin and the environment. */
export function processIo(): CliIo {
  const stderrTty = process.stderr.isTTY === true;
  return {
    out: (text) => void process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    err: (text) => void process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
    progress: (text) => {
      if (stderrTty) process.stderr.write(`${text}\n`);
    },
    step: progressPrinter((line) => void process.stderr.write(`${line}\n`), stderrTty),
    interactive: process.stdin.isTTY === true && stderrTty,
    ask: async (question) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await new Promise<string>((resolve) => rl.question(question, resolve));
      } finally {
        rl.close();
      }
    },
    env: process.env,
    onInterrupt: (listener) => {
      let interrupted = false;
      const handler = (): void => {
        if (interrupted) process.exit(130);
        interrupted = true;
        listener();
      };
      process.on("SIGINT", handler);
      return () => void process.off("SIGINT", handler);
    },
  };
}
