/**
 * Refuses parsed YAML whose shape could make later steps (the schema validator, semantic checks,
 * messages) do unbounded work: alias bombs, alias cycles and extreme nesting. Both YAML parsers
 * share the object an alias points at instead of copying it, so parsing stays linear; but anything
 * that walks the data visits a shared object once per reference, which is exponential in the
 * number of alias levels. This walk visits each distinct object once (sizes are memoized by
 * identity), so it is linear in what was written, and runs before anything else reads the data.
 */
import { MAX_DEPTH, expansionBudget } from "./input-limits.js";
import { joinPointer } from "./pointer.js";

/** Why a document is refused, and the pointer (into the data as written) of the node at fault. */
export interface StructureProblem {
  pointer: string;
  message: string;
}

type Segment = string | number;

/** Thrown inside the walk to stop at the first problem (never escapes this module). */
class Stop {
  constructor(readonly problem: StructureProblem) {}
}

/** The first structural problem of parsed data, or undefined when it is a tree of sane size and depth. */
export function checkStructure(data: unknown): StructureProblem | undefined {
  const sizes = new Map<object, number>();
  const path: Segment[] = [];
  const onPath = new Set<object>();
  let written = 0;

  // Pass 1: each distinct node's expanded size (memoized), cycles and depth.
  const measure = (node: unknown): number => {
    if (node === null || typeof node !== "object") {
      written += 1;
      return 1;
    }
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (onPath.has(node)) {
      throw new Stop({
        pointer: joinPointer(path),
        message:
          "this YAML alias refers to a list or mapping that contains it (a cycle), which never ends when read: " +
          "write the value out instead of aliasing it",
      });
    }
    if (path.length > MAX_DEPTH) {
      throw new Stop({
        pointer: joinPointer(path),
        message: `lists and mappings nest deeper than ${MAX_DEPTH} levels here; a sourcelinks file nests at most 5 (buildService.oauthApps.github.clientId)`,
      });
    }
    written += 1;
    onPath.add(node);
    let total = 1;
    forEachChild(node, (key, child) => {
      path.push(key);
      total += measure(child);
      path.pop();
    });
    onPath.delete(node);
    sizes.set(node, total);
    return total;
  };

  let expanded: number;
  try {
    expanded = measure(data);
  } catch (error) {
    if (error instanceof Stop) return error.problem;
    throw error;
  }
  const budget = expansionBudget(written);
  if (expanded <= budget) return undefined;
  return { pointer: joinPointer(crossing(data, sizes, budget)), message: bombMessage(written, budget) };
}

/**
 * Pass 2 (only for a document over budget): the path of the alias reference at which the values
 * read so far, in document order, first exceed the budget. Written values alone never exceed it,
 * so the crossing is at a reference to an already-read list or mapping.
 */
function crossing(data: unknown, sizes: ReadonlyMap<object, number>, budget: number): Segment[] {
  const seen = new Set<object>();
  const path: Segment[] = [];
  let total = 0;
  const visit = (node: unknown): boolean => {
    if (node === null || typeof node !== "object") {
      total += 1;
      return false;
    }
    if (seen.has(node)) {
      total += sizes.get(node) ?? 1;
      return total > budget;
    }
    seen.add(node);
    total += 1;
    let found = false;
    forEachChild(node, (key, child) => {
      if (found) return;
      path.push(key);
      found = visit(child);
      if (!found) path.pop();
    });
    return found;
  };
  return visit(data) ? path : [];
}

function bombMessage(written: number, budget: number): string {
  return (
    `YAML aliases (*name) would expand this file beyond ${budget.toLocaleString("en-US")} values from ` +
    `${written.toLocaleString("en-US")} written ones (an alias bomb?), so it is refused before anything reads it: ` +
    `write repeated values out instead of aliasing them`
  );
}

function forEachChild(node: object, each: (key: Segment, child: unknown) => void): void {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) each(i, node[i]);
    return;
  }
  const record = node as Record<string, unknown>;
  for (const key of Object.keys(record)) each(key, record[key]);
}
