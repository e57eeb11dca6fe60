/**
 * Maps JSON pointers into one YAML file back to line and column. Positions come from a linear
 * index of js-yaml's parse (position-index.ts); the `yaml` package's document, whose construction
 * is superlinear in the size of a mapping, is built only for text js-yaml refuses (its errors are
 * the messages) and only for files small enough to build it quickly. Both are built lazily:
 * loading a valid file needs neither (see parse-file.ts).
 */
import { createRequire } from "node:module";
import type { Document, ErrorCode, Pair, YAMLMap } from "yaml";
import type { SourceLocation } from "./loaded-config.js";
import type { Diagnostic } from "./diagnostics.js";
import { splitPointer } from "./pointer.js";
import { PositionIndex } from "./position-index.js";

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
  // Raised when composing a collection overflows the stack: nesting far beyond any configuration.
  RESOURCE_EXHAUSTION:
    "lists and mappings nest too deeply to read; a sourcelinks file nests at most 5 levels (buildService.oauthApps.github.clientId)",
};

interface Parsed {
  doc: Document.Parsed;
}

/** Line/column lookup for one file; `locate` falls back to the nearest enclosing node that exists. */
export class SourceMap {
  readonly file: string;
  readonly #text: string;
  #parsed: Parsed | undefined;
  /** null once js-yaml has refused the text: positions then come from the `yaml` document. */
  #index: PositionIndex | null | undefined;
  #lineStarts: number[] | undefined;

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

  /**
   * Explicit tags the core schema does not resolve (`!!js/function`, `!!python/object`, `!!binary`,
   * `!vault`, a `!!int` on a word), one diagnostic each: a configuration is plain data, and
   * js-yaml refuses them, so the `yaml` package must not quietly read them as strings.
   */
  tagErrors(): Diagnostic[] {
    const { doc } = this.#parse();
    return doc.warnings
      .filter((w) => w.code === "TAG_RESOLVE_FAILED")
      .map((w) => ({ ...this.#at(w.pos[0]), message: tagMessage(w.message.replace(/^Unresolved tag: /, "")) }));
  }

  /**
   * Aliases (`*name`) with no anchor (`&name`) before them, and mapping keys that are not plain
   * scalars or repeat after aliases are resolved (`&k team: a` then `*k : b`): js-yaml refuses
   * these, while the `yaml` package would read the last value silently. Sorted by position.
   */
  aliasAndKeyErrors(): Diagnostic[] {
    const { doc } = this.#parse();
    const { isAlias, isMap, isScalar, visit } = yaml();
    // Pre-order visit = document order: an alias means the last anchor of its name seen so far.
    const anchors = new Map<string, unknown>();
    const targets = new Map<unknown, unknown>();
    const maps: YAMLMap[] = [];
    const found: { offset: number; message: string }[] = [];
    visit(doc, {
      Node: (_key, node) => {
        if (isAlias(node)) {
          const target = anchors.get(node.source);
          if (target === undefined) {
            found.push({
              offset: rangeStart(node) ?? 0,
              message: `invalid YAML: the alias ${aliasName(node.source)} has no anchor before it: define the value with &name first, or write it out`,
            });
          } else targets.set(node, target);
          return;
        }
        if (node.anchor !== undefined) anchors.set(node.anchor, node);
        if (isMap(node)) maps.push(node);
      },
    });
    for (const map of maps) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = isAlias(pair.key) ? targets.get(pair.key) : pair.key;
        const offset = rangeStart(pair.key) ?? rangeStart(pair.value) ?? rangeStart(map) ?? 0;
        if (key === undefined) continue; // an unresolved alias, reported above
        if (!isScalar(key) || key.value === null) {
          found.push({
            offset,
            message: "invalid YAML: every key in a sourcelinks file is a plain word; this one is empty, a list or a mapping",
          });
          continue;
        }
        const text = String(key.value);
        if (seen.has(text)) found.push({ offset, message: "invalid YAML: Map keys must be unique" });
        seen.add(text);
      }
    }
    return found.sort((a, b) => a.offset - b.offset).map((f) => ({ ...this.#at(f.offset), message: f.message }));
  }

  /** The position of a character offset in the text. */
  position(offset: number): SourceLocation {
    return this.#at(offset);
  }

  /** Where the node at `pointer` starts (its key with `anchor: "key"`), or the nearest existing ancestor. */
  locate(pointer: string, anchor: Anchor = "value"): SourceLocation {
    if (this.#index === undefined) this.#index = PositionIndex.build(this.#text) ?? null;
    if (this.#index !== null) return this.#at(this.#index.offsetOf(splitPointer(pointer), anchor));
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

  /** Line and column of an offset, counting `\n` as the `yaml` package's LineCounter does (binary search over line starts). */
  #at(offset: number): SourceLocation {
    if (this.#lineStarts === undefined) {
      const starts = [0];
      for (let i = this.#text.indexOf("\n"); i !== -1; i = this.#text.indexOf("\n", i + 1)) starts.push(i + 1);
      this.#lineStarts = starts;
    }
    const starts = this.#lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { file: this.file, line: low + 1, column: Math.max(offset - (starts[low] ?? 0) + 1, 1) };
  }

  #parse(): Parsed {
    if (this.#parsed === undefined) {
      const { parseDocument } = yaml();
      // prettyErrors: false keeps source excerpts (which could hold a pasted secret) out of messages.
      // The YAML 1.2 core schema whatever a %YAML directive says, no `<<` merge keys and no YAML 1.1
      // tags (!!binary, !!set, ...): the data js-yaml's CORE_SCHEMA reads (parse-file.ts), nothing more.
      const doc = parseDocument(this.#text, {
        prettyErrors: false,
        // Duplicate keys are found by aliasAndKeyErrors in one pass; the parser's own check
        // compares each key with every earlier one, which took minutes on a large mapping.
        uniqueKeys: false,
        schema: "core",
        merge: false,
        resolveKnownTags: false,
        // toJS would print "Keys with collection values will be stringified" on stderr; such keys are errors here.
        logLevel: "error",
      });
      this.#parsed = { doc };
    }
    return this.#parsed;
  }
}

/** Tags of the core schema: on a value they do not fit (`!!int abc`) they fail to resolve too. */
const CORE_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"]);

function tagMessage(tag: string): string {
  const short = tag.startsWith("tag:yaml.org,2002:")
    ? `!!${tag.slice("tag:yaml.org,2002:".length)}`
    : tag.startsWith("!")
      ? tag
      : `!<${tag}>`;
  // Tags cannot hold spaces; anything unprintable or long is not worth echoing.
  const shown = /^[\x21-\x7e]{1,60}$/.test(short) ? short : "a tag";
  if (CORE_TAGS.has(short.slice(2)))
    return `invalid YAML: the value does not fit its tag ${shown}: remove the tag, or write a value of that type`;
  return (
    `invalid YAML: the tag ${shown} is not allowed: a sourcelinks file holds plain strings, numbers, true/false, lists and mappings ` +
    `(YAML tags that make objects or code are refused); remove the tag`
  );
}

function aliasName(source: string): string {
  return /^[\x21-\x7e]{1,60}$/.test(source) ? `*${source}` : "here";
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
