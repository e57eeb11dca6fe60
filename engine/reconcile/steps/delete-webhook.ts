/** `delete-webhook`: delete a build-service webhook of a repository (GitHub or Bitbucket). */
import type { PlannedRequest } from "../../model/plan.js";
import { bitbucketRepoUrl, githubRepoUrl } from "../../model/requests.js";
import type { ProviderKind } from "../../model/spec.js";
import { ReconcileError } from "../errors.js";
import { providerApiUrl, providerClient } from "../provider-client.js";
import type { StepKind } from "./step-kind.js";

/** Deletes one webhook this run observed; `url` is its target, as observed. */
export interface DeleteWebhookStep {
  kind: "delete-webhook";
  request: PlannedRequest;
  provider: ProviderKind;
  repository: string;
  hookId: string;
  url: string;
}

/**
 * Delete a repository webhook: GitHub `DELETE /repos/{owner}/{repo}/hooks/{hook_id}`; Bitbucket
 * `DELETE /repositories/{workspace}/{repo_slug}/hooks/{uid}`, uid being the brace-wrapped uuid (braces optional in `hookId`).
 */
export function deleteWebhookRequest(provider: ProviderKind, api: string, repository: string, hookId: string): PlannedRequest {
  if (provider === "github") return { method: "DELETE", url: `${githubRepoUrl(api, repository)}/hooks/${encodeURIComponent(hookId)}` };
  const uuid = hookId.startsWith("{") ? hookId : `{${hookId}}`;
  return { method: "DELETE", url: `${bitbucketRepoUrl(api, repository)}/hooks/${encodeURIComponent(uuid)}` };
}

/** The `delete-webhook` step kind. */
export const deleteWebhookKind: StepKind<DeleteWebhookStep> = {
  kind: "delete-webhook",
  category: "webhook-deletion",
  describe: (step, { showTargets }) => `delete webhook ${step.hookId} on ${step.repository}${showTargets ? ` (${step.url})` : ""}`,
  json: (step) => ({ provider: step.provider, repository: step.repository, hookId: step.hookId, url: step.url }),
  drift: (step) => `webhook ${step.hookId} still on ${step.repository}`,
  sharedKey: (step) => `webhook\u0000${step.provider}\u0000${step.repository.toLowerCase()}\u0000${step.hookId}`,
  request: (step, settings) => deleteWebhookRequest(step.provider, providerApiUrl(settings, step.provider), step.repository, step.hookId),
  refusal(step, checks) {
    // Defense in depth: a plan edited by hand or built elsewhere still cannot delete a foreign webhook.
    if (!checks.webhooks.matchesAny(step.url)) {
      return new ReconcileError(
        "foreign-webhook",
        `Refusing to delete webhook ${step.hookId} on ${step.repository}: ${step.url} does not match the build service's webhook patterns.`,
      );
    }
    if (!checks.seen.has(step.provider, step.repository, "hook", step.hookId, step.url)) {
      return new ReconcileError(
        "unobserved",
        `Refusing to delete webhook ${step.hookId} on ${step.repository}: this run did not observe it with URL ${step.url}; re-plan against this world.`,
      );
    }
    return null;
  },
  async send(step, ctx) {
    await providerClient(ctx, step.provider).deleteWebhook(step.repository, step.request);
  },
};
