/**
 * Reads one file's YAML into plain data. js-yaml is the fast path (the `yaml` package's parser is
 * several times slower on large files, and `validate` of 10,000 links must stay under a second);
 * when js-yaml rejects the text, the `yaml` package decides: its errors, with its positions, are
 * what the user sees, and if it accepts the text its data is used.
 */
import { CORE_SCHEMA, YAMLException, load } from "js-yaml";
import type { Diagnostic } from "./diagnostics.js";
import { SourceMap } from "./source-map.js";

/** One file after parsing: data when the YAML is well formed, else its syntax diagnostics. */
export type ParsedText =
  | { ok: true; file: string; data: unknown; sourceMap: SourceMap }
  | { ok: false; file: string; diagnostics: Diagnostic[]; sourceMap: SourceMap };

/** YAML 1.2 core schema, like the `yaml` package's default: no timestamps, no `<<` merge keys. */
const LOAD_OPTIONS = { schema: CORE_SCHEMA, json: false } as const;

/** Parses one file's text; never throws for bad YAML. */
export function parseText(file: string, text: string): ParsedText {
  const sourceMap = new SourceMap(file, text);
  try {
    return { ok: true, file, data: load(text, { ...LOAD_OPTIONS, filename: file }), sourceMap };
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const diagnostics = sourceMap.syntaxErrors();
    if (diagnostics.length > 0) return { ok: false, file, diagnostics, sourceMap };
    return fromYamlPackage(file, error, sourceMap);
  }
}

/** js-yaml and `yaml` disagree: trust `yaml`, whose positions every other message uses. */
function fromYamlPackage(file: string, jsYamlError: YAMLException, sourceMap: SourceMap): ParsedText {
  try {
    return { ok: true, file, data: sourceMap.document().toJS({ maxAliasCount: 100 }), sourceMap };
  } catch (error) {
    // toJS throws on alias bombs (ReferenceError); report it where js-yaml stopped.
    if (!(error instanceof Error)) throw error;
    const mark = jsYamlError.mark;
    return {
      ok: false,
      file,
      diagnostics: [{ file, line: mark.line + 1, column: mark.column + 1, message: `invalid YAML: ${error.message}` }],
      sourceMap,
    };
  }
}
