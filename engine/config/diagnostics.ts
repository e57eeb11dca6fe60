/** Config errors as data: every problem names the file, line and column it is about. */
import { SourcelinksError } from "../model/errors.js";

/** One problem in a configuration file, 1-based `line` and `column`. */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** `FILE:LINE:COL: message`, the form editors and CI annotations understand. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.message}`;
}

/**
 * Thrown when a configuration cannot be loaded; carries every problem found, not only the first.
 * The message is one formatted diagnostic per line, so printing it is enough for a CLI.
 */
export class ConfigError extends SourcelinksError {
  override readonly name = "ConfigError";
  readonly kind = "input";
  readonly diagnostics: readonly Diagnostic[];
  /** Problems found beyond those listed: only the first ones are described and located. */
  readonly omitted: number;

  constructor(diagnostics: readonly Diagnostic[], summary?: string, omitted = 0) {
    super(summary ?? [...diagnostics.map(formatDiagnostic), ...(omitted > 0 ? [omittedLine(omitted, diagnostics.length)] : [])].join("\n"));
    this.diagnostics = diagnostics;
    this.omitted = omitted;
  }
}

/** The line after the listed problems when more were found: `and 99,900 more problems ...`. */
export function omittedLine(omitted: number, shown: number): string {
  return `and ${omitted.toLocaleString("en-US")} more ${omitted === 1 ? "problem" : "problems"}: only the first ${shown} are listed; fix them and run again`;
}

/** Orders diagnostics by the order files were given, then by position. */
export function sortDiagnostics(diagnostics: Diagnostic[], files: readonly string[]): Diagnostic[] {
  const order = new Map(files.map((f, i) => [f, i] as const));
  return [...diagnostics].sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line || a.column - b.column);
}
