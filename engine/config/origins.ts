/**
 * Where each part of a merged configuration was written: maps a pointer into the merged config
 * (e.g. `/links/3/repositories/0`) to a file and a pointer into that file. Links and org access
 * entries concatenate in file order, so one start index per file is the whole index.
 */
import type { ProvidersSpec } from "../model/spec.js";
import type { SourceLocation } from "./loaded-config.js";
import type { RawConfigFile } from "./raw.js";
import type { Anchor, SourceMap } from "./source-map.js";
import { subjectOf } from "./labels.js";
import { joinPointer, splitPointer } from "./pointer.js";

/** One validated file (or the valid part of one) taking part in a merge. */
export interface FileEntry {
  file: string;
  data: RawConfigFile;
  /** The file's data as written, for naming entries in messages. */
  original: unknown;
  /** When invalid entries were left out: the original index of each kept entry. */
  kept: { links?: number[]; orgAccess?: number[]; sweeps?: number[]; builds?: number[] };
  sourceMap: SourceMap;
}

/** A merged pointer resolved to its file. */
export interface Origin {
  entry: FileEntry;
  /** Pointer into that file's data. */
  pointer: string;
}

/** Which file supplied each section of the merged config. */
export interface SectionOwners {
  buildService: number | undefined;
  providers: Partial<Record<keyof ProvidersSpec, number>>;
  /** Index of each file's first link (and org access entry) in the merged lists. */
  linkStarts: number[];
  orgAccessStarts: number[];
  sweepStarts: number[];
  buildStarts: number[];
}

/** Resolves merged pointers to files, lines and columns, and names them in messages. */
export class Origins {
  readonly #entries: readonly FileEntry[];
  readonly #owners: SectionOwners;

  constructor(entries: readonly FileEntry[], owners: SectionOwners) {
    this.#entries = entries;
    this.#owners = owners;
  }

  /** The file and local pointer a merged pointer came from, or undefined when nothing did. */
  resolve(pointer: string): Origin | undefined {
    const [section, key, ...rest] = splitPointer(pointer);
    const first = this.#entries[0];
    if (section === undefined || section === "apiVersion") return first && { entry: first, pointer };
    if (section === "buildService") return this.#owned(this.#owners.buildService, pointer);
    if (section === "providers") {
      const owner = key === "github" || key === "bitbucket" ? this.#owners.providers[key] : Object.values(this.#owners.providers)[0];
      return this.#owned(owner, pointer);
    }
    if (section === "links" || section === "orgAccess" || section === "sweeps" || section === "builds") {
      const starts = {
        links: this.#owners.linkStarts,
        orgAccess: this.#owners.orgAccessStarts,
        sweeps: this.#owners.sweepStarts,
        builds: this.#owners.buildStarts,
      }[section];
      if (key === undefined) {
        const owner = this.#entries.findIndex((e) => e.data[section] !== undefined);
        return this.#owned(owner < 0 ? undefined : owner, pointer);
      }
      const index = Number(key);
      const file = fileOf(starts, index);
      const entry = file === undefined ? undefined : this.#entries[file];
      if (file === undefined || entry === undefined) return undefined;
      const position = index - (starts[file] ?? 0);
      if (position >= (entry.data[section]?.length ?? 0)) return undefined;
      const local = entry.kept[section]?.[position] ?? position;
      return { entry, pointer: joinPointer([section, local, ...rest]) };
    }
    return undefined;
  }

  /** Line and column of a merged pointer (nearest written ancestor for defaulted values). */
  locate(pointer: string, anchor: Anchor = "value"): SourceLocation | undefined {
    const origin = this.resolve(pointer);
    return origin?.entry.sourceMap.locate(origin.pointer, anchor);
  }

  /** `FILE:LINE:COL` of a merged pointer, for messages naming a second place. */
  where(pointer: string, anchor: Anchor = "value"): string {
    const at = this.locate(pointer, anchor);
    return at === undefined ? "(unknown location)" : `${at.file}:${at.line}:${at.column}`;
  }

  /** The subject of a message about a merged pointer, with indexes local to its file. */
  subject(pointer: string, options?: { named: boolean }): string {
    const origin = this.resolve(pointer);
    return origin === undefined ? pointer : subjectOf(origin.pointer, options?.named === false ? undefined : origin.entry.original);
  }

  #owned(file: number | undefined, pointer: string): Origin | undefined {
    const entry = file === undefined ? undefined : this.#entries[file];
    return entry && { entry, pointer };
  }
}

/** The last file whose start is at or before `index` (binary search; starts ascend). */
function fileOf(starts: readonly number[], index: number): number | undefined {
  if (!Number.isInteger(index) || index < 0) return undefined;
  let low = 0;
  let high = starts.length - 1;
  let found: number | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if ((starts[mid] ?? 0) <= index) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}
