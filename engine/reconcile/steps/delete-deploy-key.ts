/** `delete-deploy-key`: delete a build-service deploy key of a repository (GitHub or Bitbucket). */
import type { PlannedRequest } from "../../model/plan.js";
import { bitbucketRepoUrl, githubRepoUrl } from "../../model/requests.js";
import type { ProviderKind } from "../../model/spec.js";
import { ReconcileError } from "../errors.js";
import { providerApiUrl, providerClient } from "../provider-client.js";
import type { StepKind } from "./step-kind.js";

/** Deletes one deploy key this run observed; `title` as observed. */
export interface DeleteDeployKeyStep {
  kind: "delete-deploy-key";
  request: PlannedRequest;
  provider: ProviderKind;
  repository: string;
  keyId: string;
  title: string;
}

/** Delete a deploy key: GitHub `DELETE /repos/{owner}/{repo}/keys/{key_id}`; Bitbucket `DELETE /repositories/{workspace}/{repo_slug}/deploy-keys/{key_id}`. */
export function deleteDeployKeyRequest(provider: ProviderKind, api: string, repository: string, keyId: string): PlannedRequest {
  const path = provider === "github" ? `${githubRepoUrl(api, repository)}/keys` : `${bitbucketRepoUrl(api, repository)}/deploy-keys`;
  return { method: "DELETE", url: `${path}/${encodeURIComponent(keyId)}` };
}

/** The `delete-deploy-key` step kind. */
export const deleteDeployKeyKind: StepKind<DeleteDeployKeyStep> = {
  kind: "delete-deploy-key",
  category: "deploy-key-deletion",
  describe: (step) => `delete deploy key ${step.keyId} "${step.title}" on ${step.repository}`,
  json: (step) => ({ provider: step.provider, repository: step.repository, keyId: step.keyId, title: step.title }),
  drift: (step) => `deploy key ${step.keyId} ("${step.title}") still on ${step.repository}`,
  sharedKey: (step) => `deploy-key\u0000${step.provider}\u0000${step.repository.toLowerCase()}\u0000${step.keyId}`,
  request: (step, settings) => deleteDeployKeyRequest(step.provider, providerApiUrl(settings, step.provider), step.repository, step.keyId),
  refusal(step, checks) {
    if (!checks.deployKeys.matchesAny(step.title)) {
      return new ReconcileError(
        "foreign-deploy-key",
        `Refusing to delete deploy key ${step.keyId} on ${step.repository}: "${step.title}" does not match the build service's deploy key patterns.`,
      );
    }
    if (!checks.seen.has(step.provider, step.repository, "key", step.keyId, step.title)) {
      return new ReconcileError(
        "unobserved",
        `Refusing to delete deploy key ${step.keyId} on ${step.repository}: this run did not observe it titled "${step.title}"; re-plan against this world.`,
      );
    }
    return null;
  },
  async send(step, ctx) {
    await providerClient(ctx, step.provider).deleteDeployKey(step.repository, step.request);
  },
};
