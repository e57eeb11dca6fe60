/**
 * The policies as a library (`import { sourcelinksPolicies } from "sourcelinks/policies"`), to run as
 * the sourcelinks pack or compose into your own pack at your own levels, the way AWSGuard is used:
 *
 * ```ts
 * import { PolicyPack } from "@pulumi/policy";
 * import { sourcelinksPolicies } from "sourcelinks/policies";
 * new PolicyPack("acme-guard", {
 *   policies: [...sourcelinksPolicies({ all: "advisory", "revoked-link-has-no-webhooks": "mandatory" }), ...ownPolicies],
 * });
 * ```
 *
 * Importing this module starts nothing; constructing a PolicyPack starts the analyzer server.
 */
import type { EnforcementLevel, Policies, PolicyPack } from "@pulumi/policy";
import { policySdk } from "./policy-sdk.js";
import { buildPolicies } from "./pack-policies.js";
import type { RuleId } from "./rules/types.js";

export { buildPolicies, forceDeleteOnRevoke, type StackPolicyConfig } from "./pack-policies.js";
export { LINK_TYPE, ORG_TYPE, ORGANIZATION_WEBHOOK_TYPE, REPOSITORY_WEBHOOK_TYPE } from "./resource-facts.js";
export type { RuleId } from "./rules/types.js";

/** Enforcement levels: `all` for every policy, then per rule id (a rule's resource and `-stack` policies alike). */
export type SourcelinksPolicyLevels = { all?: EnforcementLevel } & { [K in RuleId]?: EnforcementLevel };

/** The rule id a policy name stands for: `<rule id>` or `<rule id>-stack`. */
function ruleIdOf(policyName: string): RuleId {
  return policyName.replace(/-stack$/, "") as RuleId;
}

/** Every sourcelinks policy, with its registry level unless `levels` says otherwise. */
export function sourcelinksPolicies(levels: SourcelinksPolicyLevels = {}): Policies {
  return buildPolicies().map((policy) => {
    const level = levels[ruleIdOf(policy.name)] ?? levels.all;
    return level === undefined ? policy : { ...policy, enforcementLevel: level };
  });
}

/** The description of the sourcelinks pack. */
export const PACK_DESCRIPTION =
  "Build-service links (Docker Hub autobuilds style) to GitHub and Bitbucket: revocation leaves nothing behind, team links use service accounts, org access matches the config.";

/** Constructs (and so starts) the sourcelinks policy pack: what `policies/pack.cjs` runs. */
export function sourcelinksPolicyPack(name = "sourcelinks", levels: SourcelinksPolicyLevels = {}): PolicyPack {
  return new policySdk.PolicyPack(name, {
    description: PACK_DESCRIPTION,
    enforcementLevel: "mandatory",
    policies: sourcelinksPolicies(levels),
  });
}
