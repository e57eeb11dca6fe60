/**
 * The CLI's side of observing and planning a whole config (the engine's engine/reconcile/run/): progress
 * on the CLI's streams, failures as located lines and exit codes, and what only `check --live` and
 * `report` observe (orgs no `orgAccess` entry declares).
 */
import { GitHubAppSetupError } from "../engine/clients/github/app-errors.js";
import type { OrgAccessSpec } from "../engine/model/spec.js";
import type { LoadedConfig } from "../engine/config/loaded-config.js";
import type { ObservedOrgAccess } from "../engine/model/observed.js";
import { observeOrgAccess, type OperationContext } from "../engine/reconcile/operations.js";
import { RESOURCE_CONCURRENCY } from "../engine/reconcile/run/concurrency.js";
import type { Observation, PlanRun } from "../engine/reconcile/run/entries.js";
import { observeRun } from "../engine/reconcile/run/observe-run.js";
import { planRun } from "../engine/reconcile/run/plan-run.js";
import { settleAll } from "../engine/reconcile/map-limit.js";
import { CliError, ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { formatLocation } from "./location.js";
import { unsetClientSecret } from "./missing-client-secret.js";
import { locateNearest } from "./load-config.js";

/** The resource name an org access entry is shown under (its org, as the policy rules name it). */
export function orgEntryName(spec: OrgAccessSpec): string {
  return spec.org;
}

/**
 * Observes every declared link, org and sweep (engine/reconcile/run/observe-run.ts). All observations
 * run to the end even when some fail; then any failure becomes one `CliError` (exit 1) with a located
 * line per failed resource.
 */
export async function observeAll(loaded: LoadedConfig, ctx: OperationContext, io: CliIo): Promise<Observation> {
  const observed = await observeRun(loaded, ctx, {
    onObserved: (done, total, what) => reportStep(io, "observe", done, total, what),
  });
  // A cache that cannot be kept only costs the next run some requests: a warning, not a failure.
  for (const warning of observed.warnings) io.err(warning);
  if (observed.ok) return observed.observation;
  const failures = observed.failures.map(
    (f) => `${formatLocation(locateNearest(loaded, f.pointer))}: ${f.resource}: ${errorText(f.error)}`,
  );
  // The user's own files at fault (a GitHub App key file that is a pipe, say) is invalid input, not an outage.
  const input = observed.failures.some((f) => f.error instanceof GitHubAppSetupError && f.error.kind === "input");
  throw new CliError(input ? ExitCode.invalidInput : ExitCode.operational, failures);
}

/**
 * The GitHub orgs that own a repository of a declared linked or disabled link but that no `orgAccess`
 * entry declares (lower-case logins, sorted): an org owner may have denied the app there, which
 * breaks the link's builds whether or not the config mentions the org.
 */
export function undeclaredOrgs(config: LoadedConfig["config"]): string[] {
  const declared = new Set(config.orgAccess.map((o) => o.org.toLowerCase()));
  const owners = config.links
    .filter((l) => l.provider === "github" && l.state !== "revoked")
    .flatMap((l) => l.repositories.map((r) => r.split("/")[0]!.toLowerCase()));
  return [...new Set(owners)].filter((o) => !declared.has(o)).sort();
}

/**
 * Observes the access of every undeclared org (see `undeclaredOrgs`) for `check --live`; a failed
 * observation fails the run (exit 1), as a declared one does.
 */
export async function observeUndeclaredOrgs(
  loaded: LoadedConfig,
  ctx: OperationContext,
  io: CliIo,
): Promise<Map<string, ObservedOrgAccess>> {
  const out = new Map<string, ObservedOrgAccess>();
  const orgs = undeclaredOrgs(loaded.config);
  const results = await settleAll(orgs, RESOURCE_CONCURRENCY, async (org) => {
    io.progress(`observing undeclared org ${org}`);
    return observeOrgAccess(ctx, { org, provider: "github", app: "github", access: "granted" }, loaded.config.links);
  });
  const failures: string[] = [];
  results.forEach((result, i) => {
    if (result.status === "fulfilled") out.set(orgs[i]!, result.value);
    else failures.push(`sourcelinks: org ${orgs[i]} (a live link's repositories, not declared in orgAccess): ${errorText(result.reason)}`);
  });
  if (failures.length > 0) throw new CliError(ExitCode.operational, failures);
  return out;
}

/**
 * Observes and plans a whole config. A named client secret the environment lacks, where a grant
 * revocation needs it, is invalid input (exit 2): the run stops before anything is sent.
 */
export async function buildPlanRun(loaded: LoadedConfig, ctx: OperationContext, io: CliIo): Promise<PlanRun> {
  const run = planRun(loaded, ctx, await observeAll(loaded, ctx, io));
  const unset = unsetClientSecret(
    loaded.config,
    io.env,
    run.links.map((l) => ({ name: l.spec.name, plan: l.plan })),
    ctx.apis.buildService !== null,
  );
  if (unset.length > 0) throw new CliError(ExitCode.invalidInput, unset);
  return run;
}

/** Reports one finished item of a phase through `io.step`, or as a progress line where there is none. */
export function reportStep(io: CliIo, phase: string, done: number, total: number, detail: string): void {
  if (io.step) io.step(phase, done, total, detail);
  else io.progress(`${phase} ${done}/${total}: ${detail}`);
}

/** An error's message, never its stack (messages of HttpError are already redacted). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
