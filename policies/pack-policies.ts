/**
 * The `@pulumi/policy` policies built from the rule registry (policies/rules). Kept apart from
 * index.ts, which starts the analyzer server as a side effect, so tests can import the policies.
 *
 * Mapping:
 * - every link or org rule is a resource policy named by its rule id, evaluated on the props the
 *   engine sends to `Analyze` (the inputs: config checks; observed state when present);
 * - every link or org rule also has a stack policy `<rule id>-stack`, evaluated on the outputs the engine
 *   sends to `AnalyzeStack`, which reports only what observed state adds (so nothing is reported twice)
 *   plus the rule's cross-resource part (e.g. `@pulumi/github` webhooks);
 * - every stack rule is a stack policy named by its rule id.
 * - `revoked-link-has-no-webhooks` remediates: at enforcement `remediate` it rewrites a revoked link's
 *   `onRevoke` to `{webhooks: delete, deployKeys: delete}` (safe: only build-service leftovers are deleted).
 *
 * Unknown values (preview): findings that depend on them are "cannot be checked until apply". The pack
 * reports the decided findings first, then raises the SDK's own UnknownValueError carrying the rule's
 * message, which @pulumi/policy turns into an ADVISORY diagnostic "can't run policy … during preview: …"
 * (the same path a policy reading an unknown property takes). Should a later SDK stop exporting that
 * class at run time, the pack falls back to `notApplicable(message)`.
 */
import type {
  Policies,
  PolicyConfigSchema,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import {
  LINK_TYPE,
  ORG_TYPE,
  UNKNOWN_STRING,
  containsUnknown,
  factsFromResource,
  githubWebhookFromResource,
  rawProperty,
} from "./resource-facts.js";
import { findingsOf, ruleContext } from "./rules/evaluate.js";
import { ruleList } from "./rules/registry.js";
import { policySdk } from "./policy-sdk.js";
import { sweepFactsFromResource } from "./sweep-facts.js";
import { buildFactsFromResource } from "./build-facts.js";
import type { Finding, LinkRule, OrgRule, RuleContext, RuleId, StackFacts, StackRule } from "./rules/types.js";

/** Settings of the stack policies, set with `--policy-pack-config` (or a Pulumi Cloud policy group). */
export interface StackPolicyConfig {
  /** Globs recognising build-service webhook URLs; default: the links' `buildService.webhookUrlPatterns`, else docker-hub's. */
  webhookUrlPatterns?: string[];
  /** Repositories (globs) allowed to carry build-service webhooks without a declaring link. */
  allowedRepositories?: string[];
}

/** The config schema of every stack policy. */
const stackConfigSchema: PolicyConfigSchema = {
  properties: {
    webhookUrlPatterns: {
      type: "array",
      items: { type: "string" },
      description: "Globs (`*` within one path segment) recognising the build service's webhooks by URL.",
    },
    allowedRepositories: {
      type: "array",
      items: { type: "string" },
      description: "Repositories (`owner/name`, globs allowed) that may carry build-service webhooks without a declaring link.",
    },
  },
};

type UnknownValueErrorClass = new (sentinel: string, path: string[]) => Error;

/**
 * @pulumi/policy exports `UnknownValueError` at run time (index.js) but strips it from its typings
 * (`@internal`), so it is looked up rather than imported.
 */
const UnknownValueError: UnknownValueErrorClass | undefined = (policySdk as unknown as { UnknownValueError?: UnknownValueErrorClass })
  .UnknownValueError;

/** Reports findings that wait for unknown values as the SDK's advisory "can't run … during preview". */
function undecided(messages: readonly string[], notApplicable: (reason: string) => never): void {
  if (messages.length === 0) return;
  const message = messages.join("; ");
  if (UnknownValueError === undefined) notApplicable(message);
  else {
    const error = new UnknownValueError(UNKNOWN_STRING, []);
    error.message = message;
    throw error;
  }
}

/** Reports decided findings, then the undecided ones (which ends the validation). */
function report(
  findings: readonly Finding[],
  reportViolation: ReportViolation,
  urnOf: (f: Finding) => string | undefined,
  notApplicable: (reason: string) => never,
): void {
  for (const f of findings) if (!f.undecided) reportViolation(f.message, urnOf(f));
  undecided(
    findings.filter((f) => f.undecided).map((f) => f.message),
    notApplicable,
  );
}

/** A resource policy running one link or org rule on one resource's props. */
function resourcePolicy(rule: LinkRule | OrgRule): ResourceValidationPolicy {
  const type = rule.scope === "link" ? LINK_TYPE : ORG_TYPE;
  const policy: ResourceValidationPolicy = {
    name: rule.id,
    description: rule.description,
    enforcementLevel: rule.defaultEnforcement,
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      if (args.type !== type) return args.notApplicable(`Policy only applies to resources of type '${type}'`);
      const rf = factsFromResource(args);
      if (rf === undefined) return;
      const ctx = ruleContext({ webhookUrlPatterns: rf.kind === "link" ? rf.webhookUrlPatterns : [], allowedRepositories: [] });
      switch (rf.kind) {
        case "unknown-inputs":
          return undecided(
            [`"${rf.resource}" cannot be checked until apply: its inputs ${rf.properties.join(", ")} are unknown during preview`],
            args.notApplicable,
          );
        case "invalid":
          return args.notApplicable(
            `"${rf.resource}" does not have the properties policies/resource-facts.ts expects: ${rf.problems.join("; ")}`,
          );
        case "link":
          if (rule.scope === "link") report(rule.evaluate(rf.facts, ctx), reportViolation, () => undefined, args.notApplicable);
          return;
        case "org":
          if (rule.scope === "org") report(rule.evaluate(rf.facts, ctx), reportViolation, () => undefined, args.notApplicable);
          return;
      }
    },
  };
  if (rule.id === "revoked-link-has-no-webhooks") policy.remediateResource = forceDeleteOnRevoke;
  return policy;
}

/**
 * Remediation of `revoked-link-has-no-webhooks`: a revoked link that would keep the build service's
 * webhooks or deploy keys is rewritten to delete them. Other properties are copied raw, so unknowns
 * and secrets pass through unchanged.
 */
export function forceDeleteOnRevoke(args: ResourceValidationArgs): Record<string, unknown> | undefined {
  if (args.type !== LINK_TYPE) return undefined;
  const state = rawProperty(args.props, "state");
  const onRevoke = rawProperty(args.props, "onRevoke");
  if (state !== "revoked" || onRevoke === null || typeof onRevoke !== "object" || containsUnknown(onRevoke)) return undefined;
  const current = onRevoke as Record<string, unknown>;
  if (current["webhooks"] === "delete" && current["deployKeys"] === "delete") return undefined;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(args.props)) out[key] = rawProperty(args.props, key);
  out["onRevoke"] = { webhooks: "delete", deployKeys: "delete" };
  return out;
}

/** Stack facts of all resources, the URN of each fact's resource, and what could not be read. */
interface StackView {
  facts: StackFacts;
  urns: Map<string, string>;
  unreadable: string[];
}

/** Builds the stack view from the outputs the engine sends to `AnalyzeStack`. */
function stackView(resources: readonly PolicyResource[], config: StackPolicyConfig): StackView {
  const facts: StackFacts = {
    links: [],
    orgs: [],
    sweeps: [],
    builds: [],
    githubWebhooks: [],
    webhookUrlPatterns: [],
    allowedRepositories: config.allowedRepositories ?? [],
  };
  const urns = new Map<string, string>();
  const unreadable: string[] = [];
  const linkPatterns = new Set<string>();
  for (const resource of resources) {
    const hook = githubWebhookFromResource(resource);
    if (hook) {
      facts.githubWebhooks.push(hook);
      urns.set(hook.resourceName, resource.urn);
      continue;
    }
    const sweep = sweepFactsFromResource(resource);
    if (sweep) {
      facts.sweeps?.push(sweep);
      urns.set(sweep.name, resource.urn);
      continue;
    }
    const build = buildFactsFromResource(resource);
    if (build) {
      facts.builds?.push(build);
      continue;
    }
    const rf = factsFromResource(resource);
    if (rf === undefined) continue;
    switch (rf.kind) {
      case "link":
        facts.links.push(rf.facts);
        urns.set(rf.facts.name, resource.urn);
        for (const p of rf.webhookUrlPatterns) linkPatterns.add(p);
        break;
      case "org":
        facts.orgs.push(rf.facts);
        urns.set(rf.facts.name, resource.urn);
        break;
      case "unknown-inputs":
        unreadable.push(
          `"${rf.resource}" cannot be checked until apply: its properties ${rf.properties.join(", ")} are unknown during preview`,
        );
        break;
      case "invalid":
        unreadable.push(`"${rf.resource}" does not have the properties policies/resource-facts.ts expects: ${rf.problems.join("; ")}`);
        break;
    }
  }
  facts.webhookUrlPatterns = config.webhookUrlPatterns ?? [...linkPatterns];
  return { facts, urns, unreadable };
}

/** The per-resource part of a link or org rule over every link or org of the stack. */
function perResource(rule: LinkRule | OrgRule, facts: StackFacts, ctx: RuleContext): Finding[] {
  return rule.scope === "link" ? facts.links.flatMap((l) => rule.evaluate(l, ctx)) : facts.orgs.flatMap((o) => rule.evaluate(o, ctx));
}

/** The per-resource findings that observed state adds to what the config alone yields (the resource policy reports those). */
function observedDelta(rule: LinkRule | OrgRule, facts: StackFacts, ctx: RuleContext): Finding[] {
  const configOnlyFacts: StackFacts = {
    ...facts,
    links: facts.links.map((l) => ({ ...l, observed: undefined })),
    orgs: facts.orgs.map((o) => ({ ...o, observed: undefined })),
  };
  const configOnly = new Set(perResource(rule, configOnlyFacts, ctx).map((f) => f.message));
  return perResource(rule, facts, ctx).filter((f) => !configOnly.has(f.message));
}

/** A stack policy: a stack rule, or the observed and cross-resource parts of a link or org rule. */
function stackPolicy(rule: LinkRule | OrgRule | StackRule, defaults: StackPolicyConfig): StackValidationPolicy {
  return {
    name: rule.scope === "stack" ? rule.id : `${rule.id}-stack`,
    description:
      rule.scope === "stack"
        ? rule.description
        : `${rule.description} (Stack part: observed state from the outputs, and resources checked together.)`,
    enforcementLevel: rule.defaultEnforcement,
    configSchema: stackConfigSchema,
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      const view = stackView(args.resources, withDefaults(defaults, args.getConfig<StackPolicyConfig>()));
      const ctx = ruleContext(view.facts);
      const findings =
        rule.scope === "stack"
          ? findingsOf(rule, view.facts, ctx)
          : [...observedDelta(rule, view.facts, ctx), ...(rule.evaluateStack?.(view.facts, ctx) ?? [])];
      const unreadable = view.unreadable.map((message) => ({ resource: "", subject: "", message, fix: "", undecided: true as const }));
      report([...findings, ...unreadable], reportViolation, (f) => view.urns.get(f.resource), args.notApplicable);
    },
  };
}

/** The stack policy config: what the engine sends (`--policy-pack-config`), else the pack author's defaults. */
function withDefaults(defaults: StackPolicyConfig, given: StackPolicyConfig | undefined): StackPolicyConfig {
  return {
    ...defaults,
    ...(given?.webhookUrlPatterns !== undefined ? { webhookUrlPatterns: given.webhookUrlPatterns } : {}),
    ...(given?.allowedRepositories !== undefined ? { allowedRepositories: given.allowedRepositories } : {}),
  };
}

/**
 * All policies of the pack, in registry order: resource policies first, then stack policies.
 * `defaults`: per rule id, the settings its stack policy uses where the engine's config gives none.
 */
export function buildPolicies(defaults: Partial<Record<RuleId, StackPolicyConfig>> = {}): Policies {
  const resourcePolicies: Policies = [];
  const stackPolicies: Policies = [];
  for (const rule of ruleList) {
    if (rule.scope !== "stack") resourcePolicies.push(resourcePolicy(rule));
    stackPolicies.push(stackPolicy(rule, defaults[rule.id] ?? {}));
  }
  return [...resourcePolicies, ...stackPolicies];
}
