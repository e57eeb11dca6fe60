/**
 * An `EtagCache` backed by a file that is read on first use rather than at construction, so that
 * `createClients` does no I/O (the provider builds clients inside every method, even `check`).
 * The cache only saves requests: a path that is not a regular file (a FIFO would block the read
 * forever, `/dev/full` never ends, the atomic rename would replace the device node, and a symbolic
 * link may point at anyone's file), a file that does not hold a cache (cut short, hand-edited) or
 * one that cannot be written makes the run go on without it, with a warning, never a hang or a
 * failed command. Such a file is left as it is.
 */
import { lstatSync } from "node:fs";
import { EtagCache, EtagCacheFileError, type CachedResponse, type EtagCacheOptions } from "./etag-cache.js";

/** An ETag cache loaded from `file` on first access; `save()` writes it back when it was used. */
export class LazyFileEtagCache extends EtagCache {
  readonly #path: string;
  readonly #options: Omit<EtagCacheOptions, "file">;
  #loaded: EtagCache | null = null;
  /** Why the file is not used (the run keeps a memory-only cache), once that is known. */
  #unusable: string | null = null;

  constructor(file: string, options: Omit<EtagCacheOptions, "file"> = {}) {
    super({ ...options, file });
    this.#path = file;
    this.#options = options;
  }

  /** Why the cache file could not be read or written this run, or null when it could (or was never needed). */
  get warning(): string | null {
    return this.#unusable === null
      ? null
      : `warning: ETag cache ${this.#path} ${this.#unusable}; this run goes on without persisting it (set SOURCELINKS_ETAG_CACHE to a writable file path, or to off)`;
  }

  /** The file's cache, read once (a missing file is an empty cache; an unusable one leaves an empty memory-only cache). */
  #cache(): EtagCache {
    if (this.#loaded === null) {
      try {
        this.#loaded = EtagCache.fromFile(this.#path, this.#options);
      } catch (error) {
        if (!(error instanceof EtagCacheFileError)) throw error;
        this.#unusable = error.reason;
        this.#loaded = new EtagCache(this.#options);
      }
    }
    return this.#loaded;
  }

  override get size(): number {
    return this.#cache().size;
  }

  override get(scope: string, url: string): CachedResponse | undefined {
    return this.#cache().get(scope, url);
  }

  override set(scope: string, url: string, response: CachedResponse): void {
    this.#cache().set(scope, url, response);
  }

  override invalidate(predicate: (url: string) => boolean): number {
    return this.#cache().invalidate(predicate);
  }

  /**
   * Writes back only a cache that was loaded from a regular file (an unused one has nothing new to
   * say). A write that fails becomes `warning`, not an error: the answers it would keep were served.
   */
  override async save(): Promise<void> {
    if (this.#loaded === null || this.#unusable !== null) return;
    // Checked again: the path may have become a FIFO or a device since it was read.
    this.#unusable = fileProblem(this.#path) ?? null;
    if (this.#unusable !== null) return;
    try {
      await this.#loaded.save();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === undefined) throw error;
      this.#unusable = `could not be written (${code})`;
    }
  }
}

/**
 * Why `path` cannot be replaced by the cache, or undefined when it is a regular file or does not
 * exist yet. `lstatSync` never opens the file, so a FIFO cannot block it, and sees a symbolic link
 * as one.
 */
function fileProblem(path: string): string | undefined {
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(path, { throwIfNoEntry: false });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    return `cannot be used (${code})`;
  }
  if (stat === undefined || stat.isFile()) return undefined;
  const kind = stat.isSymbolicLink()
    ? "a symbolic link"
    : stat.isDirectory()
      ? "a directory"
      : stat.isFIFO()
        ? "a named pipe (FIFO)"
        : stat.isCharacterDevice() || stat.isBlockDevice()
          ? "a device"
          : stat.isSocket()
            ? "a socket"
            : "a special file";
  return `is ${kind}, not a regular file`;
}
