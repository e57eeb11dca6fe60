/** Runs the registry over a stack's facts and applies enforcement: the entry point of `sourcelinks check`. */
import { DEFAULT_WEBHOOK_URL_PATTERNS } from "./glob.js";
import { ruleList } from "./registry.js";
import type { Enforcement, Finding, Rule, RuleContext, RuleId, StackFacts, Violation } from "./types.js";

/** Overrides of what `facts` and the rules' defaults say. */
export interface EvaluateOptions {
  /** Per-rule enforcement; `disabled` skips the rule. */
  enforcement?: Partial<Record<RuleId, Enforcement>>;
  /** Replaces `facts.webhookUrlPatterns` when given. */
  webhookUrlPatterns?: string[];
  /** Replaces `facts.allowedRepositories` when given. */
  allowedRepositories?: string[];
}

/** The context rules read; falls back to the docker-hub patterns when none are configured. */
export function ruleContext(
  facts: Pick<StackFacts, "webhookUrlPatterns" | "allowedRepositories" | "capabilities">,
  options: EvaluateOptions = {},
): RuleContext {
  const patterns = options.webhookUrlPatterns ?? facts.webhookUrlPatterns;
  return {
    webhookUrlPatterns: patterns.length > 0 ? patterns : [...DEFAULT_WEBHOOK_URL_PATTERNS],
    allowedRepositories: options.allowedRepositories ?? facts.allowedRepositories,
    ...(facts.capabilities === undefined ? {} : { capabilities: facts.capabilities }),
  };
}

/** Every finding of one rule over the whole stack: per link or org, then its cross-resource part. */
export function findingsOf(rule: Rule, facts: StackFacts, ctx: RuleContext): Finding[] {
  const findings: Finding[] = [];
  switch (rule.scope) {
    case "link":
      for (const link of facts.links) findings.push(...rule.evaluate(link, ctx));
      break;
    case "org":
      for (const org of facts.orgs) findings.push(...rule.evaluate(org, ctx));
      break;
    case "stack":
      findings.push(...rule.evaluate(facts, ctx));
      break;
  }
  if (rule.evaluateStack) findings.push(...rule.evaluateStack(facts, ctx));
  return findings;
}

/** Findings as violations at `level`; an undecided finding is always advisory. */
export function toViolations(ruleId: RuleId, level: Exclude<Enforcement, "disabled">, findings: readonly Finding[]): Violation[] {
  return findings.map(({ undecided, pointer, ...rest }) => ({
    ruleId,
    enforcement: undecided ? "advisory" : level,
    ...rest,
    ...(pointer === undefined ? {} : { pointer }),
  }));
}

/**
 * Evaluates every enabled rule of the registry over `facts`.
 *
 * ```ts
 * const violations = evaluateAll(factsFromConfig(config, observed), { enforcement: { "webhook-hygiene": "disabled" } });
 * const failed = violations.some((v) => v.enforcement === "mandatory"); // exit code 3
 * ```
 */
export function evaluateAll(facts: StackFacts, options: EvaluateOptions = {}): Violation[] {
  const ctx = ruleContext(facts, options);
  const violations: Violation[] = [];
  for (const rule of ruleList) {
    const level = options.enforcement?.[rule.id] ?? rule.defaultEnforcement;
    if (level === "disabled") continue;
    violations.push(...toViolations(rule.id, level, findingsOf(rule, facts, ctx)));
  }
  return violations;
}
