/** The sandbox's public surface: start one, describe worlds, run the `sandbox` command. */
export { startSandbox, demoSeedPath, resolveSeed, type SandboxHandle, type SandboxOptions } from "./server.js";
export { runSandboxCommand, startLine, type SandboxCommandOptions } from "./command.js";
export { loadSeed, loadSeedFile, fakeSecret, SeedError, type SeedDocument, type SeedLink, type SeedGitHubHook } from "./seed.js";
export { generateScaleWorld, scaleSeed, SCALE_CLIENT_ID, SCALE_NAMESPACE, SCALE_ORG, type ScaleWorldOptions } from "./scale-world.js";
export { sandboxEnv, SANDBOX_ENV_KEYS, MOUNTS, type SandboxEnv, type SandboxEnvKey } from "./env.js";
export { GITHUB_LIMITS, type LimitsConfig } from "./limits.js";
export type { FaultSpec, FaultRuleView } from "./faults.js";
export type { CountersSnapshot, RejectionReason, ServiceName } from "./counters.js";
export type { ActRequest, ActResult } from "./admin/act.js";
export { emptyWorld, type World } from "./world.js";
