/**
 * Progress of long runs (design.md §6): on a terminal every step as it happens; on a pipe (CI) one
 * `phase: done/total` line at most every `intervalMs` per phase, plus the line that completes it, so
 * a CI log shows the run moving without one line per step. Time is a parameter, for tests.
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
  const last = new Map<string, number>();
  return (phase, done, total) => {
    const t = now();
    const previous = last.get(phase);
    if (done < total && previous !== undefined && t - previous < interval) return;
    last.set(phase, t);
    write(`${phase}: ${done}/${total}`);
  };
}
