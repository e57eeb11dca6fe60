/**
 * Reading a configuration file from disk without trusting it: never more than the size limit
 * (a huge file, or a device or pipe that never ends, is refused after reading the limit), and
 * only UTF-8 (a stray byte becomes a located error, not a silent U+FFFD in a name).
 */
import { isUtf8 } from "node:buffer";
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
    const handle = await open(file, "r");
    try {
      const stat = await handle.stat();
      if (stat.isDirectory()) return problem("cannot read the configuration file (it is a directory)");
      // A regular file says its size; a device or pipe is read in chunks until the limit.
      if (stat.isFile() && stat.size > MAX_FILE_BYTES) return problem(tooLargeMessage(stat.size));
      const read = await readAtMost(handle, stat.isFile() ? stat.size : 0);
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
