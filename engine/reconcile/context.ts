/**
 * The context every operation runs in: the clients of one world, the settings the planners use (the
 * non-secret build-service settings, where requests go), and the app owner's client secret when
 * revoking grants by API is possible.
 */
import type { SourcelinksConfig } from "../model/spec.js";
import { resolveClientSettings, resolveGitHubClientSecret } from "../config/runtime.js";
import { createClients } from "../clients/index.js";
import type { ClientSettings } from "../model/client-settings.js";
import type { Clients } from "../clients/types.js";
import type { Secret } from "../model/secret.js";
import { planSettingsOf, type PlanSettings } from "./plan-settings.js";
import { SeenInRun } from "./seen-in-run.js";
import type { RunRefresh } from "./sweep-cadence.js";
import type { VerificationMemory } from "./carried-verifications.js";

/**
 * What every operation needs: the clients of one world plus the planners' settings (`PlanSettings`,
 * resolved from the same client settings, so what a run plans is what its clients send).
 */
export interface OperationContext extends PlanSettings {
  clients: Clients;
  /** The app owner's GitHub client secret; enables checking and revoking grants by API. */
  githubClientSecret: Secret | null;
  /** The build service's webhooks and deploy keys observed through this context: the only ones it may delete. */
  seen: SeenInRun;
  /** How many repositories one observation reads at once (the clients pace the requests themselves). */
  concurrency?: number;
  /**
   * `all` (default): observe every link's provider grant. `when-deciding`: only where a step depends on
   * it (revoked links, accounts being replaced); kept links then report `unverifiable`.
   */
  grantChecks?: "all" | "when-deciding";
  /**
   * Reads the value of a CI secret from the env var that holds it, only when a step sends it (never
   * at plan time); absent: no secret can be set.
   */
  secretValue?: (envVar: string) => string | undefined;
  /**
   * How sweeps may reuse what an earlier run verified (the audit log, rolling slices); absent: every
   * sweep reads its owner in full and stores nothing. Each sweep's cadence is its own (sweep-cadence.ts).
   */
  refresh?: RunRefresh;
  /**
   * Where replacement builds' verifications are kept between runs, to be carried over while the
   * default branch's head has not moved; absent: every build is observed and verified in full.
   */
  verifications?: VerificationMemory;
}

/** Credentials and tuning that take precedence over the environment (the provider passes stack-config secrets). */
export interface OperationOverrides {
  githubToken?: Secret;
  buildToken?: Secret;
  bitbucketToken?: Secret;
  githubClientSecret?: Secret;
  etagCacheFile?: string;
  concurrency?: number;
  grantChecks?: "all" | "when-deciding";
  /** GitHub pacing, e.g. for a server that enforces github.com's limits on a compressed clock. */
  githubPacing?: NonNullable<ClientSettings["options"]>["githubPacing"];
  /** Bitbucket's webhook-data pacing, e.g. against a sandbox on a compressed clock. */
  bitbucketPacing?: NonNullable<ClientSettings["options"]>["bitbucketPacing"];
}

/**
 * Builds the context for `config`: credentials come from `overrides` first, else from the env vars the
 * config names; API URLs and the HTTP timeout from the environment (resolved by config/runtime.ts).
 * Throws `SettingError` when such a variable is malformed.
 */
export function createOperationContext(
  config: SourcelinksConfig,
  env: NodeJS.ProcessEnv,
  overrides: OperationOverrides = {},
): OperationContext {
  const settings = applyOverrides(resolveClientSettings(config, env), overrides);
  const githubClientSecret = overrides.githubClientSecret ?? resolveGitHubClientSecret(config, env);
  const ctx: OperationContext = {
    ...planSettingsOf(config.buildService, settings, githubClientSecret !== null),
    clients: createClients(settings),
    githubClientSecret,
    seen: new SeenInRun(),
    secretValue: (envVar) => env[envVar],
  };
  if (overrides.concurrency !== undefined) ctx.concurrency = overrides.concurrency;
  if (overrides.grantChecks !== undefined) ctx.grantChecks = overrides.grantChecks;
  return ctx;
}

/** `settings` with the override credentials and tuning applied. */
function applyOverrides(settings: ClientSettings, overrides: OperationOverrides): ClientSettings {
  const out: ClientSettings = {
    ...settings,
    buildService: { ...settings.buildService, token: overrides.buildToken ?? settings.buildService.token },
    github: settings.github && { ...settings.github, token: overrides.githubToken ?? settings.github.token },
    bitbucket: settings.bitbucket && { ...settings.bitbucket, token: overrides.bitbucketToken ?? settings.bitbucket.token },
  };
  const tuned = [overrides.concurrency, overrides.etagCacheFile, overrides.githubPacing, overrides.bitbucketPacing].some(
    (o) => o !== undefined,
  );
  if (tuned) {
    out.options = { ...settings.options };
    if (overrides.concurrency !== undefined) out.options.concurrency = overrides.concurrency;
    if (overrides.etagCacheFile !== undefined) out.options.etagCacheFile = overrides.etagCacheFile;
    if (overrides.githubPacing !== undefined) out.options.githubPacing = overrides.githubPacing;
    if (overrides.bitbucketPacing !== undefined) out.options.bitbucketPacing = overrides.bitbucketPacing;
  }
  return out;
}
