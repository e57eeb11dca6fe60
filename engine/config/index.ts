/** The configuration layer: load `sourcelinks/v1` YAML into a typed config, and resolve it against an environment. */
export type * from "./loaded-config.js";
export { ConfigError, formatDiagnostic, omittedLine, type Diagnostic } from "./diagnostics.js";
export { API_VERSION, loadBuildFiles, loadBuildTexts, loadConfigFiles, loadConfigTexts, type ConfigText } from "./load.js";
export { API_URL_OVERRIDES, HTTP_TIMEOUT_ENV, resolveClientSettings, resolveGitHubClientSecret, SettingError } from "./runtime.js";
export { DOCKER_HUB_DEPLOY_KEY_TITLE_PATTERNS, DOCKER_HUB_WEBHOOK_URL_PATTERNS } from "./defaults.js";
export { configSchema } from "./schema-validator.js";
export { checkLinkInput, checkOrgAccessInput, checkSweepInput, type EntryCheck, type EntryFailure } from "./check-entry.js";
export { deployKeyTitlePatternProblem, webhookUrlPatternProblem } from "./pattern-safety.js";
export { MAX_FILE_BYTES, MAX_REPORTED_PROBLEMS } from "./input-limits.js";
