/**
 * Validation against `schema/sourcelinks.schema.json`, using the validator ajv compiled ahead of
 * time (tools/codegen/schema-codegen.ts), so loading needs neither ajv nor a compile step at startup.
 */
import type { ErrorObject } from "ajv";
import schema from "../../schema/sourcelinks.schema.json" with { type: "json" };
import { validate as generated } from "./generated/validate-config.js";
import type { RawConfigFile } from "./raw.js";
import { isRecord, splitPointer } from "./pointer.js";

/** The JSON schema of one configuration file, for editors and docs. */
export const configSchema = schema;

/** The shape of an ajv validate function. */
interface CompiledValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

const validate = generated as unknown as CompiledValidator;

/** Validates one file's data in place (filling defaults); returns the errors, empty when valid. */
export function validateConfigFile(
  data: unknown,
): { valid: true; data: RawConfigFile; errors: [] } | { valid: false; errors: ErrorObject[] } {
  if (validate(data)) return { valid: true, data: data as RawConfigFile, errors: [] };
  return { valid: false, errors: validate.errors ?? [] };
}

/** The schema that applies at a pointer into a file's data, and the `$defs` name it refers to. */
export interface SchemaNode {
  schema: Record<string, unknown> | undefined;
  definition: string | undefined;
}

/** Walks the schema along an instance pointer (properties, items, `$ref` into `$defs`). */
export function schemaAt(pointer: string): SchemaNode {
  let node = resolve(configSchema as unknown);
  for (const segment of splitPointer(pointer)) {
    const schema = node.schema;
    if (schema === undefined) break;
    const properties = schema["properties"];
    const next =
      /^\d+$/.test(segment) && schema["items"] !== undefined ? schema["items"] : isRecord(properties) ? properties[segment] : undefined;
    node = resolve(next);
  }
  return node;
}

function resolve(schema: unknown): SchemaNode {
  if (!isRecord(schema)) return { schema: undefined, definition: undefined };
  const ref = schema["$ref"];
  const name = typeof ref === "string" ? /^#\/\$defs\/(.+)$/.exec(ref)?.[1] : undefined;
  if (name === undefined) return { schema, definition: undefined };
  const defs = (configSchema as unknown as { $defs: Record<string, unknown> }).$defs;
  const target = defs[name];
  return { schema: isRecord(target) ? { ...target, ...schema } : schema, definition: name };
}
