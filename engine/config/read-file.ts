/**
 * Reading a file from disk without trusting it: only a regular file (a FIFO would hang the command
 * until someone writes to it, a device may never end), never more than a size limit, and for a
 * configuration only UTF-8 (a stray byte becomes a located error, not a silent U+FFFD in a name).
 * Every file the CLI reads (configuration, saved plans, JSON reports, policy configs, the ETag cache)
 * goes through {@link readRegularFile}.
 */
import { isUtf8 } from "node:buffer";
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import type { Diagnostic } from "./diagnostics.js";
import { firstInvalidUtf8, positionAfter } from "./characters.js";
import { formatBytes, MAX_FILE_BYTES, tooLargeMessage } from "./input-limits.js";

/** Why a file was not read. */
export type FileProblem =
  | { kind: "directory" }
  /** A FIFO, device or socket: `what` names it (`a named pipe (FIFO)`). */
  | { kind: "special"; what: string }
  /** Over the limit: `bytes` is the size, or the limit when reading stopped there (`atLeast`). */
  | { kind: "too-large"; bytes: number; atLeast: boolean; limit: number }
  /** A symbolic link where `noFollow` refuses one. */
  | { kind: "symlink" }
  /** The system's refusal (`ENOENT`, `EACCES`, …). */
  | { kind: "error"; code: string };

/** Options of {@link readRegularFile}. */
export interface ReadOptions {
  /** The most bytes accepted. */
  maxBytes: number;
  /** Refuse a symbolic link instead of reading what it points at. */
  noFollow?: boolean;
}

/**
 * The bytes of `file` when it is a regular file of at most `maxBytes`, else the problem. Synchronous
 * so the ETag cache can load inside a request; a FIFO never blocks it (opened non-blocking, and the
 * type is checked on the opened handle, so a path swapped after a check cannot slip one through).
 */
export function readRegularFile(file: string, options: ReadOptions): { bytes: Buffer } | { problem: FileProblem } {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | (options.noFollow ? constants.O_NOFOLLOW : 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    if (code === "ELOOP" && options.noFollow) return { problem: { kind: "symlink" } };
    return { problem: code === "EISDIR" ? { kind: "directory" } : { kind: "error", code } };
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { problem: { kind: "directory" } };
    if (!stat.isFile()) return { problem: { kind: "special", what: kindOf(stat) } };
    const limit = options.maxBytes;
    if (stat.size > limit) return { problem: { kind: "too-large", bytes: stat.size, atLeast: false, limit } };
    // The size is a hint: a file that grows while it is read (or reports 0, as /proc does) is still cut at the limit.
    const bytes = readAtMost(fd, stat.size, limit);
    return bytes === undefined ? { problem: { kind: "too-large", bytes: limit, atLeast: true, limit } } : { bytes };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    return { problem: code === "EISDIR" ? { kind: "directory" } : { kind: "error", code } };
  } finally {
    closeSync(fd);
  }
}

/** A problem as a phrase: `it is a named pipe (FIFO), not a regular file`, `no such file`, `it is 70 MiB, over the 64 MiB limit`. */
export function describeFileProblem(problem: FileProblem): string {
  switch (problem.kind) {
    case "directory":
      return "it is a directory";
    case "special":
      return `it is ${problem.what}, not a regular file`;
    case "symlink":
      return "it is a symbolic link, not a regular file";
    case "too-large":
      return `it is ${problem.atLeast ? "more than " : ""}${formatBytes(problem.bytes)}, over the ${formatBytes(problem.limit)} limit`;
    case "error":
      return problem.code === "ENOENT" ? "no such file" : problem.code;
  }
}

/** A file's text, or the one problem that kept it from being read. */
export type ReadResult = { file: string; text: string } | Diagnostic;

/** Reads a configuration `file` as UTF-8 text of at most {@link MAX_FILE_BYTES} bytes. */
export async function readConfigFile(file: string): Promise<ReadResult> {
  const problem = (message: string, at = { line: 1, column: 1 }): Diagnostic => ({ file, ...at, message });
  const read = readRegularFile(file, { maxBytes: MAX_FILE_BYTES });
  if ("problem" in read) {
    const p = read.problem;
    if (p.kind === "too-large") return problem(tooLargeMessage(p.bytes, p.atLeast));
    if (p.kind === "special")
      return problem(`cannot read the configuration file (${describeFileProblem(p)}): pass the path of a YAML file`);
    return problem(`cannot read the configuration file (${describeFileProblem(p)})`);
  }
  const bytes = read.bytes;
  if (!isUtf8(bytes)) {
    const offset = firstInvalidUtf8(bytes) ?? 0;
    const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, "0");
    const at = positionAfter(bytes.subarray(0, offset).toString("utf8"));
    return problem(`the file is not valid UTF-8 (byte 0x${byte} here): save it as UTF-8`, at);
  }
  return { file, text: bytes.toString("utf8") };
}

/** The whole content, or undefined once it exceeds `limit`; `expected` sizes the first read. */
function readAtMost(fd: number, expected: number, limit: number): Buffer | undefined {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(Math.max(expected - total, 64 * 1024), limit + 1 - total));
    const bytesRead = readSync(fd, chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > limit) return undefined;
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
}

/** What a non-regular, non-directory file is, for the message. */
function kindOf(stat: Stats): string {
  if (stat.isFIFO()) return "a named pipe (FIFO)";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  if (stat.isSocket()) return "a socket";
  return "a special file";
}
