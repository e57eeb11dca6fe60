/**
 * Maps JSON pointers into one YAML file back to line and column, using the `yaml` package's node
 * ranges. The AST is built lazily: loading a valid file never needs it (see parse-file.ts), so its
 * cost is paid only when a message or a caller asks where something is.
 */
import { createRequire } from "node:module";
import type { Document, ErrorCode, LineCounter, Pair } from "yaml";
import type { SourceLocation } from "./types.js";
import type { Diagnostic } from "./diagnostics.js";
import { splitPointer } from "./pointer.js";

/** Which part of a mapping entry a location should point at: its key or its value. */
export type Anchor = "key" | "value";

/**
 * The `yaml` package, loaded on first use: a valid config never needs it, and importing it
 * costs as much as parsing a large config with js-yaml. Its CommonJS build is loaded synchronously.
 */
let yamlModule: typeof import("yaml") | undefined;
function yaml(): typeof import("yaml") {
  yamlModule ??= createRequire(import.meta.url)("yaml") as typeof import("yaml");
  return yamlModule;
}

/** Parser messages that speak about the `yaml` API rather than the user's file, by error code. */
const FRIENDLIER: Partial<Record<ErrorCode, string>> = {
  MULTIPLE_DOCS: "the file holds several YAML documents (separated by ---): put each in its own file",
};

interface Parsed {
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Line/column lookup for one file; `locate` falls back to the nearest enclosing node that exists. */
export class SourceMap {
  readonly file: string;
  readonly #text: string;
  #parsed: Parsed | undefined;

  constructor(file: string, text: string) {
    this.file = file;
    this.#text = text;
  }

  /** The `yaml` document of the file (parsed on first use). */
  document(): Document.Parsed {
    return this.#parse().doc;
  }

  /**
   * The `yaml` parser's first syntax error, with its position (empty when the text is well formed).
   * Only the first: the parser's recovery reports each later line again as a consequence of it.
   * Messages never include source text.
   */
  syntaxErrors(): Diagnostic[] {
    const { doc } = this.#parse();
    return doc.errors.slice(0, 1).map((e) => ({ ...this.#at(e.pos[0]), message: `invalid YAML: ${FRIENDLIER[e.code] ?? e.message}` }));
  }

  /** Where the node at `pointer` starts (its key with `anchor: "key"`), or the nearest existing ancestor. */
  locate(pointer: string, anchor: Anchor = "value"): SourceLocation {
    const { doc } = this.#parse();
    const { isAlias, isMap, isSeq } = yaml();
    let node: unknown = doc.contents;
    let offset = rangeStart(node) ?? 0;
    for (const segment of splitPointer(pointer)) {
      if (isAlias(node)) node = node.resolve(doc);
      let pair: Pair | undefined;
      let next: unknown;
      if (isMap(node)) {
        pair = node.items.find((p) => keyText(p.key) === segment);
        if (pair === undefined) break;
        next = pair.value;
      } else if (isSeq(node) && /^\d+$/.test(segment)) {
        next = node.items[Number(segment)];
        if (next === undefined) break;
      } else {
        break;
      }
      const keyStart = pair === undefined ? undefined : rangeStart(pair.key);
      const valueStart = rangeStart(next);
      offset = (anchor === "key" ? (keyStart ?? valueStart) : (valueStart ?? keyStart)) ?? offset;
      node = next;
    }
    return this.#at(offset);
  }

  #at(offset: number): SourceLocation {
    const { line, col } = this.#parse().lines.linePos(offset);
    return { file: this.file, line: Math.max(line, 1), column: Math.max(col, 1) };
  }

  #parse(): Parsed {
    if (this.#parsed === undefined) {
      const { LineCounter, parseDocument } = yaml();
      const lines = new LineCounter();
      // prettyErrors: false keeps source excerpts (which could hold a pasted secret) out of messages.
      const doc = parseDocument(this.#text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
      this.#parsed = { doc, lines };
    }
    return this.#parsed;
  }
}

function keyText(key: unknown): string | undefined {
  if (yaml().isScalar(key)) return String(key.value);
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  if (node !== null && typeof node === "object" && "range" in node) {
    const range = (node as { range?: readonly number[] | null }).range;
    return range?.[0];
  }
  return undefined;
}
