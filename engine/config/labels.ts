/**
 * How messages name a place and a value: `links[2] (acme-builds): repositories[0]`, values quoted
 * but never a value that looks like a credential.
 */
import { isRecord, splitPointer, valueAt } from "./pointer.js";
import { looksLikeSecret } from "./secret-like.js";

/** Sections whose entries are named in messages by one of their fields. */
const ENTRY_NAME_FIELD: Record<string, string> = { links: "name", orgAccess: "org", sweeps: "owner", builds: "image" };

/**
 * The subject of a message for a pointer into one file's data: `links[2] (acme-builds)` for an
 * entry, `links[2] (acme-builds): onRevoke.webhooks` inside one, `buildService.kind` elsewhere.
 */
export function subjectOf(pointer: string, data: unknown): string {
  const segments = splitPointer(pointer);
  if (segments.length === 0) return "the file";
  const [section, index, ...rest] = segments;
  const nameField = section === undefined ? undefined : ENTRY_NAME_FIELD[section];
  if (nameField === undefined || index === undefined || !/^\d+$/.test(index)) return dotted(segments);
  const entry = valueAt(data, `/${section}/${index}`);
  const name = isRecord(entry) ? entry[nameField] : undefined;
  const head = `${section}[${index}]` + (typeof name === "string" && isPrintableName(name) ? ` (${name})` : "");
  return rest.length === 0 ? head : `${head}: ${dotted(rest)}`;
}

/** `["onRevoke", "webhooks"]` → `onRevoke.webhooks`; list indexes as `[i]`. */
export function dotted(segments: readonly string[]): string {
  return segments.reduce((out, s) => (/^\d+$/.test(s) ? `${out}[${s}]` : out === "" ? s : `${out}.${s}`), "");
}

/** A value for a message: quoted strings (short), type words otherwise; secrets are never shown. */
export function quoteValue(value: unknown): string {
  if (typeof value === "string") {
    if (looksLikeSecret(value)) return "a value that looks like a secret (not shown)";
    return printable(JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value));
  }
  return describeType(value);
}

/** `a list`, `a mapping`, `a number`, ... for "must be X, not Y" messages; never the value itself. */
export function describeType(value: unknown): string {
  if (value === null || value === undefined) return "empty";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "boolean") return "true/false";
  if (typeof value === "number") return "a number";
  return "a string";
}

/** Only names as the schema allows them are shown unquoted in a subject (no spaces, escapes or newlines). */
function isPrintableName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._/-]{0,79}$/.test(name) && !looksLikeSecret(name);
}

/**
 * JSON.stringify escapes C0 controls but leaves other invisible or reordering characters (DEL, C1,
 * bidi overrides, zero-width and line separators) that a terminal or an editor would act on.
 */
function printable(quoted: string): string {
  return quoted.replace(/[\p{C}\u2028\u2029]/gu, (c) => {
    const code = c.codePointAt(0) ?? 0;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
