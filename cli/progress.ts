/**
 * Progress of long runs (docs/cli.md): on a terminal every step as it happens; on a pipe (CI) a
 * `phase: done/total` line once a phase has run for `intervalMs` and then at most every `intervalMs`,
 * plus the line that completes a phase that printed any, so a CI log shows a long run moving without
 * one line per step, and a short run's output stays exactly its result. Time is a parameter, for tests.
 */

/** Reports that `done` of `total` items of `phase` are finished; `detail` names the last one. */
export type ProgressSink = (phase: string, done: number, total: number, detail: string) => void;

/** How often a pipe gets a progress line by default. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 5_000;

/** Options of {@link progressPrinter}. */
export interface ProgressOptions {
  /** Milliseconds now (default `Date.now`). */
  now?: () => number;
  /** Least time between two lines of one phase on a pipe (default 5 s). */
  intervalMs?: number;
}

/** A sink that writes lines: all of them on a terminal, throttled ones on a pipe. */
export function progressPrinter(write: (line: string) => void, terminal: boolean, options: ProgressOptions = {}): ProgressSink {
  if (terminal) return (phase, done, total, detail) => write(`${phase} ${done}/${total}: ${detail}`);
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  /** Per phase: when it started or last printed, and whether it printed at all. */
  const phases = new Map<string, { since: number; printed: boolean }>();
  return (phase, done, total) => {
    const t = now();
    const state = phases.get(phase) ?? { since: t, printed: false };
    phases.set(phase, state);
    const due = t - state.since >= interval;
    if (!(due || (done >= total && state.printed))) return;
    state.since = t;
    state.printed = true;
    write(`${phase}: ${done}/${total}`);
  };
}
