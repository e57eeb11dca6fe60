/**
 * Rolling verification (pure): an owner's repositories split into N stable slices, one of which a run
 * re-reads besides what must be read every run, so each repository is verified at least every N runs
 * and a run costs about 1/N of a full read. A repository's slice depends on its name only (lower
 * case, FNV-1a), so runs agree on it without storing anything but the next slice's number.
 */

/** The slice (0 … slices-1) a repository belongs to. */
export function sliceOf(repository: string, slices: number): number {
  if (!Number.isInteger(slices) || slices < 1) throw new RangeError(`slices must be a positive integer, got ${slices}`);
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(repository.toLowerCase(), "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % slices;
}

/** What a rolling run reads, and what it takes from the last verified observation. */
export interface RollingSelection {
  /** The slice this run verifies. */
  slice: number;
  /** The slice the next run verifies (store it). */
  nextSlice: number;
  /** Repositories to re-read now: this slice's and every one `mustRead` names, in input order. */
  read: string[];
  /** The others: their last verified observation stands for them. */
  reuse: string[];
}

/** What to select from. */
export interface RollingInput {
  /** The owner's repositories (`owner/name`). */
  repositories: readonly string[];
  /** N ≥ 1; 1 reads everything every run. */
  slices: number;
  /** The slice this run verifies (the stored `nextSlice` of the previous run; 0 for the first); taken modulo N. */
  slice: number;
  /** Repositories read every run whatever their slice: those with known build-service artifacts, those events touched. */
  mustRead?: (repository: string) => boolean;
}

/** Splits an owner's repositories into what this run re-reads and what it reuses. */
export function selectRollingSlice(input: RollingInput): RollingSelection {
  const { repositories, slices } = input;
  const slice = ((input.slice % slices) + slices) % slices;
  const mustRead = input.mustRead ?? (() => false);
  const read: string[] = [];
  const reuse: string[] = [];
  for (const repository of repositories) {
    if (mustRead(repository) || sliceOf(repository, slices) === slice) read.push(repository);
    else reuse.push(repository);
  }
  return { slice, nextSlice: (slice + 1) % slices, read, reuse };
}

/**
 * The staleness bound a rolling read gives, in runs: a repository outside `mustRead` was verified at
 * most `slices - 1` runs ago (never, before the first N runs since the last full read).
 */
export function stalenessBoundRuns(slices: number): number {
  return slices - 1;
}
