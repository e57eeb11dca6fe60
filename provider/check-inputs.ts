/**
 * `check()` for both resources: the YAML's JSON schema (schema/sourcelinks.schema.json, exported by
 * config/schema-validator.ts, the definitions the config loader validates files with) applied to one link or org access entry, plus
 * the cross-field rules a single resource can see. Failures are `CheckFailure {property, reason}`
 * with Pulumi property paths (`repositories[1]`, `onRevoke.webhooks`).
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { configSchema } from "../config/schema-validator.js";
import type { LinkSpec } from "../config/types.js";
import type { OrgThirdPartyAccessInputs, SourceProviderLinkInputs, WorldSettings } from "./properties.js";

/** One reason the engine must not proceed with these inputs (Pulumi's `CheckFailure`). */
export interface InputFailure {
  property: string;
  reason: string;
}

const LINK_KEYS = ["name", "namespace", "team", "provider", "account", "serviceAccount", "state", "repositories", "onRevoke"] as const;
const ORG_KEYS = ["org", "provider", "app", "access"] as const;
const ENV_VAR = /^[A-Z_][A-Z0-9_]*$/;

interface Validators {
  link: ValidateFunction;
  orgAccess: ValidateFunction;
}

let compiled: Validators | null = null;

/** Compiles the two definitions once per process. */
function validators(): Validators {
  if (compiled !== null) return compiled;
  const id = configSchema.$id;
  // validateSchema: false, as config/schema-validator.ts: the schema is checked against the 2020-12
  // meta-schema by the config tests. No useDefaults: check() reports, it does not fill in.
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateSchema: false });
  ajv.addSchema(configSchema, id);
  const get = (pointer: string): ValidateFunction => {
    const fn = ajv.getSchema(`${id}#${pointer}`);
    if (fn === undefined) throw new Error(`sourcelinks: schema/sourcelinks.schema.json has no ${pointer}`);
    return fn;
  };
  compiled = { link: get("/$defs/link"), orgAccess: get("/$defs/orgAccess") };
  return compiled;
}

/** `/repositories/1` → `repositories[1]`, under an optional prefix. */
function propertyPath(instancePath: string, prefix = ""): string {
  let path = prefix;
  for (const part of instancePath.split("/").slice(1)) {
    const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
    path += /^\d+$/.test(key) ? `[${key}]` : path === "" ? key : `.${key}`;
  }
  return path;
}

function schemaFailures(errors: ErrorObject[] | null | undefined, prefix = ""): InputFailure[] {
  return (errors ?? []).map((e) => {
    if (e.keyword === "additionalProperties") {
      const extra = String((e.params as { additionalProperty?: unknown }).additionalProperty);
      return { property: propertyPath(`${e.instancePath}/${extra}`, prefix), reason: "is not a known property" };
    }
    if (e.keyword === "required") {
      const missing = String((e.params as { missingProperty?: unknown }).missingProperty);
      return { property: propertyPath(`${e.instancePath}/${missing}`, prefix), reason: "is required" };
    }
    if (e.keyword === "enum") {
      const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues ?? [];
      return { property: propertyPath(e.instancePath, prefix), reason: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}` };
    }
    return { property: propertyPath(e.instancePath, prefix), reason: e.message ?? "is invalid" };
  });
}

function pick(source: object, keys: readonly string[]): Record<string, unknown> {
  const record = source as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of keys) if (record[key] !== undefined && record[key] !== null) out[key] = record[key];
  return out;
}

/** The link's own schema and its cross-field rules. */
function linkFailures(link: Record<string, unknown>, prefix = ""): InputFailure[] {
  const validate = validators().link;
  const failures = validate(link) ? [] : schemaFailures(validate.errors, prefix);
  const spec = link as Partial<LinkSpec>;
  if (spec.team !== undefined && spec.serviceAccount !== true) {
    failures.push({
      property: propertyPath("/serviceAccount", prefix),
      reason: `team link "${spec.name ?? ""}" (team ${spec.team}) must use a service account: set serviceAccount: true and link the team's service account, not a person`,
    });
  }
  return failures;
}

/** Build service and provider settings a resource of `provider` needs (env var NAMES, URLs). */
function worldFailures(world: Partial<WorldSettings>, provider: unknown, app: unknown): InputFailure[] {
  const failures: InputFailure[] = [];
  const bs = world.buildService;
  if (bs === undefined || bs === null || typeof bs !== "object") {
    return [{ property: "buildService", reason: "is required" }];
  }
  if (bs.kind !== "reference" && bs.kind !== "docker-hub") failures.push({ property: "buildService.kind", reason: 'must be one of "reference", "docker-hub"' });
  if (bs.kind === "reference" && (typeof bs.apiUrl !== "string" || !/^https?:\/\//.test(bs.apiUrl))) {
    failures.push({ property: "buildService.apiUrl", reason: "must be the http(s) URL of the build service API" });
  }
  if (typeof bs.tokenEnv !== "string" || !ENV_VAR.test(bs.tokenEnv)) {
    failures.push({ property: "buildService.tokenEnv", reason: "must name an environment variable (the token itself never goes in inputs)" });
  }
  if (!Array.isArray(bs.webhookUrlPatterns) || bs.webhookUrlPatterns.length === 0) {
    failures.push({ property: "buildService.webhookUrlPatterns", reason: "must list at least one URL pattern of the build service's webhooks" });
  }
  if (!Array.isArray(bs.deployKeyTitlePatterns)) failures.push({ property: "buildService.deployKeyTitlePatterns", reason: "must be a list of title patterns" });
  if (typeof app === "string" && (bs.oauthApps === undefined || bs.oauthApps[app as "github" | "bitbucket"] === undefined)) {
    failures.push({ property: `buildService.oauthApps.${app}`, reason: `is required: the build service's OAuth app on ${app}` });
  }
  if (typeof provider === "string" && (provider === "github" || provider === "bitbucket")) {
    const settings = world.providers?.[provider];
    if (settings === undefined) {
      failures.push({ property: `providers.${provider}`, reason: `is required: the ${provider} API URL and the env vars of its credentials` });
    } else if (typeof settings.tokenEnv !== "string" || !ENV_VAR.test(settings.tokenEnv)) {
      failures.push({ property: `providers.${provider}.tokenEnv`, reason: "must name an environment variable (the token itself never goes in inputs)" });
    }
  }
  return failures;
}

function versionFailures(version: unknown): InputFailure[] {
  return typeof version === "string" && version !== "" ? [] : [{ property: "providerVersion", reason: "must be the sourcelinks package version" }];
}

/** Validates `SourceProviderLink` inputs. */
export function checkLinkInputs(inputs: SourceProviderLinkInputs): InputFailure[] {
  return [
    ...linkFailures(pick(inputs, LINK_KEYS)),
    ...worldFailures(inputs, inputs.provider, inputs.provider),
    ...versionFailures(inputs.providerVersion),
  ];
}

/** Validates `OrgThirdPartyAccess` inputs. */
export function checkOrgAccessInputs(inputs: OrgThirdPartyAccessInputs): InputFailure[] {
  const validate = validators().orgAccess;
  const own = pick(inputs, ORG_KEYS);
  const failures = validate(own) ? [] : schemaFailures(validate.errors);
  if (!Array.isArray(inputs.links)) {
    failures.push({ property: "links", reason: "must be a list of links (may be empty)" });
  } else {
    inputs.links.forEach((link, i) => failures.push(...linkFailures(pick(link, LINK_KEYS), `links[${i}]`)));
  }
  return [...failures, ...worldFailures(inputs, inputs.provider, inputs.app), ...versionFailures(inputs.providerVersion)];
}
