/** `FILE:LINE:COL` prefixes for messages about a declared resource (docs/cli.md). */
import type { SourceLocation } from "../engine/config/loaded-config.js";

/** `file:line:col` of a location. */
export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}
