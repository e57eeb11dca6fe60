/**
 * Where each key and value of a YAML file starts, indexed in one linear pass of js-yaml (the parser
 * that reads the data, parse-file.ts). The `yaml` package's document gives the same positions, but
 * building it is superlinear in the size of a mapping or list (100,000 keys took minutes), so a
 * large file with errors, or a plan that names every link's line, locates through this index.
 *
 * js-yaml reports each node to a `listener` when it opens (before the separating whitespace) and
 * when it closes (with the value). Values are matched to the keys and items of the list or mapping
 * that holds them by identity and order, so nodes the parser tried and dropped are skipped.
 */
import { CORE_SCHEMA, load, type State } from "js-yaml";
import { MAX_DEPTH } from "./input-limits.js";

/** The options parse-file.ts reads with (`maxDepth` is js-yaml's, missing from its types). */
const LOAD_OPTIONS = { schema: CORE_SCHEMA, json: false, maxDepth: MAX_DEPTH } as const;

/** Offsets of one mapping entry: where its key and its value start. */
interface EntryOffsets {
  key: number;
  value: number;
}

/** Offsets within one list or mapping, worked out from its children when first asked for. */
interface CollectionOffsets {
  start: number;
  /** Mapping entries by key. */
  keys?: Map<string, EntryOffsets>;
  /** List items by index. */
  items?: number[];
}

/** One node as js-yaml composed it. */
interface Frame {
  open: number;
  result: unknown;
  start: number;
  /** The nodes composed while this one was open (keys and values, or items), null until the first. */
  children: Frame[] | null;
}

/** A pointer's segments resolved to an offset: the key's or the value's start, or the nearest ancestor's. */
export class PositionIndex {
  readonly #root: unknown;
  readonly #rootStart: number;
  readonly #collections: WeakMap<object, Frame>;
  readonly #offsets = new WeakMap<object, CollectionOffsets>();

  private constructor(root: unknown, rootStart: number, collections: WeakMap<object, Frame>) {
    this.#root = root;
    this.#rootStart = rootStart;
    this.#collections = collections;
  }

  /** Indexes `text`, which js-yaml reads (the caller has checked that it does); undefined when it does not. */
  static build(text: string): PositionIndex | undefined {
    const collections = new WeakMap<object, Frame>();
    const top: Frame = { open: 0, result: undefined, start: 0, children: null };
    const stack: Frame[] = [top];
    const listener = (event: "open" | "close", state: State): void => {
      if (event === "open") {
        stack.push({ open: state.position, result: undefined, start: 0, children: null });
        return;
      }
      const frame = stack.pop();
      const parent = stack[stack.length - 1];
      if (frame === undefined || parent === undefined) return;
      const result: unknown = state.result;
      frame.result = result;
      frame.start = contentStart(text, frame.open, result === null);
      if (result !== null && typeof result === "object") {
        // The first frame of a collection is where it was written; later ones are aliases to it.
        if ((state.kind === "mapping" || state.kind === "sequence") && !collections.has(result)) collections.set(result, frame);
        else frame.children = null;
      } else {
        // A scalar's children are nodes the parser tried and dropped.
        frame.children = null;
      }
      (parent.children ??= []).push(frame);
    };
    let root: unknown;
    try {
      root = load(text, { ...LOAD_OPTIONS, listener });
    } catch (error) {
      if (error instanceof Error && error.name === "YAMLException") return undefined;
      throw error;
    }
    const rootFrame = top.children?.find((f) => f.result === root);
    // An empty document is located at its first character, as the `yaml` package does.
    return new PositionIndex(root, root === null || root === undefined ? 0 : (rootFrame?.start ?? 0), collections);
  }

  #offsetsOf(node: object): CollectionOffsets | undefined {
    let offsets = this.#offsets.get(node);
    if (offsets === undefined) {
      const frame = this.#collections.get(node);
      if (frame === undefined) return undefined;
      offsets = offsetsOf(node, frame);
      this.#offsets.set(node, offsets);
    }
    return offsets;
  }

  /** The offset where the node at `segments` starts (its key with `anchor: "key"`), or the nearest existing ancestor's. */
  offsetOf(segments: readonly string[], anchor: "key" | "value"): number {
    let node = this.#root;
    let offset = this.#rootStart;
    for (const segment of segments) {
      const offsets = node !== null && typeof node === "object" ? this.#offsetsOf(node) : undefined;
      if (offsets === undefined) break;
      if (offsets.keys !== undefined) {
        const entry = offsets.keys.get(segment);
        if (entry === undefined) break;
        offset = anchor === "key" ? entry.key : entry.value;
        node = (node as Record<string, unknown>)[segment];
      } else if (offsets.items !== undefined && /^\d+$/.test(segment)) {
        const item = offsets.items[Number(segment)];
        if (item === undefined) break;
        offset = item;
        node = (node as unknown[])[Number(segment)];
      } else {
        break;
      }
    }
    return offset;
  }
}

/** Matches a closed collection's composed children to its keys or items. */
function offsetsOf(value: object, frame: Frame): CollectionOffsets {
  const children = frame.children ?? [];
  if (Array.isArray(value)) {
    const items: number[] = [];
    for (const child of children) {
      if (items.length < value.length && Object.is(child.result, value[items.length])) items.push(child.start);
    }
    return { start: frame.start, items };
  }
  const record = value as Record<string, unknown>;
  const keys = new Map<string, EntryOffsets>();
  for (let i = 0; i < children.length; i++) {
    const key = children[i] as Frame;
    if (key.result !== null && typeof key.result === "object") continue;
    const name = String(key.result);
    if (keys.has(name) || !Object.hasOwn(record, name)) continue;
    const next = children[i + 1];
    if (next !== undefined && Object.is(next.result, record[name])) {
      keys.set(name, { key: key.start, value: next.start });
      i++;
    } else {
      keys.set(name, { key: key.start, value: key.start });
    }
  }
  return { start: frame.start, keys };
}

/**
 * Where a node's content starts: after the separating spaces, line breaks and comments, and after
 * its anchor and tag. An empty value (`key:` at the end of a line) starts where it was opened.
 */
function contentStart(text: string, open: number, empty: boolean): number {
  let i = open;
  let lineStart = true;
  for (;;) {
    const ch = text.charCodeAt(i);
    if (ch === 0x20 || ch === 0x09 || ch === 0xfeff) {
      i++;
      lineStart = false;
    } else if (ch === 0x0a || ch === 0x0d) {
      if (empty) return open;
      i++;
      lineStart = true;
    } else if (ch === 0x23 /* # */ && (lineStart || i === open || isSpace(text.charCodeAt(i - 1)))) {
      if (empty) return open;
      while (i < text.length && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
    } else if ((ch === 0x26 /* & */ || ch === 0x21) /* ! */ && !empty) {
      // An anchor or a tag: the node is what follows it.
      let j = i;
      while (j < text.length && !isSpace(text.charCodeAt(j)) && text.charCodeAt(j) !== 0x0a && text.charCodeAt(j) !== 0x0d) j++;
      if (j >= text.length) return i;
      i = j;
    } else {
      return Number.isNaN(ch) ? open : i;
    }
  }
}

function isSpace(ch: number): boolean {
  return ch === 0x20 || ch === 0x09;
}
