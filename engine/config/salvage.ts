/**
 * Keeps what is valid in a file that failed the schema, so one run reports every problem:
 * a link or org access entry with errors is left out of the merge (the rest are checked), a broken
 * `buildService` or `providers` section is left out and marks the configuration incomplete.
 */
import type { ErrorObject } from "ajv";
import type { RawConfigFile } from "./raw.js";
import { isRecord, splitPointer } from "./pointer.js";

/** The valid part of a file and, per list, which original indexes were kept. */
export interface Salvaged {
  data: RawConfigFile;
  kept: { links?: number[]; orgAccess?: number[]; sweeps?: number[]; builds?: number[] };
  /** False when a whole section was dropped: checks that a section exists must then be skipped. */
  complete: boolean;
}

/** The valid remainder of schema-checked data (ajv ran with allErrors, so unmentioned parts are valid). */
export function salvage(written: unknown, errors: readonly ErrorObject[]): Salvaged {
  const data = isRecord(written) ? written : {};
  const brokenEntries = { links: new Set<number>(), orgAccess: new Set<number>(), sweeps: new Set<number>(), builds: new Set<number>() };
  const brokenSections = new Set<string>();
  for (const error of errors) {
    const [section, index] = splitPointer(error.instancePath);
    if (section === undefined) continue; // root: a missing apiVersion or an unknown top-level key
    if ((section === "links" || section === "orgAccess" || section === "sweeps" || section === "builds") && index !== undefined)
      brokenEntries[section].add(Number(index));
    else brokenSections.add(section);
  }

  const out: Record<string, unknown> = { apiVersion: "sourcelinks/v1" };
  const kept: Salvaged["kept"] = {};
  for (const section of ["buildService", "providers"] as const) {
    if (data[section] !== undefined && !brokenSections.has(section)) out[section] = data[section];
  }
  for (const section of ["links", "orgAccess", "sweeps", "builds"] as const) {
    const list = data[section];
    if (!Array.isArray(list) || brokenSections.has(section)) continue;
    const indexes = list.map((_, i) => i).filter((i) => !brokenEntries[section].has(i));
    out[section] = indexes.map((i) => list[i] as unknown);
    if (indexes.length !== list.length) kept[section] = indexes;
  }
  const complete = !brokenSections.has("buildService") && !brokenSections.has("providers");
  return { data: out as unknown as RawConfigFile, kept, complete };
}
