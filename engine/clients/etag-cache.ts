/**
 * ETags and the bodies they stand for, so a repeated GET can send `If-None-Match` and a `304 Not
 * Modified` (free of GitHub's primary rate limit) can be answered from memory. Entries are scoped by
 * a hash of the credential (never the credential), since what a token may see differs per token.
 * Persisted as JSON with an atomic write (temp file + rename) when a file is given.
 */
import { createHash } from "node:crypto";
import type { Secret } from "../model/secret.js";
import { type FileProblem, readRegularFile } from "../config/read-file.js";
import { formatBytes } from "../config/input-limits.js";
import { writeStateFile } from "./state-file.js";
import { SourcelinksError } from "../model/errors.js";

/** One cached answer: the validators, the body and the pagination `Link` header that came with it. */
export interface CachedResponse {
  etag: string;
  data: unknown;
  link: string | null;
  /**
   * `tokenFingerprint` of the token the ETag was issued to: GitHub's ETags are token specific, and a
   * scope's token may change (a GitHub App installation's, renewed hourly). Without one, the ETag is never sent.
   */
  token?: string;
  /** The `Last-Modified` date GitHub sent, if any: a date is not token specific, so it is sent after a token change too. */
  lastModified?: string;
}

interface CacheFile {
  version: 1;
  entries: [string, CachedResponse][];
}

/** The largest cache file read: 128 MiB, far above 100,000 trimmed listings; a bigger one is not this tool's. */
export const MAX_CACHE_FILE_BYTES = 128 * 1024 * 1024;

/** A cache file that cannot be used: `reason` says why (`is not valid JSON: delete it…`, `is a symbolic link, not a regular file`). */
export class EtagCacheFileError extends SourcelinksError {
  override readonly name = "EtagCacheFileError";
  readonly kind = "input";
  readonly reason: string;

  constructor(file: string, reason: string) {
    super(`etag cache: ${file} ${reason}`);
    this.reason = reason;
  }
}

/** Why a path cannot hold the cache, as the end of `ETag cache FILE …`. */
export function pathProblem(problem: FileProblem): string {
  switch (problem.kind) {
    case "directory":
      return "is a directory, not a regular file";
    case "special":
      return `is ${problem.what}, not a regular file`;
    case "symlink":
      return "is a symbolic link, not a regular file";
    case "too-large":
      return `is over the ${formatBytes(problem.limit)} limit for a cache file`;
    case "error":
      return `cannot be used (${problem.code})`;
  }
}

/** What to do about a file that is not a cache: it is never overwritten, since it may be someone's file. */
const START_AFRESH = "delete it to start a new cache";

/** The entries of a cache file's text; anything but `{ version: 1, entries: [[key, response], …] }` throws {@link EtagCacheFileError}. */
function parseCacheFile(text: string, file: string): [string, CachedResponse][] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new EtagCacheFileError(file, `is not valid JSON: ${START_AFRESH}`);
  }
  const body = parsed as Partial<CacheFile> | null;
  if (body === null || typeof body !== "object" || body.version !== 1 || !Array.isArray(body.entries))
    throw new EtagCacheFileError(file, `has an unknown format (expected version 1 and a list of entries): ${START_AFRESH}`);
  const bad = body.entries.findIndex((entry: unknown) => !isEntry(entry));
  if (bad >= 0)
    throw new EtagCacheFileError(file, `has an unknown format (entry ${bad} is not a [key, { etag, data, link }] pair): ${START_AFRESH}`);
  return body.entries;
}

/** Whether a parsed value is one `[key, CachedResponse]` pair as `save()` writes it. */
function isEntry(entry: unknown): entry is [string, CachedResponse] {
  if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== "string") return false;
  const value = entry[1] as Partial<CachedResponse> | null;
  return (
    value !== null &&
    typeof value === "object" &&
    typeof value.etag === "string" &&
    "data" in value &&
    (value.link === null || typeof value.link === "string")
  );
}

/** Options of an ETag cache. */
export interface EtagCacheOptions {
  /** JSON file to load from and `save()` to; memory only when absent. */
  file?: string;
  /** Least recently used entries beyond this are dropped. Default 100,000. */
  maxEntries?: number;
}

/** The cache scope of a credential: a SHA-256 prefix, so the token itself is never stored or printed. */
export function credentialScope(token: Secret | null): string {
  if (token === null) return "anonymous";
  return createHash("sha256").update(token.reveal()).digest("hex").slice(0, 24);
}

/**
 * A non-reversible fingerprint of a token, to tell which token an ETag was issued to without storing
 * the token (the cache is a file on disk): a domain-separated SHA-256, cut to 96 bits.
 */
export function tokenFingerprint(token: string): string {
  return createHash("sha256").update(`sourcelinks etag token\n${token}`).digest("hex").slice(0, 24);
}

/** An LRU map of `(scope, URL) → CachedResponse`. */
export class EtagCache {
  readonly file: string | null;
  readonly #max: number;
  #entries = new Map<string, CachedResponse>();
  #dirty = false;

  constructor(options: EtagCacheOptions = {}) {
    this.file = options.file ?? null;
    this.#max = options.maxEntries ?? 100_000;
  }

  /**
   * A cache loaded from `file` (empty when the file does not exist yet); `save()` writes it back.
   * Throws {@link EtagCacheFileError} when the path is not a regular file (a symbolic link included)
   * or does not hold a cache.
   */
  static fromFile(file: string, options: Omit<EtagCacheOptions, "file"> = {}): EtagCache {
    const cache = new EtagCache({ ...options, file });
    const read = readRegularFile(file, { maxBytes: MAX_CACHE_FILE_BYTES, noFollow: true });
    if ("problem" in read) {
      if (read.problem.kind === "error" && read.problem.code === "ENOENT") return cache;
      throw new EtagCacheFileError(file, pathProblem(read.problem));
    }
    for (const [key, value] of parseCacheFile(read.bytes.toString("utf8"), file)) cache.#entries.set(key, value);
    return cache;
  }

  /** Number of cached responses. */
  get size(): number {
    return this.#entries.size;
  }

  /** The cached response for a URL, refreshed as most recently used. */
  get(scope: string, url: string): CachedResponse | undefined {
    const key = `${scope} ${url}`;
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
    }
    return hit;
  }

  /** Stores the response to a URL. */
  set(scope: string, url: string, response: CachedResponse): void {
    const key = `${scope} ${url}`;
    this.#entries.delete(key);
    this.#entries.set(key, response);
    this.#dirty = true;
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  /** Drops every entry (of any scope) whose URL satisfies `predicate`; returns how many. */
  invalidate(predicate: (url: string) => boolean): number {
    let n = 0;
    for (const key of [...this.#entries.keys()]) {
      if (predicate(key.slice(key.indexOf(" ") + 1))) {
        this.#entries.delete(key);
        n++;
      }
    }
    if (n > 0) this.#dirty = true;
    return n;
  }

  /** Writes the cache to its file atomically (no-op without a file or when nothing changed). */
  async save(): Promise<void> {
    if (this.file === null || !this.#dirty) return;
    const body: CacheFile = { version: 1, entries: [...this.#entries] };
    await writeStateFile(this.file, body);
    this.#dirty = false;
  }
}
