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
