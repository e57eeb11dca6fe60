/** Builds: Docker's autobuild rules as pure functions, and the CI files that keep them going once a link is revoked. */
export { buildTags, type BuildTags } from "./tags.js";
export { matchAutobuildRules, type BuildMatch, type RefEvent, type RuleRow, type RuleTable } from "./matcher.js";
export { renderBuildFiles, type RenderedFile } from "./render.js";
export { ruleProblems, rulePaths, parseSource, type RuleProblem } from "./rule.js";
export { ruleTable } from "./table.js";
export { routerScript, bitbucketGate } from "./router.js";
