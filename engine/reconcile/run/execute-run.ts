/**
 * Executing the plan of a whole config: replacement builds first (a revocation that waits for them was
 * kept out of the plan, and one that does not must not run before them), then links (concurrently,
 * bounded), then org access, which may
 * act through a link this run created, then sweeps, so a revoked link's own cleanup runs first and a
 * sweep deletes only what is left beyond it. A failed step stops its own resource; the others finish.
 */
import type { PlanStep } from "../steps/plan-step.js";
import { setOrgAccessRequest } from "../steps/set-org-access.js";
import type { OperationContext } from "../context.js";
import { type ExecutionResult, executePlan } from "../execute.js";
import { settleAll } from "../map-limit.js";
import { isApiStep } from "../steps/registry.js";
import { RESOURCE_CONCURRENCY } from "./concurrency.js";
import type { PlannedEntry, PlanRun } from "./entries.js";

/** What happened to one resource. */
export interface EntryOutcome {
  entry: PlannedEntry;
  result: ExecutionResult;
}

/** Progress callbacks of a run's execution, and when to stop. */
export interface RunExecutionHooks {
  /** Asked before each step of every resource: true stops each resource there (an interrupted `apply`). */
  shouldStop?(): boolean;
  /** Called as each step that sends a request is done or failed (manual steps are not reported). */
  onStep?(entry: PlannedEntry, step: PlanStep, outcome: "done" | "failed", error?: Error): void;
}

/** Executes every entry of `run` with a step to send, in the run's order; the outcomes are in that order too. */
export async function executeRun(ctx: OperationContext, run: PlanRun, hooks: RunExecutionHooks = {}): Promise<EntryOutcome[]> {
  const withChanges = (entries: readonly PlannedEntry[]): PlannedEntry[] => entries.filter((e) => e.plan.steps.some(isApiStep));
  const one = async (entry: PlannedEntry): Promise<EntryOutcome> => {
    const result = await executePlan(ctx, entry.plan, {
      shouldStop: () => hooks.shouldStop?.() === true,
      onStep: (step, outcome, error) => {
        if (outcome !== "skipped") hooks.onStep?.(entry, step, outcome, error);
      },
    });
    return { entry, result };
  };
  const outcomes: EntryOutcome[] = [];
  const groups = [withChanges(run.builds ?? []), withChanges(run.links), withChanges(run.orgs), withChanges(run.sweeps ?? [])];
  for (const [g, planned] of groups.entries()) {
    // Org access planned through a link this run creates: that link's id is known only now.
    const group = g <= 1 ? planned : planned.map((e) => throughCreatedLinks(ctx, run, outcomes, e));
    const settled = await settleAll(group, RESOURCE_CONCURRENCY, one);
    settled.forEach((s, i) => {
      // executePlan reports a step's failure in its result; a rejection here is a bug or a lost client, kept as a failure of that resource.
      if (s.status === "fulfilled") outcomes.push(s.value);
      else {
        const entry = group[i] as PlannedEntry;
        const first = entry.plan.steps.find(isApiStep) as PlanStep;
        const error = s.reason instanceof Error ? s.reason : new Error(String(s.reason));
        outcomes.push({
          entry,
          result: {
            done: [],
            skipped: [],
            failed: { step: first, error },
            remaining: entry.plan.steps.filter((st) => st !== first && isApiStep(st)),
          },
        });
      }
    });
  }
  return outcomes;
}

/**
 * `entry` with each `set-org-access` step that acts through a link created by this run (`throughLink`)
 * pointed at the id that link's execution created or adopted, and its request described again so the
 * executor's check still ties what runs to what was planned. Unresolved when no link was created (its
 * creation failed or was not attempted): the executor then refuses the step, and a re-run converges.
 */
function throughCreatedLinks(ctx: OperationContext, run: PlanRun, done: readonly EntryOutcome[], entry: PlannedEntry): PlannedEntry {
  const api = ctx.apis.buildService;
  if (
    ctx.clients.buildService === null ||
    api === null ||
    !entry.plan.steps.some((s) => s.kind === "set-org-access" && s.throughLink !== undefined)
  )
    return entry;
  const steps = entry.plan.steps.map((step): PlanStep => {
    if (step.kind !== "set-org-access" || step.linkId !== "") return step;
    const spec = run.links.find((l) => l.spec.name === step.throughLink)?.spec;
    if (spec === undefined) return step;
    const created = done.find((o) => o.entry.resource === "link" && o.entry.spec.name === spec.name)?.result.createdLinkId;
    if (created === undefined) {
      const { linkId: _unresolved, ...rest } = step;
      return rest;
    }
    return { ...step, linkId: created, request: setOrgAccessRequest(api, spec.namespace, created, step.org) };
  });
  return { ...entry, plan: { ...entry.plan, steps } };
}
