/**
 * A sweep that rolls (`--verify-slices N`, for Bitbucket, which has no change feed): each run re-reads
 * one slice of the owner's repositories (rolling-slices.ts), every repository with a build-service
 * artifact at its last reading, and every repository it has not read before; the last verified
 * observation stands for the rest. So each repository is verified at least once every N runs, a
 * repository the build service touched is verified every run, and a 5,000-repository workspace fits
 * in Bitbucket's 1,000 webhook-data requests an hour. Pure: the memory is read and written by its
 * store (clients/sweep-memory-file.ts).
 */
import type { OwnerRepository } from "../clients/types.js";
import type { OwnerMemory, RememberedRepository, RollingStaleness } from "../model/sweep-memory.js";
import { selectRollingSlice, stalenessBoundRuns } from "./rolling-slices.js";

/** A repository as inventory-owner.ts returns it. */
export interface RollingRepository extends OwnerRepository {
  exists: boolean;
  webhooks: RememberedRepository["webhooks"];
  deployKeys: RememberedRepository["deployKeys"];
}

/** The build service's matchers, to tell which repositories hold its artifacts. */
export interface ArtifactMatchers {
  isBuildServiceWebhook(url: string): boolean;
  isBuildServiceDeployKey(title: string): boolean;
}

/** One owner's rolling read in one run. */
export class RollingSweep {
  readonly #slices: number;
  readonly #slice: number;
  readonly #run: number;
  readonly #at: string;
  readonly #previous: Record<string, RememberedRepository>;
  readonly #matchers: ArtifactMatchers;
  readonly #next: Record<string, RememberedRepository> = {};
  #reread = 0;
  #reused = 0;
  #oldest: string | null = null;

  /** `previous`: the owner's memory, or null; one written with another N is not used. `at`: this run's time. */
  constructor(slices: number, previous: OwnerMemory | null, at: Date, matchers: ArtifactMatchers) {
    if (!Number.isInteger(slices) || slices < 1) throw new RangeError(`verify slices must be a positive integer, got ${slices}`);
    const usable = previous !== null && previous.slices === slices ? previous : null;
    this.#slices = slices;
    this.#slice = usable?.nextSlice ?? 0;
    this.#run = (usable?.run ?? 0) + 1;
    this.#at = at.toISOString();
    this.#previous = usable?.repositories ?? {};
    this.#matchers = matchers;
  }

  /** Splits a listing page into what this run reads and what it takes from memory. */
  split(page: readonly OwnerRepository[]): { read: OwnerRepository[]; reused: RollingRepository[] } {
    const byName = new Map(page.map((r) => [r.repository, r]));
    const selection = selectRollingSlice({
      repositories: page.map((r) => r.repository),
      slices: this.#slices,
      slice: this.#slice,
      mustRead: (name) => {
        const known = this.#previous[name];
        return known === undefined || this.#holdsArtifacts(known);
      },
    });
    const reused = selection.reuse.map((name): RollingRepository => {
      const known = this.#previous[name]!;
      const listed = byName.get(name)!;
      this.#next[name] = known;
      this.#reused++;
      if (this.#oldest === null || known.verifiedAt < this.#oldest) this.#oldest = known.verifiedAt;
      return { ...listed, exists: true, webhooks: known.webhooks, deployKeys: known.deployKeys };
    });
    return { read: selection.read.map((name) => byName.get(name)!), reused };
  }

  /** Records what this run read. */
  record(read: readonly RollingRepository[]): void {
    for (const repo of read) {
      this.#reread++;
      if (!repo.exists) continue;
      this.#next[repo.repository] = {
        id: repo.id,
        private: repo.private,
        archived: repo.archived,
        webhooks: repo.webhooks,
        deployKeys: repo.deployKeys,
        verifiedRun: this.#run,
        verifiedAt: this.#at,
      };
    }
  }

  /** The memory to store for the next run: repositories no longer listed are forgotten. */
  memory(): OwnerMemory {
    return { slices: this.#slices, nextSlice: (this.#slice + 1) % this.#slices, run: this.#run, repositories: this.#next };
  }

  /** What this run's observation may be missing, for plan, check and report. */
  staleness(): RollingStaleness {
    return {
      slices: this.#slices,
      slice: this.#slice,
      reread: this.#reread,
      reused: this.#reused,
      boundRuns: stalenessBoundRuns(this.#slices),
      oldestVerifiedAt: this.#oldest,
    };
  }

  #holdsArtifacts(repo: RememberedRepository): boolean {
    return (
      repo.webhooks.some((h) => this.#matchers.isBuildServiceWebhook(h.url)) ||
      repo.deployKeys.some((k) => this.#matchers.isBuildServiceDeployKey(k.title))
    );
  }
}
