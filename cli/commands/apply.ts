/**
 * `sourcelinks apply FILE... | --plan PLAN [--yes] [--max-revoke-ratio R]`: observes, plans, guards, then executes
 * the run through the engine's `executeRun` (the operations the Pulumi provider uses). A failed step
 * stops its own resource; the others finish. Terraform-like confirmation: `--yes`, or a "yes" typed on
 * a terminal; without either on a pipe the run is refused.
 */
import { terminalText } from "../format/escape.js";
import { InvalidArgumentError, type Command } from "commander";
import type { PlanRun } from "../../engine/reconcile/run/entries.js";
import type { OperationContext } from "../../engine/reconcile/context.js";
import { type EntryOutcome, executeRun } from "../../engine/reconcile/run/execute-run.js";
import { inventoryScope } from "../../engine/reconcile/refresh-owner.js";
import { WROTE_TO_OWNER } from "../../engine/reconcile/reconcile-sweep.js";
import { CliError, ExitCode, type ExitCodeValue } from "../exit-codes.js";
import { entryKind } from "../format/entry-labels.js";
import { plural } from "../format/observed-summary.js";
import { summarize } from "../format/plan-summary.js";
import { formatPlanText } from "../format/plan-text.js";
import { describeStep, isApiStep } from "../format/steps.js";
import { cliOperationContext } from "../context.js";
import { addRefreshOptions, type RefreshOptions } from "../refresh-options.js";
import type { CliIo } from "../io.js";
import { loadConfig, locateNearest } from "../load-config.js";
import { clientAccountLookup, missingNames } from "../missing-names.js";
import { formatLocation } from "../location.js";
import { readInputFile } from "../input-file.js";
import { DEFAULT_MAX_REVOKE_RATIO, judgeRevocations } from "../revoke-guard.js";
import { buildPlanRun, errorText, reportStep } from "../run.js";
import { planToJson } from "../format/plan-json.js";
import type { LoadedConfig } from "../../engine/config/loaded-config.js";
import { isReplacementStep, replacementRefusals } from "../../engine/reconcile/replacements.js";
import { configDigest, parseSavedPlan, savedConfigFiles, stepsNotReviewed, type SavedPlan } from "../saved-plan.js";

/** Options of `apply`. */
export interface ApplyOptions extends RefreshOptions {
  yes?: boolean;
  maxRevokeRatio: number;
  /** A plan saved by `plan --out`: apply only what it shows. */
  plan?: string;
}

/** A ratio from 0 to 1 (`--max-revoke-ratio`). */
export function parseRatio(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1)
    throw new InvalidArgumentError("expected a number from 0 to 1, e.g. 0.5");
  return n;
}

/** Runs `apply`: 0 when everything was applied (or nothing to do), 1 when a step failed, 2 when refused. */
export async function runApply(files: string[], options: ApplyOptions, io: CliIo): Promise<ExitCodeValue> {
  const saved = options.plan === undefined ? null : await readSavedPlan(options.plan);
  if (saved === null && files.length === 0)
    throw new CliError(ExitCode.invalidInput, "sourcelinks apply: give configuration files, or --plan PLAN (from sourcelinks plan --out)");
  // The plan's files as it recorded them (absolute), so a run from another directory reads the same configuration.
  const loaded = await loadConfig(files.length > 0 ? files : saved === null ? [] : savedConfigFiles(saved));
  if (saved !== null) refuseChangedConfig(saved, configDigest(loaded.config), options.plan as string);
  const ctx = cliOperationContext(loaded.config, io.env, options);
  const run = await buildPlanRun(loaded, ctx, io);
  const missing = await missingNames(loaded, run, clientAccountLookup(ctx.clients.providers));
  if (missing.length > 0) throw new CliError(ExitCode.invalidInput, missing);
  if (saved !== null) refuseUnreviewed(saved, run, options.plan as string);
  const summary = summarize(run);
  if (!summary.hasChanges) {
    io.out(formatPlanText(run));
    return ExitCode.ok;
  }

  io.out(formatPlanText(run));
  const verdict = judgeRevocations(run, run.liveLinkIds, options.maxRevokeRatio, ctx);
  if (verdict.refusals.length > 0) {
    const lines = verdict.revocations.map((r) => {
      const i = loaded.config.links.findIndex((l) => l.name === r.link);
      const what =
        r.linkId === ""
          ? `would delete the build service's webhooks and deploy keys of its link in namespace ${r.namespace}`
          : `would unlink live link ${r.linkId} in namespace ${r.namespace}`;
      return `${formatLocation(locateNearest(loaded, `/links/${i}/state`))}: link ${r.link} ${what}`;
    });
    throw new CliError(ExitCode.invalidInput, [...lines, ...verdict.refusals.map((r) => `sourcelinks apply: ${r}`)]);
  }

  refuseUnsendableBuilds(loaded, run, ctx);

  if (!options.yes) {
    if (!io.interactive) {
      throw new CliError(
        ExitCode.invalidInput,
        `sourcelinks apply: refusing to send ${plural(summary.apiSteps, "request")} without confirmation: not a terminal; review the plan above and rerun with --yes`,
      );
    }
    const answer = await io.ask(`Send these ${plural(summary.apiSteps, "request")}? Only 'yes' will be accepted: `);
    if (answer.trim() !== "yes") {
      io.err("Apply cancelled; nothing was changed.");
      // Cancelled is not applied: a script waiting on apply must not read it as success.
      return ExitCode.operational;
    }
  }

  // SIGINT stops at the next step boundary: the requests in flight finish, so each step is done or not attempted.
  let interrupted = false;
  const release = io.onInterrupt?.(() => {
    interrupted = true;
    io.err("sourcelinks apply: interrupted: finishing the requests in flight, then stopping (Ctrl-C again stops at once)");
  });
  let outcomes: EntryOutcome[];
  let finished = 0;
  try {
    outcomes = await executeRun(ctx, run, {
      shouldStop: () => interrupted,
      onStep: (entry, step, outcome, error) =>
        reportStep(
          io,
          "apply",
          ++finished,
          summary.apiSteps,
          terminalText(
            `${entry.plan.name}: ${outcome === "done" ? "done" : "FAILED"} ${describeStep(step)}${error ? `: ${errorText(error)}` : ""}`,
          ),
        ),
    });
  } finally {
    release?.();
  }
  await forgetWrittenOwners(ctx, run, outcomes, io);
  io.out(formatOutcomes(outcomes));
  if (outcomes.some((o) => o.result.stopped === true && o.result.remaining.some(isApiStep))) return ExitCode.interrupted;
  return outcomes.some((o) => o.result.failed !== null) ? ExitCode.operational : ExitCode.ok;
}

/**
 * The whole plan's replacement-build steps judged before the first request: a secret whose env var is
 * unset (its value is read only now, never planned) or a request this run would not send refuses the
 * run with every such step located, and nothing is sent.
 */
function refuseUnsendableBuilds(loaded: LoadedConfig, run: PlanRun, ctx: OperationContext): void {
  const refused = (run.builds ?? []).flatMap((entry) =>
    replacementRefusals(ctx, entry.plan.steps.filter(isReplacementStep)).map(
      ({ error }) => `${formatLocation(locateNearest(loaded, entry.pointer))}: build ${entry.plan.name}: ${errorText(error)}`,
    ),
  );
  if (refused.length > 0) throw new CliError(ExitCode.invalidInput, [...refused, "sourcelinks apply: nothing was sent."]);
}

/**
 * After writes, each swept owner's next run reads in full: the audit log shows an event only after a
 * delay, and the proof run that usually follows an apply should not rest on it.
 */
async function forgetWrittenOwners(ctx: OperationContext, run: PlanRun, outcomes: readonly EntryOutcome[], io: CliIo): Promise<void> {
  const store = ctx.refresh?.store;
  if (!store || !outcomes.some((o) => o.result.done.length > 0)) return;
  for (const sweep of run.sweeps ?? []) store.invalidate(inventoryScope(ctx, sweep.spec.provider), sweep.spec.owner, WROTE_TO_OWNER);
  await store
    .save()
    .catch((error: unknown) => io.err(`sourcelinks: warning: the swept owners' inventories were not updated (${errorText(error)})`));
}

/** Reads a saved plan; an unreadable file is invalid input. */
async function readSavedPlan(file: string): Promise<SavedPlan> {
  return parseSavedPlan(readInputFile(file, "saved plan"), file);
}

/** A plan reviewed for another configuration says nothing about this one. */
function refuseChangedConfig(saved: SavedPlan, digest: string, file: string): void {
  if (saved.configDigest === digest) return;
  throw new CliError(ExitCode.invalidInput, [
    `sourcelinks apply: ${file} was planned from another configuration (${saved.configDigest}; now ${digest}); nothing was sent.`,
    "Run sourcelinks plan --out again on this configuration and review it.",
  ]);
}

/** Refuses when the world grew steps the review did not show; fewer steps (some already done) may run. */
function refuseUnreviewed(saved: SavedPlan, run: PlanRun, file: string): void {
  const extra = stepsNotReviewed(saved.plan, planToJson(run));
  if (extra.length === 0) return;
  throw new CliError(ExitCode.invalidInput, [
    `sourcelinks apply: the live world changed since ${file} was reviewed; nothing was sent. Steps apply would now send that the review did not show:`,
    ...extra.map((line) => `  ${line}`),
    "Run sourcelinks plan --out again and review the new plan.",
  ]);
}

/** The apply report: per resource what was done, what failed and what remains, then the totals. */
function formatOutcomes(outcomes: readonly EntryOutcome[]): string {
  const lines: string[] = ["", "Apply:"];
  let done = 0;
  let failed = 0;
  let remaining = 0;
  let stopped = false;
  for (const { entry, result } of outcomes) {
    const kind = entryKind(entry);
    const notDone = result.remaining.filter(isApiStep);
    stopped ||= result.stopped === true && notDone.length > 0;
    lines.push(`${kind} ${entry.plan.name}: ${result.failed ? "FAILED" : result.stopped && notDone.length > 0 ? "interrupted" : "done"}`);
    for (const step of result.done) lines.push(`  done    ${describeStep(step)}`);
    if (result.failed) lines.push(`  failed  ${describeStep(result.failed.step)}: ${errorText(result.failed.error)}`);
    for (const step of notDone) lines.push(`  remains ${describeStep(step)}`);
    done += result.done.length;
    failed += result.failed ? 1 : 0;
    remaining += notDone.length;
  }
  lines.push(
    "",
    stopped
      ? `Apply interrupted: ${plural(done, "request")} sent, ${plural(failed, "step")} failed, ${plural(remaining, "step")} not attempted; rerun apply to converge.`
      : failed === 0
        ? `Apply complete: ${plural(done, "request")} sent.`
        : `Apply incomplete: ${plural(done, "request")} sent, ${plural(failed, "step")} failed, ${plural(remaining, "step")} not attempted; rerun apply to converge.`,
  );
  return `${lines.map(terminalText).join("\n")}\n`;
}

/** Adds `apply` to the program. */
export function registerApply(program: Command, io: CliIo, finish: (code: ExitCodeValue) => void): void {
  addRefreshOptions(program.command("apply"))
    .description("converge the live world to the configuration, through the same operations as the Pulumi provider")
    .argument("[file...]", "sourcelinks/v1 YAML files (default with --plan: the files the plan was made from)")
    .option(
      "--plan <plan>",
      "apply only what this saved plan (sourcelinks plan --out) shows; refuse if the world or the configuration changed",
    )
    .option("--yes", "apply without asking (required when stdin is not a terminal)")
    .option("--max-revoke-ratio <ratio>", "largest share of live links one run may revoke (0 to 1)", parseRatio, DEFAULT_MAX_REVOKE_RATIO)
    .addHelpText(
      "after",
      `
With --plan, apply re-observes and re-plans, and refuses (exit 2, nothing sent, each difference
named) when the configuration changed or the fresh plan has a step the saved plan does not; a step
already done meanwhile is simply not sent. The plan is printed first. Without --yes, apply asks for "yes" on a terminal and refuses on a pipe.
Safety: a run that would revoke more than 25% of the live links of the declared namespaces (unless
--max-revoke-ratio allows it), or delete a webhook or deploy key this run did not discover, is
refused with exit 2 and nothing is sent. Each resource stops at its first failed step; the others go
on. Progress goes to stderr: every step on a terminal, a done/total line every few seconds on a pipe.
A cancelled confirmation exits 1. A second apply finds nothing to do.

Exit codes: 0 applied (or nothing to do), 1 a step or an API call failed or the prompt was cancelled,
2 invalid input or refused run (including a saved plan the world or the configuration outgrew).

Examples:
  $ sourcelinks apply sourcelinks.yaml
  $ sourcelinks apply sourcelinks.yaml --yes
  $ sourcelinks apply --plan sourcelinks.plan.json --yes
  $ sourcelinks apply retire-all.yaml --yes --max-revoke-ratio 1`,
    )
    .action(async (files: string[], options: ApplyOptions) => finish(await runApply(files, options, io)));
}
