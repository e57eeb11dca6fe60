/**
 * The policies as a library (`import { sourcelinksPolicies } from "sourcelinks/policies"`), to run as
 * the sourcelinks pack or compose into your own pack at your own levels, the way AWSGuard is used:
 *
 * ```ts
 * import { PolicyPack } from "@pulumi/policy";
 * import { sourcelinksPolicies } from "sourcelinks/policies";
 * new PolicyPack("acme-guard", {
 *   policies: [
 *     ...sourcelinksPolicies({
 *       all: "advisory",
 *       "revoked-link-has-no-webhooks": "mandatory",
 *       "webhook-hygiene": { enforcementLevel: "mandatory", allowedRepositories: ["acme/legacy-*"] },
 *     }),
 *     ...ownPolicies,
 *   ],
 * });
 * ```
 *
 * Importing this module starts nothing; constructing a PolicyPack starts the analyzer server.
 */
import type { EnforcementLevel, Policies, PolicyPack } from "@pulumi/policy";
import { policySdk } from "./policy-sdk.js";
import { buildPolicies, type StackPolicyConfig } from "./pack-policies.js";
import { ruleList } from "./rules/registry.js";
import type { RuleId } from "./rules/types.js";

export { buildPolicies, forceDeleteOnRevoke, type StackPolicyConfig } from "./pack-policies.js";
export { LINK_TYPE, ORG_TYPE, ORGANIZATION_WEBHOOK_TYPE, REPOSITORY_WEBHOOK_TYPE } from "./resource-facts.js";
export type { RuleId } from "./rules/types.js";

/** The levels a policy can run at. */
const LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const satisfies readonly EnforcementLevel[];

/** A rule's settings: its level, and the settings of its stack policy (defaults `--policy-pack-config` overrides). */
export type SourcelinksRuleSettings = { enforcementLevel?: EnforcementLevel } & StackPolicyConfig;

/**
 * AWSGuard's shape: `all` sets every policy's level; each rule id takes a level, or
 * `{ enforcementLevel, ...ruleConfig }`. A rule's level applies to its resource and `-stack` policies alike.
 */
export type SourcelinksPolicyArgs = { all?: EnforcementLevel } & { [K in RuleId]?: EnforcementLevel | SourcelinksRuleSettings };

/** Earlier name of `SourcelinksPolicyArgs`, when only levels could be given. */
export type SourcelinksPolicyLevels = SourcelinksPolicyArgs;

/** The rule ids, in registry order. */
const RULE_IDS: readonly RuleId[] = ruleList.map((r) => r.id);

/** The settings a rule takes besides `enforcementLevel`: those of its stack policy. */
const CONFIG_KEYS = ["webhookUrlPatterns", "allowedRepositories"] as const satisfies readonly (keyof StackPolicyConfig)[];

function describeValue(value: unknown): string {
  return value === undefined ? "undefined" : JSON.stringify(value);
}

function level(where: string, value: unknown): EnforcementLevel {
  if (typeof value === "string" && (LEVELS as readonly string[]).includes(value)) return value as EnforcementLevel;
  throw new TypeError(`sourcelinksPolicies: ${where} must be one of ${LEVELS.join(", ")}, not ${describeValue(value)}`);
}

/**
 * Checks the arguments as TypeScript would, for JavaScript callers (a misspelt rule would otherwise be
 * silently ignored and its policy left at its default level).
 */
function checkedArgs(args: unknown): { all?: EnforcementLevel; rules: Map<RuleId, SourcelinksRuleSettings> } {
  if (args === null || typeof args !== "object" || Array.isArray(args))
    throw new TypeError(`sourcelinksPolicies: expected an object such as { all: "mandatory" }, not ${describeValue(args)}`);
  const rules = new Map<RuleId, SourcelinksRuleSettings>();
  let all: EnforcementLevel | undefined;
  for (const [key, value] of Object.entries(args)) {
    if (value === undefined) continue;
    if (key === "all") {
      all = level(`"all"`, value);
      continue;
    }
    if (!(RULE_IDS as readonly string[]).includes(key))
      throw new TypeError(`sourcelinksPolicies: unknown rule "${key}"; the rules are: all, ${RULE_IDS.join(", ")}`);
    const id = key as RuleId;
    if (typeof value === "string") {
      rules.set(id, { enforcementLevel: level(`"${id}"`, value) });
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value))
      throw new TypeError(
        `sourcelinksPolicies: "${id}" must be an enforcement level or { enforcementLevel, ...settings }, not ${describeValue(value)}`,
      );
    const settings: SourcelinksRuleSettings = {};
    for (const [setting, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      if (setting === "enforcementLevel") settings.enforcementLevel = level(`"${id}".enforcementLevel`, v);
      else if ((CONFIG_KEYS as readonly string[]).includes(setting)) {
        if (!Array.isArray(v) || !v.every((g) => typeof g === "string" && g !== ""))
          throw new TypeError(
            `sourcelinksPolicies: "${id}".${setting} must be a list of non-empty strings (globs), not ${describeValue(v)}`,
          );
        settings[setting as (typeof CONFIG_KEYS)[number]] = [...v];
      } else
        throw new TypeError(
          `sourcelinksPolicies: "${id}" has no setting "${setting}"; its settings are: enforcementLevel, ${CONFIG_KEYS.join(", ")}`,
        );
    }
    rules.set(id, settings);
  }
  return all === undefined ? { rules } : { all, rules };
}

/** The rule id a policy name stands for: `<rule id>` or `<rule id>-stack`. */
function ruleIdOf(policyName: string): RuleId {
  return policyName.replace(/-stack$/, "") as RuleId;
}

/**
 * Every sourcelinks policy, at its registry level unless `args` says otherwise, with each rule's
 * settings as its stack policy's defaults. Throws a TypeError naming the key for an unknown rule, level or setting.
 */
export function sourcelinksPolicies(args: SourcelinksPolicyArgs = {}): Policies {
  const { all, rules } = checkedArgs(args);
  const defaults: Partial<Record<RuleId, StackPolicyConfig>> = {};
  for (const [id, { enforcementLevel: _level, ...config }] of rules) if (Object.keys(config).length > 0) defaults[id] = config;
  return buildPolicies(defaults).map((policy) => {
    const chosen = rules.get(ruleIdOf(policy.name))?.enforcementLevel ?? all;
    return chosen === undefined ? policy : { ...policy, enforcementLevel: chosen };
  });
}

/** The description of the sourcelinks pack. */
export const PACK_DESCRIPTION =
  "Build-service links (Docker Hub autobuilds style) to GitHub and Bitbucket: revocation leaves nothing behind, team links use service accounts, org access matches the config.";

/** Constructs (and so starts) the sourcelinks policy pack: what `policies/pack.cjs` runs. */
export function sourcelinksPolicyPack(name = "sourcelinks", args: SourcelinksPolicyArgs = {}): PolicyPack {
  return new policySdk.PolicyPack(name, {
    description: PACK_DESCRIPTION,
    enforcementLevel: "mandatory",
    policies: sourcelinksPolicies(args),
  });
}
