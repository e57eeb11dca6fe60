/**
 * Saved plans (`plan --out PLAN`, `apply --plan PLAN`): what a reviewer saw is what apply may send.
 * The file holds the `sourcelinks.plan/v1` JSON (every step with its exact request, and per resource
 * the observed facts the steps rely on) plus the digest of the configuration it was made from. Apply
 * re-observes, re-plans, and runs only when the fresh plan contains nothing the saved one does not:
 * fewer steps are fine (some were done meanwhile), a new or different step refuses the whole run.
 * Pure: reading and writing the file is the command's business; a file is checked against
 * schema/plan.schema.json before anything trusts its shape. No credential is ever in a plan.
 */
import { createHash } from "node:crypto";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import planSchema from "../schema/plan.schema.json" with { type: "json" };
import { positionAfter } from "../engine/config/characters.js";
import { PositionIndex } from "../engine/config/position-index.js";
import { isAbsolute, resolve } from "node:path";
import type { SourcelinksConfig } from "../engine/model/spec.js";
import { CliError, ExitCode } from "./exit-codes.js";
import { PLAN_API_VERSION, type PlanJson, type PlanStepJson } from "./format/plan-json.js";

/** The `apiVersion` of a saved plan file. */
export const SAVED_PLAN_API_VERSION = "sourcelinks.saved-plan/v1";

/** A saved plan file. */
export interface SavedPlan {
  apiVersion: typeof SAVED_PLAN_API_VERSION;
  /** `sha256:` of the merged, validated configuration (comments and layout do not count). */
  configDigest: string;
  /** The reviewed plan, exactly as `plan --format json` prints it. */
  plan: PlanJson;
  /**
   * The configuration files as absolute paths, resolved where the plan was made, so `apply --plan` run
   * from another directory reads the same files; absent in plans saved before it existed (then `plan.files`).
   */
  configFiles?: string[];
}

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The digest of a configuration: names env vars, never holds a secret. */
export function configDigest(config: SourcelinksConfig): string {
  return `sha256:${createHash("sha256").update(canonicalJson(config)).digest("hex")}`;
}

/** The saved plan of a reviewed plan; `cwd` is the directory the plan's file arguments are relative to. */
export function toSavedPlan(plan: PlanJson, config: SourcelinksConfig, cwd: string = process.cwd()): SavedPlan {
  return {
    apiVersion: SAVED_PLAN_API_VERSION,
    configDigest: configDigest(config),
    plan,
    configFiles: plan.files.map((f) => resolve(cwd, f)),
  };
}

/** The configuration files a saved plan was made from, as it recorded them. */
export function savedConfigFiles(saved: SavedPlan): string[] {
  return saved.configFiles ?? saved.plan.files;
}

/** Schema errors named per file: the first few are enough to see what is wrong. */
const MAX_ERRORS = 5;

let compiledPlanSchema: ValidateFunction | undefined;

/** The plan schema's validator, compiled on first use (only `apply --plan` needs it). */
function planValidator(): ValidateFunction {
  if (compiledPlanSchema === undefined) {
    // Not strict: the schema states `required` inside `if`/`then` branches, which strict mode rejects.
    const ajv = new Ajv({ allErrors: true, strict: false });
    (addFormats as unknown as (ajv: Ajv) => void)(ajv);
    compiledPlanSchema = ajv.compile(planSchema);
  }
  return compiledPlanSchema;
}

/**
 * Parses a saved plan file; anything else is invalid input (exit 2) naming the file, and for a plan
 * that does not match schema/plan.schema.json (a `null` resource, `steps: null`) each place as
 * `FILE:LINE:COL: /plan/resources/0/steps: must be array`.
 */
export function parseSavedPlan(text: string, file: string): SavedPlan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(ExitCode.invalidInput, `${file}: not a saved plan: ${error instanceof Error ? error.message : String(error)}`);
  }
  const v = value as Partial<SavedPlan> | null;
  const what = `${file}: not a saved plan (expected apiVersion ${SAVED_PLAN_API_VERSION} with a ${PLAN_API_VERSION} plan, as written by sourcelinks plan --out)`;
  if (
    v === null ||
    typeof v !== "object" ||
    v.apiVersion !== SAVED_PLAN_API_VERSION ||
    typeof v.configDigest !== "string" ||
    typeof v.plan !== "object" ||
    v.plan === null ||
    v.plan.apiVersion !== PLAN_API_VERSION ||
    !Array.isArray(v.plan.resources) ||
    !Array.isArray(v.plan.files) ||
    (v.configFiles !== undefined && (!Array.isArray(v.configFiles) || v.configFiles.some((f) => typeof f !== "string" || !isAbsolute(f))))
  ) {
    throw new CliError(ExitCode.invalidInput, what);
  }
  const validate = planValidator();
  if (!validate(v.plan)) {
    const errors = validate.errors ?? [];
    const index = PositionIndex.build(text);
    const lines = errors.slice(0, MAX_ERRORS).map((e) => {
      const pointer = `/plan${e.instancePath}`;
      const segments = pointer.split("/").slice(1).map(unescapePointer);
      const at = index === undefined ? { line: 1, column: 1 } : positionAfter(text.slice(0, index.offsetOf(segments, "value")));
      return `${file}:${at.line}:${at.column}: ${pointer}: ${e.message ?? "is invalid"}`;
    });
    if (errors.length > MAX_ERRORS) lines.push(`${file}: … and ${errors.length - MAX_ERRORS} more`);
    throw new CliError(ExitCode.invalidInput, [what, ...lines]);
  }
  return v as SavedPlan;
}

/** One JSON pointer segment as the key it names (`~1` is `/`, `~0` is `~`). */
function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** What identifies a step: every field but its prose description. */
function stepKey(step: PlanStepJson): string {
  const { description: _description, ...rest } = step;
  return canonicalJson(rest);
}

/**
 * Every step of `fresh` that `saved` does not contain, one line each naming the resource and the
 * request; empty when `fresh` may run. Steps are matched per resource, by all their fields.
 */
export function stepsNotReviewed(saved: PlanJson, fresh: PlanJson): string[] {
  const reviewed = new Map<string, Set<string>>();
  for (const r of saved.resources) reviewed.set(`${r.resource}\u0000${r.name}`, new Set(r.steps.map(stepKey)));
  const out: string[] = [];
  for (const r of fresh.resources) {
    const keys = reviewed.get(`${r.resource}\u0000${r.name}`);
    for (const step of r.steps) {
      if (keys?.has(stepKey(step))) continue;
      const kind = r.resource === "link" ? "link" : r.resource === "sweep" ? "sweep" : r.resource === "build" ? "build" : "org access";
      out.push(`${kind} ${r.name}: not in the reviewed plan: ${step.description} (${step.request.method} ${step.request.url})`);
    }
  }
  return out;
}
