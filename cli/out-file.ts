/**
 * `--out FILE` (`plan --out`, `report --out`): the file is written whole or not at all. The text goes
 * to a new temporary file in the same folder, which is renamed over FILE only once fully written and
 * flushed, so a full disk or a crash leaves the previous FILE (or none), never a cut-off one. FILE
 * must not be a symbolic link (the write would land wherever it points), anything but a regular
 * file, or one of the command's own input files (`plan cfg.yaml --out cfg.yaml` would replace the
 * configuration with its plan): each is invalid input, refused before the run does anything.
 */
import { randomBytes } from "node:crypto";
import { lstat, open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { CliError, ExitCode } from "./exit-codes.js";

/** The file-system calls of an `--out` write; a test swaps one for a failure (a full disk) it cannot cause for real. */
export interface OutFileSystem {
  /** Creates `path`, which must not exist yet, and writes and flushes `text` into it. */
  writeNew(path: string, text: string): Promise<void>;
  /** Renames `from` over `to`. */
  rename(from: string, to: string): Promise<void>;
  /** Removes `path` if it exists. */
  remove(path: string): Promise<void>;
}

/** The real file system. */
export const realOutFileSystem: OutFileSystem = {
  async writeNew(path, text) {
    // `wx`: never opens an existing file or follows a link planted at the temporary name.
    const handle = await open(path, "wx", 0o644);
    try {
      await handle.writeFile(text, "utf8");
      // Some file systems report a full disk only when the data is flushed.
      await handle.datasync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => rename(from, to),
  remove: (path) => rm(path, { force: true }),
};

/** Refuses an `--out` path that is a symbolic link, not a regular file, or one of `inputs` (exit 2). */
export async function checkOutPath(out: string, inputs: readonly string[]): Promise<void> {
  const refuse = (why: string): never => {
    throw new CliError(ExitCode.invalidInput, `sourcelinks: --out ${out}: ${why}; nothing was run`);
  };
  let target: Awaited<ReturnType<typeof lstat>>;
  try {
    target = await lstat(out);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A new file: it cannot be an input (inputs exist), and a missing folder is the write's error.
    if (code === "ENOENT" || code === "ENOTDIR") return;
    throw error;
  }
  if (target.isSymbolicLink()) refuse("is a symbolic link: --out writes a file of its own, never through a link");
  if (!target.isFile()) refuse(target.isDirectory() ? "is a directory" : "is not a regular file");
  for (const input of inputs) {
    const same = await stat(input).then(
      (s) => s.dev === target.dev && s.ino === target.ino,
      () => false,
    );
    if (same) refuse(`is ${input === out ? "an input" : `the input ${input}`} of this command: write the output to another file`);
  }
}

/**
 * Writes `text` to `out` through a temporary file in the same folder; on any failure the temporary
 * file is removed, `out` is as it was, and the error (exit 1) says what failed.
 */
export async function writeOutFile(out: string, text: string, what: string, fs: OutFileSystem = realOutFileSystem): Promise<void> {
  const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await fs.writeNew(tmp, text);
    await fs.rename(tmp, out);
  } catch (error) {
    await fs.remove(tmp).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOSPC" ? "ENOSPC, no space left on device" : (code ?? (error instanceof Error ? error.message : String(error)));
    throw new CliError(ExitCode.operational, `sourcelinks: cannot write the ${what} to ${out} (${reason}); ${out} was left as it was`, {
      cause: error,
    });
  }
}
