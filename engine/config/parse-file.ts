/**
 * Reads one file's YAML into plain data. js-yaml is the fast path (the `yaml` package's parser is
 * several times slower on large files, and `validate` of 10,000 links must stay under a second);
 * when js-yaml rejects the text, the `yaml` package decides: its errors, with its positions, are
 * what the user sees, and if it accepts the text its data is used. Both paths read the YAML 1.2
 * core schema only (no tags that build objects, no merge keys), and both end in the same
 * structure check (structure.ts), so an alias bomb, a cycle or extreme nesting is refused, at its
 * position, before the schema validator or any other step walks the data.
 */
import { CORE_SCHEMA, YAMLException, load } from "js-yaml";
import type { Diagnostic } from "./diagnostics.js";
import { firstNonPrintable, nonPrintableMessage } from "./characters.js";
import { MAX_DEPTH, MAX_FILE_BYTES, MAX_YAML_PACKAGE_CHARS, tooLargeMessage } from "./input-limits.js";
import { SourceMap } from "./source-map.js";
import { checkStructure } from "./structure.js";

/** One file after parsing: data when the YAML is well formed, else its syntax diagnostics. */
export type ParsedText =
  | { ok: true; file: string; data: unknown; sourceMap: SourceMap }
  | { ok: false; file: string; diagnostics: Diagnostic[]; sourceMap: SourceMap };

/**
 * YAML 1.2 core schema, like the `yaml` package's default: no timestamps, no `<<` merge keys, and
 * no `!!js/...` or other tags (js-yaml throws "unknown tag"). `maxDepth` bounds js-yaml's own
 * recursion, which would otherwise overflow the stack on a few thousand nested `[`.
 */
const LOAD_OPTIONS = { schema: CORE_SCHEMA, json: false, maxDepth: MAX_DEPTH } as const;

/** Parses one file's text; never throws for bad YAML. */
export function parseText(file: string, text: string): ParsedText {
  const sourceMap = new SourceMap(file, text);
  const failed = (diagnostics: Diagnostic[]): ParsedText => ({ ok: false, file, diagnostics, sourceMap });
  // Bytes are at least UTF-16 units, so only a long text needs counting.
  if (text.length > MAX_FILE_BYTES / 4) {
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes > MAX_FILE_BYTES) return failed([{ file, line: 1, column: 1, message: tooLargeMessage(bytes) }]);
  }

  let data: unknown;
  try {
    data = load(text, { ...LOAD_OPTIONS, filename: file });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const fallback = fromYamlPackage(file, text, error, sourceMap);
    if ("diagnostics" in fallback) return failed(fallback.diagnostics);
    data = fallback.data;
  }

  const problem = checkStructure(data);
  if (problem !== undefined) return failed([{ ...sourceMap.locate(problem.pointer), message: problem.message }]);
  return { ok: true, file, data, sourceMap };
}

/** js-yaml and `yaml` disagree: trust `yaml`, whose positions every other message uses. */
function fromYamlPackage(
  file: string,
  text: string,
  jsYamlError: YAMLException,
  sourceMap: SourceMap,
): { data: unknown } | { diagnostics: Diagnostic[] } {
  // js-yaml's mark is missing for a few stream-level errors (several documents).
  const jsMark = jsYamlError.mark as YAMLException["mark"] | undefined;
  const mark = { file, line: (jsMark?.line ?? 0) + 1, column: (jsMark?.column ?? 0) + 1 };
  // js-yaml stopped at the depth bound: its position is exact, and the `yaml` package would overflow the stack.
  if (jsYamlError.reason.startsWith("nesting exceeded maxDepth")) {
    return {
      diagnostics: [
        {
          ...mark,
          message: `lists and mappings nest deeper than ${MAX_DEPTH} levels here; a sourcelinks file nests at most 5 (buildService.oauthApps.github.clientId)`,
        },
      ],
    };
  }
  const character = firstNonPrintable(text);
  if (character !== undefined)
    return { diagnostics: [{ ...sourceMap.position(character.offset), message: nonPrintableMessage(character.codePoint) }] };
  if (text.length > MAX_YAML_PACKAGE_CHARS) return { diagnostics: [{ ...mark, message: jsYamlMessage(jsYamlError.reason) }] };
  for (const found of [sourceMap.syntaxErrors(), sourceMap.tagErrors(), sourceMap.aliasAndKeyErrors()]) {
    if (found.length > 0) return { diagnostics: found };
  }
  try {
    // Aliases share the anchored value (no copy, so no expansion here); checkStructure bounds the rest.
    return { data: sourceMap.document().toJS({ maxAliasCount: -1 }) };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    return { diagnostics: [{ ...mark, message: `invalid YAML: ${error.message}` }] };
  }
}

/**
 * js-yaml's reason for refusing a large text, in the words the `yaml` path uses for the same
 * problems (source-map.ts); other reasons are js-yaml's own, which quote no source text.
 */
function jsYamlMessage(reason: string): string {
  if (reason === "duplicated mapping key") return "invalid YAML: Map keys must be unique";
  if (reason.startsWith("unknown tag")) {
    return "invalid YAML: a tag here is not allowed: a sourcelinks file holds plain strings, numbers, true/false, lists and mappings (YAML tags that make objects or code are refused); remove the tag";
  }
  if (reason.startsWith("unidentified alias"))
    return "invalid YAML: an alias here has no anchor before it: define the value with &name first, or write it out";
  return `invalid YAML: ${reason}`;
}
