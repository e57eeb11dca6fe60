/**
 * What a person does once they have done the manual steps a plan printed: writes each step's id, the
 * date and who did it under `manualSteps` of the entry the step arises on (a link, an org access entry,
 * a sweep), found at the location the plan gives for it. Pure: YAML text in, YAML text out, with the
 * file's comments and layout kept.
 */
import { isMap, isSeq, LineCounter, parseDocument, type YAMLMap } from "yaml";

/** One open manual step as `plan --format json` gives it: its id and the line and column of its entry. */
export interface PrintedStep {
  id: string;
  line: number;
  column: number;
}

/** The top-level lists whose entries carry `manualSteps`. */
const ENTRY_LISTS = ["links", "orgAccess", "sweeps"] as const;

/** Raised when a step's location is not the start of an entry of the file (the plan came from another file). */
export class RecordError extends Error {}

/** `text` with every step of `steps` recorded as done on `done` (YYYY-MM-DD) by `by`; a step already recorded is left as it is. */
export function recordManualSteps(text: string, steps: readonly PrintedStep[], done: string, by: string): string {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) throw new RecordError(`cannot record manual steps: ${doc.errors[0]?.message}`);
  const entries = new Map<string, YAMLMap>();
  for (const key of ENTRY_LISTS) {
    const list = doc.get(key);
    if (!isSeq(list)) continue;
    for (const item of list.items) {
      if (!isMap(item) || item.range === null || item.range === undefined) continue;
      const at = lines.linePos(item.range[0]);
      entries.set(`${at.line}:${at.col}`, item);
    }
  }
  for (const step of steps) {
    const entry = entries.get(`${step.line}:${step.column}`);
    if (entry === undefined) throw new RecordError(`cannot record ${step.id}: no entry starts at line ${step.line}, column ${step.column}`);
    let recorded = entry.get("manualSteps");
    if (!isSeq(recorded)) {
      recorded = doc.createNode([]);
      entry.set("manualSteps", recorded);
    }
    if (!isSeq(recorded)) continue;
    const ids = recorded.items.map((r) => (isMap(r) ? String(r.get("id")) : ""));
    if (ids.includes(step.id)) continue;
    recorded.items.push(doc.createNode({ id: step.id, done, by }, { flow: true }));
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
