/** A declared build as the matcher's rule table: Docker's fields read once, paths resolved from the repository root. */
import type { BuildSpec } from "../model/build-spec.js";
import type { RuleTable } from "./matcher.js";
import { isRegexSource, rulePaths, tagTemplates } from "./rule.js";

/** The rule table of a build that passed validation. */
export function ruleTable(build: BuildSpec): RuleTable {
  return {
    autotest: build.autotest,
    rules: build.rules.map((rule, i) => {
      const regex = isRegexSource(rule.source);
      return {
        rule: i + 1,
        sourceType: rule.sourceType,
        source: regex ? rule.source.slice(1, -1) : rule.source,
        regex,
        tags: tagTemplates(rule.tag),
        push: rule.autobuild,
        ...rulePaths(rule),
      };
    }),
  };
}
