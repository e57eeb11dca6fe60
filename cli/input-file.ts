/**
 * The JSON files the CLI reads besides configuration (`apply --plan`, `report --merge`,
 * `check --policy-config`): each must be a regular UTF-8 file under {@link MAX_INPUT_BYTES}, read by
 * the same reader as configuration files, so a FIFO, a device or a directory is refused at once
 * (exit 2, naming the file) instead of hanging the run or filling memory.
 */
import { describeFileProblem, readRegularFile } from "../engine/config/read-file.js";
import { CliError, ExitCode } from "./exit-codes.js";

/**
 * The largest JSON input: 64 MiB. A saved plan of 10,000 links with a few steps each is about
 * 20 MB; reports are smaller.
 */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** The text of `file`, else invalid input: `FILE: cannot read the WHAT: it is a named pipe (FIFO), not a regular file`. */
export function readInputFile(file: string, what: string, maxBytes: number = MAX_INPUT_BYTES): string {
  const read = readRegularFile(file, { maxBytes });
  if ("problem" in read)
    throw new CliError(ExitCode.invalidInput, `${file}: cannot read the ${what}: ${describeFileProblem(read.problem)}`);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(read.bytes);
  } catch {
    throw new CliError(ExitCode.invalidInput, `${file}: cannot read the ${what}: it is not UTF-8 text`);
  }
}
