/**
 * The JSON files a CLI run keeps beside its ETag cache (inventories, verifications, the cache itself):
 * written atomically, so a run killed mid-write leaves the previous file whole, and readable by their
 * owner only, since they name what the tokens can see.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { readRegularFile } from "../config/read-file.js";

/** Writes `body` as JSON to `file` through a temporary file renamed over it (mode 0600). */
export async function writeStateFile(file: string, body: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, JSON.stringify(body), { mode: 0o600 });
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** A state file's parsed JSON (`null` when there is no file yet), or why it cannot be used. */
export function readStateFile(file: string, maxBytes: number): { ok: true; value: unknown } | { ok: false; problem: string } {
  const read = readRegularFile(file, { maxBytes, noFollow: true });
  if ("problem" in read) {
    if (read.problem.kind === "error" && read.problem.code === "ENOENT") return { ok: true, value: null };
    return { ok: false, problem: `${file} cannot be read (${read.problem.kind})` };
  }
  try {
    return { ok: true, value: JSON.parse(read.bytes.toString("utf8")) as unknown };
  } catch {
    return { ok: false, problem: `${file} is not JSON` };
  }
}

/** Keyed entries kept somewhere: a state file's, or memory's. */
export interface KeyedEntries<T> {
  /** Why the entries could not be loaded; null when they could. */
  readonly problem: string | null;
  get(key: string): T | undefined;
  set(key: string, entry: T): void;
  delete(key: string): void;
  /** Keeps what changed where the entries live. */
  save(): Promise<void>;
}

/** Entries in memory only, for a caller that persists them itself (the Pulumi provider, in a resource's outputs). */
export class MemoryEntries<T> implements KeyedEntries<T> {
  readonly #entries = new Map<string, T>();
  readonly problem = null;

  get(key: string): T | undefined {
    return this.#entries.get(key);
  }

  set(key: string, entry: T): void {
    this.#entries.set(key, entry);
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Nothing to write: the caller reads the entries back with `get`. */
  async save(): Promise<void> {}
}

/**
 * A state file of keyed entries (`{ version: 1, <field>: { key: entry } }`), loaded on first use and
 * written back by `save` when something changed. A file that cannot be used counts as empty, so the
 * run reads in full, and `problem` says why.
 */
export class KeyedStateFile<T> implements KeyedEntries<T> {
  #entries: Map<string, T> | null = null;
  #problem: string | null = null;
  #dirty = false;

  /** `field` holds the entries; `what` names them in a problem; `isEntry` refuses an entry that is not ours. */
  constructor(
    readonly file: string,
    private readonly layout: { field: string; what: string; maxBytes: number; isEntry: (value: unknown) => value is T },
  ) {}

  /** Why the file could not be used, once loaded; null when it could (or did not exist yet). */
  get problem(): string | null {
    this.#load();
    return this.#problem;
  }

  /** The entry under `key`. */
  get(key: string): T | undefined {
    return this.#load().get(key);
  }

  /** Replaces the entry under `key` (kept in memory until `save`). */
  set(key: string, entry: T): void {
    this.#load().set(key, entry);
    this.#dirty = true;
  }

  /** Forgets the entry under `key`. */
  delete(key: string): void {
    if (this.#load().delete(key)) this.#dirty = true;
  }

  /** Writes the file atomically when something changed. */
  async save(): Promise<void> {
    if (!this.#dirty || this.#entries === null) return;
    await writeStateFile(this.file, { version: 1, [this.layout.field]: Object.fromEntries(this.#entries) });
    this.#dirty = false;
  }

  #load(): Map<string, T> {
    if (this.#entries !== null) return this.#entries;
    const entries = new Map<string, T>();
    this.#entries = entries;
    const read = readStateFile(this.file, this.layout.maxBytes);
    if (!read.ok) {
      this.#problem = read.problem;
      return entries;
    }
    if (read.value === null) return entries;
    const parsed = read.value as { version?: unknown } & Record<string, unknown>;
    const held = parsed?.version === 1 ? parsed[this.layout.field] : undefined;
    if (typeof held !== "object" || held === null) {
      this.#problem = `${this.file} does not hold ${this.layout.what}`;
      return entries;
    }
    for (const [k, v] of Object.entries(held)) if (this.layout.isEntry(v)) entries.set(k, v);
    return entries;
  }
}
