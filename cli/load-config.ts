/** Loading the config for a command: a `ConfigError` becomes exit 2 with one `FILE:LINE:COL: message` line per problem. */
import { ConfigError, formatDiagnostic, loadConfigFiles, omittedLine, type LoadedConfig } from "../engine/config/index.js";
import { CliError, ExitCode } from "./exit-codes.js";

/** Loads and validates `files` (no network). */
export async function loadConfig(files: readonly string[]): Promise<LoadedConfig> {
  try {
    return await loadConfigFiles(files);
  } catch (error) {
    throw error instanceof ConfigError ? configCliError(error) : error;
  }
}

/** A config's problems as the CLI prints them: one `FILE:LINE:COL: message` line each, then the count of those not listed. */
export function configCliError(error: ConfigError): CliError {
  const more = error.omitted > 0 ? [omittedLine(error.omitted, error.diagnostics.length)] : [];
  return new CliError(ExitCode.invalidInput, [...error.diagnostics.map(formatDiagnostic), ...more], { cause: error });
}

/**
 * The location of the nearest declared node at or above `pointer` (`/links/1/state`, else `/links/1`, …),
 * falling back to the first file's first line so every message keeps the `FILE:LINE:COL` shape.
 */
export function locateNearest(loaded: LoadedConfig, pointer: string | undefined): { file: string; line: number; column: number } {
  let p = pointer ?? "";
  for (;;) {
    const at = loaded.locate(p);
    if (at) return at;
    if (p === "") break;
    p = p.slice(0, p.lastIndexOf("/"));
  }
  return { file: loaded.files[0] ?? "-", line: 1, column: 1 };
}
