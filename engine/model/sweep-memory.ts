/**
 * What a rolling sweep keeps of an owner between runs (`--verify-slices N`): each repository's last
 * verified webhooks and deploy keys and when they were read, and which slice the next run verifies. A
 * run re-reads one slice and every repository with known build-service artifacts, and takes the others
 * from here (reconcile/rolling-sweep.ts).
 */
import type { ObservedDeployKey, ObservedWebhook } from "./observed.js";

/** One repository as last verified. */
export interface RememberedRepository {
  id: string;
  private: boolean;
  archived: boolean;
  webhooks: ObservedWebhook[];
  deployKeys: ObservedDeployKey[];
  /** The run (of this owner's rolling sequence) that read it. */
  verifiedRun: number;
  /** When that run read it (ISO 8601). */
  verifiedAt: string;
}

/** One owner's memory. */
export interface OwnerMemory {
  /** N of the run that wrote it; a run with another N starts over (every repository read). */
  slices: number;
  /** The slice the next run verifies. */
  nextSlice: number;
  /** The number of the last run. */
  run: number;
  repositories: Record<string, RememberedRepository>;
}

/** How stale a rolling sweep's observation may be, printed by plan, check and report. */
export interface RollingStaleness {
  /** N: each repository is verified at least once every N runs. */
  slices: number;
  /** The slice this run verified. */
  slice: number;
  /** Repositories read in this run (the slice, those with known build-service artifacts, new ones). */
  reread: number;
  /** Repositories whose last verified observation stood for them. */
  reused: number;
  /** The bound: a reused repository was verified at most this many runs ago (N − 1). */
  boundRuns: number;
  /** When the oldest reused observation was read (ISO 8601); null when nothing was reused. */
  oldestVerifiedAt: string | null;
}

/** Where rolling sweeps keep their memory, by owner key (`bitbucket:workspace`). */
export interface SweepMemoryStore {
  load(owner: string): Promise<OwnerMemory | null>;
  save(owner: string, memory: OwnerMemory): Promise<void>;
}
