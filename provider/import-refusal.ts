/**
 * Dynamic resources cannot be imported. For `pulumi import` and the `import` resource option the
 * engine sends `Read(id)` with no properties, and Pulumi's dynamic-provider host fails before any
 * sourcelinks code runs (it looks for the serialized provider among those properties:
 * `code must be a string, not undefined`). The resource classes refuse the option up front with
 * what to do instead: every create adopts what already exists, so declaring it is the import.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceTypeName } from "../engine/model/type-tokens.js";

/** What to do instead of importing a resource of `type`. */
export function importAdvice(type: ResourceTypeName): string {
  switch (type) {
    case "SourceProviderLink":
      return "declare the link without the import option (sourcelinks export writes the YAML for the live world) and run pulumi up: create adopts the existing link";
    case "OrgThirdPartyAccess":
      return "declare the org access without the import option and run pulumi up: create sets the declared access, a no-op where the org already has it";
    case "OrphanSweep":
      return "declare the sweep without the import option and run pulumi up: a sweep holds no state of its own to import";
    case "ReplacementBuild":
      return "declare the build without the import option and run pulumi up: create adopts the open pull request or the merged file";
  }
}

/** The error for the `import` option on a sourcelinks resource. */
export function importRefusalMessage(type: ResourceTypeName, name: string, id: string): string {
  return `${type} "${name}": dynamic resources cannot be imported (import: "${id}"); ${importAdvice(type)}.`;
}

/** Throws `importRefusalMessage` when `opts` asks to import. */
export function importRefusal(type: ResourceTypeName, name: string, opts: pulumi.CustomResourceOptions | undefined): void {
  const id = opts?.import;
  if (id !== undefined && id !== null) throw new Error(importRefusalMessage(type, name, typeof id === "string" ? id : "(computed)"));
}
