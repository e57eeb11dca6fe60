/**
 * The rolling sweeps' memory (model/sweep-memory.ts) in a JSON file beside the ETag cache, read on
 * first use and written atomically (temp file + rename) after each owner's sweep. A file that is
 * missing, unreadable or not a memory is an empty memory: the next run reads every repository again,
 * which costs requests but never hides one. Writes of one run are serialized, so two sweeps of the run
 * do not lose each other's owner.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { OwnerMemory, SweepMemoryStore } from "../model/sweep-memory.js";

interface MemoryFile {
  version: 1;
  owners: Record<string, OwnerMemory>;
}

/** A `SweepMemoryStore` in `file`. */
export class FileSweepMemory implements SweepMemoryStore {
  readonly #file: string;
  #data: Promise<MemoryFile> | null = null;
  #writes: Promise<void> = Promise.resolve();

  constructor(file: string) {
    this.#file = file;
  }

  async load(owner: string): Promise<OwnerMemory | null> {
    return (await this.#read()).owners[owner] ?? null;
  }

  save(owner: string, memory: OwnerMemory): Promise<void> {
    this.#writes = this.#writes.then(async () => {
      const data = await this.#read();
      data.owners[owner] = memory;
      await mkdir(dirname(this.#file), { recursive: true });
      const tmp = `${this.#file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(data), { mode: 0o600 });
      await rename(tmp, this.#file);
    });
    return this.#writes;
  }

  #read(): Promise<MemoryFile> {
    this.#data ??= readFile(this.#file, "utf8").then(parseMemory, () => emptyMemory());
    return this.#data;
  }
}

/** A `SweepMemoryStore` that lasts as long as the process (no cache folder known). */
export class InMemorySweepMemory implements SweepMemoryStore {
  readonly #owners = new Map<string, OwnerMemory>();

  load(owner: string): Promise<OwnerMemory | null> {
    return Promise.resolve(this.#owners.get(owner) ?? null);
  }

  save(owner: string, memory: OwnerMemory): Promise<void> {
    this.#owners.set(owner, structuredClone(memory));
    return Promise.resolve();
  }
}

function emptyMemory(): MemoryFile {
  return { version: 1, owners: {} };
}

/** The file's memory, or an empty one when the text is not a memory this version wrote. */
function parseMemory(text: string): MemoryFile {
  try {
    const parsed = JSON.parse(text) as Partial<MemoryFile> | null;
    const owners = parsed?.owners;
    if (parsed?.version !== 1 || typeof owners !== "object" || owners === null || Array.isArray(owners)) return emptyMemory();
    const usable = Object.entries(owners).filter(([, m]) => isOwnerMemory(m));
    return { version: 1, owners: Object.fromEntries(usable) };
  } catch {
    return emptyMemory();
  }
}

function isOwnerMemory(value: unknown): value is OwnerMemory {
  const m = value as Partial<OwnerMemory> | null;
  return (
    typeof m === "object" &&
    m !== null &&
    Number.isInteger(m.slices) &&
    Number.isInteger(m.nextSlice) &&
    Number.isInteger(m.run) &&
    typeof m.repositories === "object" &&
    m.repositories !== null &&
    Object.values(m.repositories).every(
      (r) => Array.isArray(r?.webhooks) && Array.isArray(r?.deployKeys) && typeof r?.verifiedAt === "string",
    )
  );
}
