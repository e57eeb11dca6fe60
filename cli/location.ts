/** `FILE:LINE:COL` prefixes for messages about a declared resource (design.md §6). */
import type { SourceLocation } from "../engine/config/types.js";

/** `file:line:col` of a location. */
export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}
