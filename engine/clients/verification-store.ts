/**
 * The last verification of each replacement build's file that found it verified, kept in a JSON file
 * beside the ETag cache (`verifications.json`), so the next run can carry it over after reading only
 * the default branch's head. Holds what observation and verification read (names, commits, run and
 * tag dates), never a credential: the reader is named by a one-way fingerprint, as the ETag cache's
 * scopes are. Written atomically (temp file + rename), mode 0600.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { readRegularFile } from "../config/read-file.js";
import type { ObservedReplacement } from "../model/replacement.js";
import type { ReplacementVerdict } from "../model/replacement-run.js";

/** One file's verification as stored: who read it, what it was about, when, and what it found. */
export interface StoredVerification {
  /** The reading credential's fingerprint (the client's `credentialScope`): another token's answers are not reused. */
  credential: string;
  /** SHA-256 of the rendered file and of the builds' declarations: a changed declaration is verified afresh. */
  digest: string;
  /** When the verification ran (epoch ms). */
  verifiedAt: number;
  /** The observation, less the file's text (the rendered text it equals). */
  observed: Omit<ObservedReplacement, "defaultText" | "carriedOver">;
  /** The verdict on each build of the file, all `verified`. */
  verdicts: ReplacementVerdict[];
}

interface StoreFile {
  version: 1;
  verifications: Record<string, StoredVerification>;
}

/** The largest file read, as for the ETag cache. */
const MAX_BYTES = 128 * 1024 * 1024;

/** Where verifications are kept: beside the ETag cache file. */
export function verificationStorePath(etagCacheFile: string): string {
  return join(dirname(etagCacheFile), "verifications.json");
}

/** The verifications of one file, loaded on first use; a file that cannot be read is treated as empty (every build is then read in full). */
export class VerificationStore {
  #entries: Map<string, StoredVerification> | null = null;
  #problem: string | null = null;
  #dirty = false;

  constructor(readonly file: string) {}

  /** Why the file could not be used, once loaded; null when it could (or did not exist yet). */
  get problem(): string | null {
    this.#load();
    return this.#problem;
  }

  /** The stored verification under `key` (the API scope, repository, file and ref: see carried-verifications.ts). */
  get(key: string): StoredVerification | undefined {
    return this.#load().get(key);
  }

  /** Replaces the verification under `key` (kept in memory until `save`). */
  set(key: string, verification: StoredVerification): void {
    this.#load().set(key, verification);
    this.#dirty = true;
  }

  /** Forgets the verification under `key`. */
  delete(key: string): void {
    if (this.#load().delete(key)) this.#dirty = true;
  }

  /** Writes the file atomically when something changed. */
  async save(): Promise<void> {
    if (!this.#dirty || this.#entries === null) return;
    const body: StoreFile = { version: 1, verifications: Object.fromEntries(this.#entries) };
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      await writeFile(tmp, JSON.stringify(body), { mode: 0o600 });
      await rename(tmp, this.file);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    this.#dirty = false;
  }

  #load(): Map<string, StoredVerification> {
    if (this.#entries !== null) return this.#entries;
    this.#entries = new Map();
    const read = readRegularFile(this.file, { maxBytes: MAX_BYTES, noFollow: true });
    if ("problem" in read) {
      if (!(read.problem.kind === "error" && read.problem.code === "ENOENT"))
        this.#problem = `${this.file} cannot be read (${read.problem.kind})`;
      return this.#entries;
    }
    try {
      const parsed = JSON.parse(read.bytes.toString("utf8")) as Partial<StoreFile> | null;
      if (parsed?.version !== 1 || typeof parsed.verifications !== "object" || parsed.verifications === null)
        throw new Error("unknown format");
      for (const [k, v] of Object.entries(parsed.verifications)) if (isStored(v)) this.#entries.set(k, v);
    } catch {
      this.#problem = `${this.file} does not hold stored verifications`;
    }
    return this.#entries;
  }
}

/** A structural check, enough to refuse an entry that is not ours. */
function isStored(value: unknown): value is StoredVerification {
  const v = value as Partial<StoredVerification> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.credential === "string" &&
    typeof v.digest === "string" &&
    typeof v.verifiedAt === "number" &&
    typeof v.observed === "object" &&
    v.observed !== null &&
    typeof v.observed.defaultSha === "string" &&
    typeof v.observed.defaultBranch === "string" &&
    Array.isArray(v.verdicts)
  );
}
