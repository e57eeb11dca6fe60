/**
 * The CLI's side of observing and planning a whole config (the engine's engine/reconcile/run/): progress
 * on the CLI's streams, failures as located lines and exit codes, and what only `check --live` and
 * `report` observe (orgs no `orgAccess` entry declares).
 */
import { errorKind } from "../engine/model/errors.js";
import type { OrgAccessSpec } from "../engine/model/spec.js";
import type { LoadedConfig } from "../engine/config/loaded-config.js";
import type { ObservedOrgAccess } from "../engine/model/observed.js";
import type { OperationContext } from "../engine/reconcile/operations.js";
import type { Observation, PlanRun } from "../engine/reconcile/run/entries.js";
import { observeRun } from "../engine/reconcile/run/observe-run.js";
import { planRun } from "../engine/reconcile/run/plan-run.js";
import { observeUndeclaredOrgs as observeUndeclared } from "../engine/reconcile/run/undeclared-orgs.js";
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
  const input = observed.failures.some((f) => errorKind(f.error) === "input");
  throw new CliError(input ? ExitCode.invalidInput : ExitCode.operational, failures);
}

/**
 * Observes the access of every undeclared org (engine/reconcile/run/undeclared-orgs.ts) for `check --live`
 * and `report`; a failed observation fails the run (exit 1), as a declared one does.
 */
export async function observeUndeclaredOrgs(
  loaded: LoadedConfig,
  ctx: OperationContext,
  io: CliIo,
): Promise<Map<string, ObservedOrgAccess>> {
  const { observed, failures } = await observeUndeclared(loaded.config, ctx, (org) => io.progress(`observing undeclared org ${org}`));
  if (failures.length > 0)
    throw new CliError(
      ExitCode.operational,
      failures.map((f) => `sourcelinks: org ${f.org} (a live link's repositories, not declared in orgAccess): ${errorText(f.error)}`),
    );
  return observed;
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
