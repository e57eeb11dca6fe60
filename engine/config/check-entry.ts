/**
 * The same schema and messages for a link or org access entry that arrives as data rather than
 * YAML, e.g. Pulumi resource inputs: a dynamic provider's `check()` returns these as
 * `CheckFailure { property, reason }` (pulumi/pulumi sdk/nodejs/dynamic).
 */
import type { LinkSpec, OrgAccessSpec, SweepSpec } from "../model/spec.js";
import { dotted, subjectOf } from "./labels.js";
import { splitPointer } from "./pointer.js";
import { findingsFromAjv } from "./schema-messages.js";
import { validateConfigFile } from "./schema-validator.js";

/** One problem with an input: the property path (`repositories[1]`, empty for the whole entry) and why. */
export interface EntryFailure {
  property: string;
  reason: string;
}

/** An entry with the schema's defaults filled in, or its failures. */
export type EntryCheck<T> = { ok: true; value: T } | { ok: false; failures: EntryFailure[] };

/**
 * Checks one link as the YAML loader would (schema, defaults); the input is not mutated. A team
 * link through a person's account passes: that is the policy `team-link-uses-service-account`.
 */
export function checkLinkInput(input: unknown): EntryCheck<LinkSpec> {
  return checkEntry<LinkSpec>("links", input);
}

/** Checks one org access entry as the YAML loader would. */
export function checkOrgAccessInput(input: unknown): EntryCheck<OrgAccessSpec> {
  return checkEntry<OrgAccessSpec>("orgAccess", input);
}

/** Checks one sweep as the YAML loader would (its `name` may be absent, as in the YAML). */
export function checkSweepInput(input: unknown): EntryCheck<SweepSpec> {
  return checkEntry<SweepSpec>("sweeps", input);
}

function checkEntry<T>(section: "links" | "orgAccess" | "sweeps", input: unknown): EntryCheck<T> {
  // A JSON copy: validation fills defaults in place, and inputs must stay untouched.
  const entry: unknown = input === undefined ? undefined : JSON.parse(JSON.stringify(input));
  const data = { apiVersion: "sourcelinks/v1", [section]: [entry] };
  const result = validateConfigFile(data);
  if (result.valid) return { ok: true, value: entry as T };
  const subject = subjectOf(`/${section}/0`, data);
  const failures = findingsFromAjv(result.errors, data).findings.map((f): EntryFailure => {
    const path = splitPointer(f.pointer).slice(2);
    if (f.missingKey !== undefined) path.push(f.missingKey);
    const property = dotted(path);
    const reason = withoutSubject(f.message, subject);
    return { property, reason: f.missingKey === undefined ? withoutSubject(reason, property) : reason };
  });
  return { ok: false, failures };
}

/** `links[0] (x): state must be ...` → `state must be ...` (and then → `must be ...` for `state`). */
function withoutSubject(message: string, subject: string): string {
  if (subject === "") return message;
  if (message.startsWith(`${subject}: `)) return message.slice(subject.length + 2);
  if (message.startsWith(`${subject} `)) return message.slice(subject.length + 1);
  return message;
}
