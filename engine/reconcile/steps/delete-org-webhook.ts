/** `delete-org-webhook`: a sweep's deletion of an org's own build-service webhook (GitHub `DELETE /orgs/{org}/hooks/{hook_id}`). */
import type { PlannedRequest } from "../../model/plan.js";
import { trimmed } from "../../model/requests.js";
import { ReconcileError } from "../errors.js";
import { providerApiUrl } from "../provider-client.js";
import type { StepKind } from "./step-kind.js";

/** Deletes one org webhook this run observed; `url` is its target, as observed. */
export interface DeleteOrgWebhookStep {
  kind: "delete-org-webhook";
  request: PlannedRequest;
  provider: "github";
  org: string;
  hookId: string;
  url: string;
}

/** Delete an org's own webhook (GitHub only): `DELETE /orgs/{org}/hooks/{hook_id}`. */
export function deleteOrgWebhookRequest(githubApi: string, org: string, hookId: string): PlannedRequest {
  return { method: "DELETE", url: `${trimmed(githubApi)}/orgs/${encodeURIComponent(org)}/hooks/${encodeURIComponent(hookId)}` };
}

/** The `delete-org-webhook` step kind. */
export const deleteOrgWebhookKind: StepKind<DeleteOrgWebhookStep> = {
  kind: "delete-org-webhook",
  category: "webhook-deletion",
  describe: (step, { showTargets }) => `delete webhook ${step.hookId} of org ${step.org}${showTargets ? ` (${step.url})` : ""}`,
  json: (step) => ({ provider: step.provider, org: step.org, hookId: step.hookId, url: step.url }),
  drift: (step) => `webhook ${step.hookId} still on org ${step.org}`,
  request: (step, settings) => deleteOrgWebhookRequest(providerApiUrl(settings, "github"), step.org, step.hookId),
  // The same two checks as a repository webhook: the build service's pattern, and observed in this run.
  refusal(step, checks) {
    if (!checks.webhooks.matchesAny(step.url)) {
      return new ReconcileError(
        "foreign-webhook",
        `Refusing to delete webhook ${step.hookId} of org ${step.org}: ${step.url} does not match the build service's webhook patterns.`,
      );
    }
    if (!checks.seen.has(step.provider, step.org, "org-hook", step.hookId, step.url)) {
      return new ReconcileError(
        "unobserved",
        `Refusing to delete webhook ${step.hookId} of org ${step.org}: this run did not observe it with URL ${step.url}; re-plan against this world.`,
      );
    }
    return null;
  },
  async send(step, ctx) {
    const owners = ctx.clients.owners?.[step.provider];
    if (owners === undefined)
      throw new ReconcileError(
        "missing-client",
        `providers.${step.provider} is not configured: add it to the config to sweep ${step.org}.`,
      );
    await owners.deleteOrgWebhook(step.org, step.request);
  },
};
