/**
 * An `EtagCache` backed by a file that is read on first use rather than at construction, so that
 * `createClients` does no I/O (the provider builds clients inside every method, even `check`).
 */
import { EtagCache, type CachedResponse, type EtagCacheOptions } from "./etag-cache.js";

/** An ETag cache loaded from `file` on first access; `save()` writes it back when it was used. */
export class LazyFileEtagCache extends EtagCache {
  readonly #path: string;
  readonly #options: Omit<EtagCacheOptions, "file">;
  #loaded: EtagCache | null = null;

  constructor(file: string, options: Omit<EtagCacheOptions, "file"> = {}) {
    super({ ...options, file });
    this.#path = file;
    this.#options = options;
  }

  /** The file's cache, read once (a missing file is an empty cache). */
  #cache(): EtagCache {
    this.#loaded ??= EtagCache.fromFile(this.#path, this.#options);
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

  /** Writes back only a cache that was loaded: an unused one has nothing new to say. */
  override async save(): Promise<void> {
    if (this.#loaded !== null) await this.#loaded.save();
  }
}
