/**
 * The operation context of one CLI run. Every command builds it here, so all of them read the live
 * world the same way: grants are checked only where a step depends on them (a revocation, a move to
 * another account, or a live link whose grant an API can verify: a revoked one is a broken link to
 * relink), and GitHub ETags persist between runs so an unchanged repository answers 304 at no
 * primary-rate cost (docs/performance.md); beside them, each swept owner's last verified inventory,
 * so an Enterprise Cloud org is refreshed from its audit log (cli/refresh-options.ts), and each
 * replacement build's last verification, carried over while its default branch has not moved.
 */
import { join } from "node:path";
import type { SourcelinksConfig } from "../engine/model/spec.js";
import { missingCredentials } from "../engine/config/missing-credentials.js";
import { VerificationStore, verificationStorePath } from "../engine/clients/verification-store.js";
import { createOperationContext, type OperationContext } from "../engine/reconcile/operations.js";
import { DEFAULT_REFRESH } from "../engine/reconcile/refresh-owner.js";
import { CliError, ExitCode } from "./exit-codes.js";
import { refreshPolicy, type RefreshOptions } from "./refresh-options.js";

/**
 * Builds the context of a CLI run from the config and the environment. A malformed tuning variable,
 * or a credential variable the run needs that is unset, is invalid input (exit 2), before any request.
 */
export function cliOperationContext(config: SourcelinksConfig, env: NodeJS.ProcessEnv, refresh: RefreshOptions = {}): OperationContext {
  const missing = missingCredentials(config, env);
  if (missing.length > 0)
    throw new CliError(
      ExitCode.invalidInput,
      missing.map((m) => `sourcelinks: ${m.message}`),
    );
  const etagCacheFile = etagCachePath(env);
  const policy = refreshPolicy(refresh, etagCacheFile);
  // A malformed setting throws a SettingError, input by kind: exit 2.
  const ctx = createOperationContext(config, env, {
    grantChecks: "when-deciding",
    ...(etagCacheFile === undefined ? {} : { etagCacheFile }),
  });
  if (policy !== null && etagCacheFile !== undefined) {
    ctx.refresh = policy;
    ctx.verifications = {
      store: new VerificationStore(verificationStorePath(etagCacheFile)),
      verifyEveryMs: policy.overrides?.verifyEvery?.value ?? DEFAULT_REFRESH.verifyEveryMs,
      now: policy.now,
    };
  }
  return ctx;
}

/**
 * Where ETags persist: `SOURCELINKS_ETAG_CACHE` (a file, or `off`), else the user's cache folder
 * (`$XDG_CACHE_HOME` or `~/.cache`)/sourcelinks/etags.json; memory only when neither is known.
 */
export function etagCachePath(env: NodeJS.ProcessEnv): string | undefined {
  const explicit = env.SOURCELINKS_ETAG_CACHE;
  if (explicit === "off") return undefined;
  if (explicit) return explicit;
  const base = env.XDG_CACHE_HOME || (env.HOME ? join(env.HOME, ".cache") : undefined);
  return base === undefined ? undefined : join(base, "sourcelinks", "etags.json");
}
