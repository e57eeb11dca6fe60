/**
 * Where the sandbox keeps its world between requests: memory, or a JSON file written atomically
 * (temp file in the same directory, fsync, rename, fsync of the directory), so a crash or a kill
 * leaves either the old state or the new one, never a torn file.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { describeFileProblem, readRegularFile } from "../engine/config/read-file.js";
import type { World } from "./world.js";
import { SourcelinksError } from "../engine/model/errors.js";

/** The largest state file read: 256 MiB, far above a scale world's. */
const MAX_STATE_BYTES = 256 * 1024 * 1024;

/** Persistence of one sandbox world. */
export interface StateStore {
  /** The persisted world, or undefined when there is none yet. */
  load(): World | undefined;
  /** Persists the world as it is now; resolves once it is durable. */
  save(world: World): Promise<void>;
  /** Waits for pending writes. */
  close(): Promise<void>;
}

/** A state file that exists but cannot be read as a world. */
export class StateFileError extends SourcelinksError {
  override readonly name = "StateFileError";
  readonly kind = "input";
}

/** Keeps the world in memory only: the live object is the state. */
export class MemoryStore implements StateStore {
  load(): World | undefined {
    return undefined;
  }
  async save(): Promise<void> {}
  async close(): Promise<void> {}
}

/** Options of a state file; `stallAtWrite` exists for crash tests only. */
export interface FileStoreOptions {
  /**
   * The write (1-based, in this process) that stops forever after half of its temp file is on disk,
   * so a crash test can kill the process inside a write without racing the clock.
   */
  stallAtWrite?: number;
  /** Told once the stalled write has stopped, so the test knows when to kill. */
  onStall?: () => void;
}

/** The crash-test hook's variable: `SOURCELINKS_SANDBOX_STALL_AT_WRITE=N` stalls the Nth state write. */
export const STALL_AT_WRITE_ENV = "SOURCELINKS_SANDBOX_STALL_AT_WRITE";

/** Reads the crash-test hook from the environment (absent or malformed: no hook). */
export function fileStoreOptionsFromEnv(env: NodeJS.ProcessEnv): FileStoreOptions {
  const value = env[STALL_AT_WRITE_ENV];
  if (value === undefined || !/^[1-9][0-9]{0,8}$/.test(value)) return {};
  return {
    stallAtWrite: Number(value),
    onStall: () => process.stderr.write(`sandbox: state write ${value} stalled (${STALL_AT_WRITE_ENV})\n`),
  };
}

/**
 * Persists the world to a JSON file. Saves are group-committed: a save issued while a write is in
 * flight waits for the next write, which serializes the world as it is then, so every caller's
 * change is durable when its promise resolves and a burst of requests costs few writes.
 */
export class FileStore implements StateStore {
  #writing: Promise<void> | null = null;
  #next: { world: World; done: Promise<void>; resolve: () => void; reject: (e: unknown) => void } | null = null;
  #writes = 0;

  /** Opens the state file at `path`, removing temp files a killed writer left beside it. */
  constructor(
    readonly path: string,
    readonly options: FileStoreOptions = {},
  ) {
    removeTempLeftovers(path);
  }

  load(): World | undefined {
    // A regular file under the cap: a FIFO would hang the start, a device never end.
    const read = readRegularFile(this.path, { maxBytes: MAX_STATE_BYTES });
    if ("problem" in read) {
      if (read.problem.kind === "error" && read.problem.code === "ENOENT") return undefined;
      throw new StateFileError(`sandbox: state file ${this.path}: ${describeFileProblem(read.problem)}; remove it or pass a seed`);
    }
    const text = read.bytes.toString("utf8");
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      throw new StateFileError(`sandbox: state file ${this.path} is not valid JSON; remove it or pass a seed`, { cause });
    }
    if (!isWorld(parsed))
      throw new StateFileError(`sandbox: state file ${this.path} does not hold a sandbox world; remove it or pass a seed`);
    return parsed;
  }

  save(world: World): Promise<void> {
    if (this.#next) {
      this.#next.world = world;
      return this.#next.done;
    }
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#next = { world, done, resolve, reject };
    void this.#drain();
    return done;
  }

  async close(): Promise<void> {
    // Failures were already delivered to the callers of save(); here we only wait for quiet.
    while (this.#writing || this.#next) {
      const pending = this.#writing ?? this.#next?.done;
      if (pending) await Promise.allSettled([pending]);
    }
  }

  async #drain(): Promise<void> {
    if (this.#writing) return;
    while (this.#next) {
      const batch = this.#next;
      this.#next = null;
      // Serialize now, not at enqueue time: the write includes every change made so far.
      const stall = ++this.#writes === this.options.stallAtWrite;
      this.#writing = writeAtomically(this.path, JSON.stringify(batch.world), stall ? (this.options.onStall ?? (() => {})) : null);
      try {
        await this.#writing;
        batch.resolve();
      } catch (error) {
        batch.reject(error);
      } finally {
        this.#writing = null;
      }
    }
  }
}

/** The temp-file name prefix of `path`'s atomic writes. */
function tempPrefix(path: string): string {
  return `.${basename(path)}.`;
}

/**
 * Removes temp files a killed writer left beside `path` (its rename never happened, so the state file
 * is whole without them). Called when a state file is opened, before this process writes it.
 */
function removeTempLeftovers(path: string): void {
  const dir = dirname(path);
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (name.startsWith(tempPrefix(path)) && name.endsWith(".tmp")) rmSync(join(dir, name), { force: true });
  }
}

/**
 * Writes `text` to `path` so readers see the old or the new content, never a mix. With `stall`, the
 * write stops for good halfway through the temp file and calls `stall` (the crash tests' hook).
 */
export async function writeAtomically(path: string, text: string, stall: (() => void) | null = null): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `${tempPrefix(path)}${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const file = await open(temp, "w", 0o600);
  try {
    if (stall) {
      await file.writeFile(text.slice(0, text.length >> 1), "utf8");
      await file.sync();
      stall();
      await new Promise<never>(() => {});
    }
    await file.writeFile(text, "utf8");
    await file.sync();
  } catch (error) {
    await file.close();
    await unlink(temp);
    throw error;
  }
  await file.close();
  await rename(temp, path);
  // The rename is durable only once the directory entry is flushed.
  const dirHandle = await open(dir, "r");
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}

/** A structural check that a parsed value is a world (enough to refuse the wrong file). */
export function isWorld(value: unknown): value is World {
  if (typeof value !== "object" || value === null) return false;
  const w = value as Partial<World>;
  return (
    typeof w.nextId === "number" &&
    typeof w.github === "object" &&
    w.github !== null &&
    Array.isArray(w.github.accounts) &&
    typeof w.bitbucket === "object" &&
    w.bitbucket !== null &&
    Array.isArray(w.bitbucket.users) &&
    Array.isArray(w.oauthApps) &&
    typeof w.buildService === "object" &&
    w.buildService !== null &&
    Array.isArray(w.buildService.links)
  );
}
