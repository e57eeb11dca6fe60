/**
 * Planning one sweep (pure: no request is sent): a deletion for every build-service artifact no live
 * link covers, except what a link declared `revoked` handles itself (its own plan, per its `onRevoke`)
 * and what sits on an archived repository (GitHub refuses writes there: a manual step to unarchive
 * first). What live links cover is listed as kept, with the links that keep it.
 */
import type { SweepSpec } from "../model/spec.js";
import type { SweepObservation, SweptArtifact } from "../model/sweep.js";
import { deleteDeployKeyRequest } from "./steps/delete-deploy-key.js";
import { deleteOrgWebhookRequest } from "./steps/delete-org-webhook.js";
import { deleteWebhookRequest } from "./steps/delete-webhook.js";
import type { PlanSettings } from "./plan-settings.js";
import { ReconcileError } from "./errors.js";
import type { KeptItem } from "../model/plan.js";
import type { PlanStep, ResourcePlan } from "./steps/plan-step.js";
import type { ManualStep } from "../model/manual-step.js";
import { unarchiveStep } from "./manual-steps.js";

/** The artifacts a sweep deletes (or, on an archived repository, asks a person to unarchive first). */
export function artifactsToRemove(observed: SweepObservation): SweptArtifact[] {
  return observed.artifacts.filter((a) => a.classification !== "covered" && a.handledBy === undefined);
}

/** The plan of one sweep: deletions in observation order, then one manual step per archived repository. */
export function planSweep(spec: SweepSpec, observed: SweepObservation, settings: PlanSettings): ResourcePlan {
  const steps: PlanStep[] = [];
  for (const a of artifactsToRemove(observed)) if (!(a.archived && a.repository !== null)) steps.push(deletionOf(a, settings));
  for (const step of sweepManualSteps(spec, observed)) steps.push({ kind: "manual", step });
  const kept: KeptItem[] = observed.artifacts.filter((a) => a.classification === "covered").flatMap((a) => keptOf(a));
  return { resource: "sweep", name: spec.name, steps, ...(kept.length > 0 ? { kept } : {}) };
}

/**
 * The manual steps of a sweep, one per archived repository that holds something to remove (ids
 * `unarchive:PROVIDER:OWNER:NAME`): what its plan prints, `check` reports and the report counts.
 */
export function sweepManualSteps(spec: Pick<SweepSpec, "provider">, observed: SweepObservation): ManualStep[] {
  const archived = new Map<string, number>();
  for (const a of artifactsToRemove(observed))
    if (a.archived && a.repository !== null) archived.set(a.repository, (archived.get(a.repository) ?? 0) + 1);
  return [...archived].map(([repository, count]) => unarchiveStep(spec.provider, repository, count));
}

function deletionOf(a: SweptArtifact, settings: PlanSettings): PlanStep {
  const api = settings.apis[a.provider];
  if (api === null)
    throw new ReconcileError("missing-client", `providers.${a.provider} is not configured: add it to the config to sweep ${a.owner}.`);
  if (a.kind === "org-webhook") {
    return {
      kind: "delete-org-webhook",
      request: deleteOrgWebhookRequest(api, a.owner, a.id),
      provider: "github",
      org: a.owner,
      hookId: a.id,
      url: a.target,
    };
  }
  const repository = a.repository as string;
  if (a.kind === "repository-webhook") {
    return {
      kind: "delete-webhook",
      request: deleteWebhookRequest(a.provider, api, repository, a.id),
      provider: a.provider,
      repository,
      hookId: a.id,
      url: a.target,
    };
  }
  return {
    kind: "delete-deploy-key",
    request: deleteDeployKeyRequest(a.provider, api, repository, a.id),
    provider: a.provider,
    repository,
    keyId: a.id,
    title: a.target,
  };
}

function keptOf(a: SweptArtifact): KeptItem[] {
  if (a.repository === null) return [];
  if (a.kind === "deploy-key")
    return [{ kind: "deploy-key", provider: a.provider, repository: a.repository, keyId: a.id, title: a.target, keptFor: a.links }];
  return [{ kind: "webhook", provider: a.provider, repository: a.repository, hookId: a.id, url: a.target, keptFor: a.links }];
}
