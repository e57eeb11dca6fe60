/**
 * Planning every observed resource of a config (pure: no request is sent). Each entry's manual steps are
 * one ledger: the plan's own, plus every step its observation holds open (so plan, check and report
 * count the same steps), split by what the YAML records and what the run observed.
 */
import type { LoadedConfig } from "../../config/loaded-config.js";
import type { DoneByHand, ManualStep, RecordedButObservedOtherwise } from "../../model/manual-step.js";
import type { ObservedLink } from "../../model/observed.js";
import type { ResourcePlan } from "../steps/plan-step.js";
import type { RecordedManualStep } from "../../model/spec.js";
import type { OperationContext } from "../context.js";
import { planLink } from "../plan-link.js";
import { planOrgAccess } from "../plan-org-access.js";
import { planSweep } from "../plan-sweep.js";
import {
  linkStepCheck,
  orgStepCheck,
  recordedAgainstObservation,
  splitRecorded,
  sweepStepCheck,
  type StepCheck,
} from "../recorded-steps.js";
import { withSharedStepsOnce } from "../shared-steps.js";
import type { HeldLinkEntry, Observation, PlanRun, PlannedBuildEntry, PlannedLinkEntry } from "./entries.js";
import { planReplacement } from "../plan-replacement.js";
import { heldRevocations } from "../verify-replacements.js";
import { isApiStep } from "../steps/registry.js";

/** The plan of every entry of `observation`. */
export function planRun(loaded: LoadedConfig, ctx: OperationContext, observation: Observation): PlanRun {
  const links = loaded.config.links;
  // A grant, webhook or deploy key two revoked links share is one request, in the first link's plan.
  const sharedOnce = withSharedStepsOnce(observation.links.map((entry) => planLink(entry.spec, entry.observed, ctx)));
  const planned = observation.links.map((entry, i) => ({
    ...entry,
    ...recordedOut(withObservedSteps(sharedOnce[i]!, entry.observed), entry.spec.manualSteps, linkStepCheck(entry.observed)),
  }));
  const { links: linkEntries, held } = holdRevocations(loaded, observation, planned);
  const linkPlans = linkEntries.map((e) => e.plan);
  return {
    files: loaded.files,
    links: linkEntries,
    orgs: observation.orgs.map((entry) => ({
      ...entry,
      ...recordedOut(
        withObservedSteps(planOrgAccess(entry.spec, entry.observed, ctx, links, linkPlans), entry.observed),
        entry.spec.manualSteps,
        orgStepCheck(entry.spec, entry.observed),
      ),
    })),
    sweeps: observation.sweeps.map((entry) => ({
      ...entry,
      ...recordedOut(planSweep(entry.spec, entry.observed, ctx), entry.spec.manualSteps, sweepStepCheck(entry.observed)),
    })),
    liveLinkIds: observation.liveLinkIds,
    ...(observation.builds === undefined ? {} : { builds: observation.builds.map((entry) => planBuild(entry, ctx)) }),
    ...(held.length === 0 ? {} : { held }),
  };
}

/** A replacement build's entry with its steps, named by the images its file builds. */
function planBuild(entry: NonNullable<Observation["builds"]>[number], ctx: OperationContext): PlannedBuildEntry {
  const api = ctx.apis[entry.target.provider] ?? "";
  return {
    ...entry,
    plan: { resource: "build", name: entry.target.images.join(", "), steps: planReplacement(entry.target, entry.observed, api) },
  };
}

/**
 * The links with every step that sends a request kept back while a build declared for the link (or
 * one of its repositories) is not verified, and what was kept back, where and why. The manual steps
 * stay: they are the person's ledger, which check and report count; the held entry names them, so
 * the plan tells the person to wait as well. Runs after the shared steps are
 * placed, so a step two links share waits when the link that sends it waits.
 */
function holdRevocations(
  loaded: LoadedConfig,
  observation: Observation,
  links: PlannedLinkEntry[],
): { links: PlannedLinkEntry[]; held: HeldLinkEntry[] } {
  if (observation.verdicts === undefined) return { links, held: [] };
  const builds = loaded.config.builds ?? [];
  const waiting = heldRevocations(
    links.map((l) => l.spec),
    builds,
    observation.verdicts,
  );
  const held: HeldLinkEntry[] = [];
  const out = links.map((entry) => {
    const hold = waiting.find((h) => h.link === entry.spec.name);
    if (hold === undefined) return entry;
    held.push({
      link: entry.spec.name,
      location: entry.location,
      steps: entry.plan.steps.filter(isApiStep),
      manualSteps: entry.plan.steps.flatMap((s) => (s.kind === "manual" ? [s.step.id] : [])),
      builds: hold.builds.map((b) => ({
        image: b.image,
        repository: b.repository,
        reason: b.reason,
        location: loaded.locate(`/builds/${b.index}`),
      })),
    });
    return { ...entry, plan: { ...entry.plan, steps: entry.plan.steps.filter((s) => !isApiStep(s)) } };
  });
  return { links: out, held };
}

/** `plan` with every step the observation holds open or recorded, that the planner itself does not print, as manual steps. */
function withObservedSteps(
  plan: ResourcePlan,
  observed: Pick<ObservedLink, "pendingManualSteps" | "manualStepsDoneByHand" | "manualStepsObservedOtherwise">,
): ResourcePlan {
  const have = new Set(plan.steps.flatMap((s) => (s.kind === "manual" ? [s.step.id] : [])));
  const extra: ManualStep[] = [];
  const recorded = [...(observed.manualStepsDoneByHand ?? []), ...(observed.manualStepsObservedOtherwise ?? [])].map((d) => d.step);
  for (const step of [...observed.pendingManualSteps, ...recorded]) {
    // A recorded step the run no longer produces has no text: it is not a step of this plan.
    if (have.has(step.id) || step.summary === "") continue;
    have.add(step.id);
    extra.push(step);
  }
  return extra.length === 0 ? plan : { ...plan, steps: [...plan.steps, ...extra.map((step) => ({ kind: "manual" as const, step }))] };
}

/**
 * `plan` without the manual steps the YAML records as done, which are returned beside it: done by
 * hand, or recorded done but observed otherwise.
 */
function recordedOut(
  plan: ResourcePlan,
  recorded: readonly RecordedManualStep[] | undefined,
  check: StepCheck,
): { plan: ResourcePlan; doneByHand: DoneByHand[]; observedOtherwise: RecordedButObservedOtherwise[] } {
  const manual = plan.steps.flatMap((s) => (s.kind === "manual" ? [s.step] : []));
  const { doneByHand, observedOtherwise } = splitRecorded(manual, recorded, check);
  const otherwise = [...observedOtherwise, ...recordedAgainstObservation(manual, recorded, check)];
  if (doneByHand.length === 0 && otherwise.length === 0) return { plan, doneByHand, observedOtherwise: otherwise };
  const done = new Set([...doneByHand, ...otherwise].map((d) => d.step.id));
  return {
    plan: { ...plan, steps: plan.steps.filter((s) => s.kind !== "manual" || !done.has(s.step.id)) },
    doneByHand,
    observedOtherwise: otherwise,
  };
}
