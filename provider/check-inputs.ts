/**
 * `check()` for both resources: one link or org access entry checked exactly as the config loader
 * checks YAML (config/check-entry.ts: the JSON schema and the team rule, the same messages), plus
 * the build service and provider settings a single resource needs. Failures are `CheckFailure {property, reason}`
 * with Pulumi property paths (`repositories[1]`, `onRevoke.webhooks`).
 */
import {
  checkLinkInput,
  checkOrgAccessInput,
  deployKeyTitlePatternProblem,
  webhookUrlPatternProblem,
  type EntryFailure,
} from "../engine/config/index.js";
import {
  LINK_SPEC_KEYS,
  ORG_ACCESS_SPEC_KEYS,
  type OrgThirdPartyAccessInputs,
  type SourceProviderLinkInputs,
  type WorldSettings,
} from "./properties.js";

/** One reason the engine must not proceed with these inputs (Pulumi's `CheckFailure`). */
export interface InputFailure {
  property: string;
  reason: string;
}

const ENV_VAR = /^[A-Z_][A-Z0-9_]*$/;

function pick(source: object, keys: readonly string[]): Record<string, unknown> {
  const record = source as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of keys) if (record[key] !== undefined && record[key] !== null) out[key] = record[key];
  return out;
}

/** `account` under `links[1]` → `links[1].account`; `[0]` → `links[1][0]`; `` → `links[1]`. */
function under(prefix: string, property: string): string {
  if (prefix === "") return property;
  if (property === "") return prefix;
  return property.startsWith("[") ? `${prefix}${property}` : `${prefix}.${property}`;
}

function prefixed(failures: readonly EntryFailure[], prefix: string): InputFailure[] {
  return failures.map((f) => ({ property: under(prefix, f.property), reason: f.reason }));
}

/** The link's own properties, checked as the YAML loader checks a link (schema and the team rule). */
function linkFailures(link: Record<string, unknown>, prefix = ""): InputFailure[] {
  const result = checkLinkInput(link);
  return result.ok ? [] : prefixed(result.failures, prefix);
}

/** Build service and provider settings a resource of `provider` needs (env var NAMES, URLs). */
function worldFailures(world: Partial<WorldSettings>, provider: unknown, app: unknown): InputFailure[] {
  const failures: InputFailure[] = [];
  const bs = world.buildService;
  if (bs === undefined || bs === null || typeof bs !== "object") {
    return [{ property: "buildService", reason: "is required" }];
  }
  if (bs.kind !== "reference" && bs.kind !== "docker-hub")
    failures.push({ property: "buildService.kind", reason: 'must be one of "reference", "docker-hub"' });
  if (bs.kind === "reference" && (typeof bs.apiUrl !== "string" || !/^https?:\/\//.test(bs.apiUrl))) {
    failures.push({ property: "buildService.apiUrl", reason: "must be the http(s) URL of the build service API" });
  }
  if (typeof bs.tokenEnv !== "string" || !ENV_VAR.test(bs.tokenEnv)) {
    failures.push({
      property: "buildService.tokenEnv",
      reason: "must name an environment variable (the token itself never goes in inputs)",
    });
  }
  if (!Array.isArray(bs.webhookUrlPatterns) || bs.webhookUrlPatterns.length === 0) {
    failures.push({
      property: "buildService.webhookUrlPatterns",
      reason: "must list at least one URL pattern of the build service's webhooks",
    });
  } else {
    failures.push(...patternFailures("buildService.webhookUrlPatterns", bs.webhookUrlPatterns, webhookUrlPatternProblem));
  }
  if (!Array.isArray(bs.deployKeyTitlePatterns))
    failures.push({ property: "buildService.deployKeyTitlePatterns", reason: "must be a list of title patterns" });
  else failures.push(...patternFailures("buildService.deployKeyTitlePatterns", bs.deployKeyTitlePatterns, deployKeyTitlePatternProblem));
  if (typeof app === "string" && (bs.oauthApps === undefined || bs.oauthApps[app as "github" | "bitbucket"] === undefined)) {
    failures.push({ property: `buildService.oauthApps.${app}`, reason: `is required: the build service's OAuth app on ${app}` });
  }
  if (typeof provider === "string" && (provider === "github" || provider === "bitbucket")) {
    const settings = world.providers?.[provider];
    if (settings === undefined) {
      failures.push({
        property: `providers.${provider}`,
        reason: `is required: the ${provider} API URL and the env vars of its credentials`,
      });
    } else if (typeof settings.tokenEnv !== "string" || !ENV_VAR.test(settings.tokenEnv)) {
      failures.push({
        property: `providers.${provider}.tokenEnv`,
        reason: "must name an environment variable (the token itself never goes in inputs)",
      });
    }
  }
  return failures;
}

/**
 * The YAML loader's breadth rules for patterns, for inputs declared in TypeScript: revocation deletes
 * whatever the patterns match, so one that could match another host's webhooks is refused here too.
 */
function patternFailures(property: string, patterns: readonly unknown[], problem: (pattern: string) => string | undefined): InputFailure[] {
  return patterns.flatMap((pattern, i) => {
    const reason = typeof pattern === "string" ? problem(pattern) : "must be a string";
    return reason === undefined ? [] : [{ property: `${property}[${i}]`, reason }];
  });
}

function versionFailures(version: unknown): InputFailure[] {
  return typeof version === "string" && version !== ""
    ? []
    : [{ property: "providerVersion", reason: "must be the sourcelinks package version" }];
}

/** Validates `SourceProviderLink` inputs. */
export function checkLinkInputs(inputs: SourceProviderLinkInputs): InputFailure[] {
  return [
    ...linkFailures(pick(inputs, LINK_SPEC_KEYS)),
    ...worldFailures(inputs, inputs.provider, inputs.provider),
    ...versionFailures(inputs.providerVersion),
  ];
}

/** Validates `OrgThirdPartyAccess` inputs. */
export function checkOrgAccessInputs(inputs: OrgThirdPartyAccessInputs): InputFailure[] {
  const own = checkOrgAccessInput(pick(inputs, ORG_ACCESS_SPEC_KEYS));
  const failures = own.ok ? [] : prefixed(own.failures, "");
  if (!Array.isArray(inputs.links)) {
    failures.push({ property: "links", reason: "must be a list of links (may be empty)" });
  } else {
    inputs.links.forEach((link, i) => failures.push(...linkFailures(pick(link, LINK_SPEC_KEYS), `links[${i}]`)));
  }
  return [...failures, ...worldFailures(inputs, inputs.provider, inputs.app), ...versionFailures(inputs.providerVersion)];
}
