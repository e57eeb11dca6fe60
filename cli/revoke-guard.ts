/**
 * The mass-revocation guard of `apply` (docs/cli.md): a typo must not mass-revoke. A run is refused
 * when it would unlink more than `maxRatio` of the live links, or send a step its kind refuses (a
 * webhook or deploy key this run's own observation did not find). Pure: the caller supplies the live link ids.
 */
import { SeenInRun } from "../engine/reconcile/seen-in-run.js";
import { isApiStep, stepRefusal } from "../engine/reconcile/steps/registry.js";
import type { StepChecks } from "../engine/reconcile/steps/step-kind.js";
import type { PlanRun } from "../engine/reconcile/run/entries.js";

/** The default share of live links one `apply` may revoke. */
export const DEFAULT_MAX_REVOKE_RATIO = 0.25;

/** A live link this run would unlink because its declaration says `revoked`. */
export interface Revocation {
  link: string;
  namespace: string;
  /** Empty for a build service without a link API (`docker-hub`), where the link is known only by its declaration. */
  linkId: string;
}

/** The guard's verdict. */
export interface GuardVerdict {
  revocations: Revocation[];
  liveLinks: number;
  ratio: number;
  /** Why the run is refused, one line each; empty when it may proceed. */
  refusals: string[];
}

/**
 * Judges a plan. `liveLinkIds` are the build service's `enabled`/`disabled` records in the namespaces
 * the config touches. Retiring a superseded record while the same team link is (re)linked is a
 * replacement, not a revocation: only unlinks of links declared `revoked` count. Where the build service
 * has no link API (`docker-hub`, observed state `unknown`), every declared link counts as live and a
 * revoked one counts as revoked when the run deletes its webhooks or deploy keys or revokes its grant.
 * `patterns`: the build service's webhook and deploy key patterns of the run, as its context compiled them.
 */
export function judgeRevocations(
  run: PlanRun,
  liveLinkIds: ReadonlySet<string>,
  maxRatio: number,
  patterns: Pick<StepChecks, "webhooks" | "deployKeys">,
): GuardVerdict {
  const revocations: Revocation[] = [];
  const seen = new Set<string>();
  let unknownLinks = 0;
  for (const entry of run.links) {
    if (entry.observed.state === "unknown") {
      unknownLinks++;
      // A deletion another revoked link's plan sends for this one still revokes this one.
      if (entry.spec.state === "revoked" && (entry.plan.steps.some((s) => s.kind !== "manual") || (entry.plan.sentBy?.length ?? 0) > 0)) {
        revocations.push({ link: entry.spec.name, namespace: entry.spec.namespace, linkId: "" });
      }
      continue;
    }
    if (entry.spec.state !== "revoked") continue;
    for (const step of entry.plan.steps) {
      if (step.kind !== "unlink" || !liveLinkIds.has(step.linkId) || seen.has(step.linkId)) continue;
      seen.add(step.linkId);
      revocations.push({ link: entry.spec.name, namespace: step.namespace, linkId: step.linkId });
    }
  }
  const liveLinks = liveLinkIds.size + unknownLinks;
  const ratio = liveLinks === 0 ? 0 : revocations.length / liveLinks;
  const refusals: string[] = [];
  if (ratio > maxRatio) {
    refusals.push(
      `refusing to revoke ${revocations.length} of ${liveLinks} live links (${percent(ratio)} > ${percent(maxRatio)}): ` +
        `${revocations.map((r) => `${r.link} (${r.linkId === "" ? r.namespace : `${r.namespace}/${r.linkId}`})`).join(", ")}; ` +
        `if this is intended, rerun with --max-revoke-ratio ${Math.min(1, Math.ceil(ratio * 100) / 100)}`,
    );
  }
  refusals.push(...refusedSteps(run, patterns));
  return { revocations, liveLinks, ratio, refusals };
}

/**
 * Steps this run may not send (a webhook or deploy key no observation of this run found, or not the
 * build service's), judged by the same rule the executor applies to each step (its kind's `refusal`),
 * but for the whole plan before anything is sent.
 */
function refusedSteps(run: PlanRun, patterns: Pick<StepChecks, "webhooks" | "deployKeys">): string[] {
  const checks: StepChecks = { ...patterns, seen: new SeenInRun() };
  for (const entry of run.links) for (const repo of entry.observed.repositories) checks.seen.record(entry.spec.provider, repo);
  for (const entry of run.sweeps ?? []) checks.seen.recordSweep(entry.observed);
  const out: string[] = [];
  for (const entry of [...run.links, ...run.orgs, ...(run.sweeps ?? [])]) {
    for (const step of entry.plan.steps) {
      const refused = isApiStep(step) ? stepRefusal(step, checks) : null;
      if (refused !== null) out.push(refused.message);
    }
  }
  return out;
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10}%`;
}
