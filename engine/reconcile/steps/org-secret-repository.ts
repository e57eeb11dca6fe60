/** Step kind `org-secret-repository`: an org secret that exists made available to the replacement's repository (GitHub). */
import type { OrgSecretRepositoryStep } from "../../model/replacement-steps.js";
import { orgSecretRepositoryRequest } from "../../model/replacement-requests.js";
import type { StepKind } from "./step-kind.js";
import { clientOf, mismatch } from "./replacement-step-support.js";

/** The `org-secret-repository` kind. */
export const orgSecretRepositoryKind: StepKind<OrgSecretRepositoryStep> = {
  kind: "org-secret-repository",
  category: "replacement-build",
  describe: (step) => `select ${step.repository} for organization secret ${step.name} of ${step.org}`,
  json: (step) => ({
    provider: step.provider,
    repository: step.repository,
    org: step.org,
    name: step.name,
    repositoryId: step.repositoryId,
  }),
  refusal: (step, ctx) =>
    mismatch(
      step.kind,
      step.request,
      (api) => orgSecretRepositoryRequest(api, step.repository, step.name, step.repositoryId),
      ctx,
      step.provider,
    ),
  async send(step, ctx) {
    await clientOf(ctx, step.provider).send(step.request, {});
  },
};
