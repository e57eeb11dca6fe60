/**
 * Reading a configuration file from disk without trusting it: only a regular file (a FIFO would
 * hang the command until someone writes to it, a device may never end), never more than the size
 * limit, and only UTF-8 (a stray byte becomes a located error, not a silent U+FFFD in a name).
 */
import { isUtf8 } from "node:buffer";
import { constants, type Stats } from "node:fs";
import { open } from "node:fs/promises";
import type { Diagnostic } from "./diagnostics.js";
import { firstInvalidUtf8, positionAfter } from "./characters.js";
import { MAX_FILE_BYTES, tooLargeMessage } from "./input-limits.js";

/** A file's text, or the one problem that kept it from being read. */
export type ReadResult = { file: string; text: string } | Diagnostic;

/** Reads `file` as UTF-8 text of at most {@link MAX_FILE_BYTES} bytes. */
export async function readConfigFile(file: string): Promise<ReadResult> {
  const problem = (message: string, at = { line: 1, column: 1 }): Diagnostic => ({ file, ...at, message });
  let bytes: Buffer;
  try {
    // O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer, forever. The type is
    // checked on the opened handle, so a path swapped after a check cannot slip a FIFO through.
    const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const stat = await handle.stat();
      if (stat.isDirectory()) return problem("cannot read the configuration file (it is a directory)");
      if (!stat.isFile())
        return problem(`cannot read the configuration file (it is ${kindOf(stat)}, not a regular file): pass the path of a YAML file`);
      if (stat.size > MAX_FILE_BYTES) return problem(tooLargeMessage(stat.size));
      // The size is a hint: a file that grows while it is read (or reports 0, as /proc does) is still cut at the limit.
      const read = await readAtMost(handle, stat.size);
      if (read === undefined) return problem(tooLargeMessage(MAX_FILE_BYTES, true));
      bytes = read;
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code;
    return problem(`cannot read the configuration file (${reason})`);
  }
  if (!isUtf8(bytes)) {
    const offset = firstInvalidUtf8(bytes) ?? 0;
    const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, "0");
    const at = positionAfter(bytes.subarray(0, offset).toString("utf8"));
    return problem(`the file is not valid UTF-8 (byte 0x${byte} here): save it as UTF-8`, at);
  }
  return { file, text: bytes.toString("utf8") };
}

/** The whole content, or undefined once it exceeds the limit; `expected` sizes the first read. */
async function readAtMost(handle: Awaited<ReturnType<typeof open>>, expected: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(Math.max(expected - total, 64 * 1024), MAX_FILE_BYTES + 1 - total));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > MAX_FILE_BYTES) return undefined;
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
