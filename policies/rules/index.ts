/** The pure policy rules of sourcelinks, shared by the `@pulumi/policy` pack and `sourcelinks check`. */
export * from "./types.js";
export * from "./evaluate.js";
export * from "./from-config.js";
export { rules, ruleList } from "./registry.js";
export { DEFAULT_WEBHOOK_URL_PATTERNS, matchesAny } from "./glob.js";
