/**
 * Values not known until apply. During a preview the engine sends an input computed from another
 * resource's output (`repo.fullName` of a `@pulumi/github` Repository not yet created) as Pulumi's
 * unknown sentinel string. `check` must not refuse such an input: the engine checks the inputs again
 * at apply, with the values known.
 */
import * as pulumi from "./pulumi-sdk.js";

/** Whether a property value is, or contains, a value unknown during preview. */
export function containsUnknown(value: unknown): boolean {
  if (value === pulumi.runtime.unknownValue) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** `repositories[1]` → `["repositories", 1]`; `onRevoke.webhooks` → `["onRevoke", "webhooks"]`. */
function pathOf(property: string): (string | number)[] {
  return [...property.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : (m[1] ?? "")));
}

/** Whether the value at a Pulumi property path, or one of its parents, is or contains an unknown. */
export function unknownAt(props: object, property: string): boolean {
  let value: unknown = props;
  for (const step of pathOf(property)) {
    if (value === pulumi.runtime.unknownValue) return true;
    if (value === null || typeof value !== "object") return false;
    value = (value as Record<string | number, unknown>)[step];
  }
  return containsUnknown(value);
}

/** The failures that still hold with unknowns: one about a value not yet known waits for apply. */
export function knownFailures<F extends { property: string }>(props: object, failures: readonly F[]): F[] {
  return failures.filter((f) => f.property === "" || !unknownAt(props, f.property));
}
