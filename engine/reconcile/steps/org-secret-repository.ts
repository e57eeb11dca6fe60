/** Step kind `org-secret-repository`: an org secret that exists made available to the replacement's repository (GitHub). */
import type { OrgSecretRepositoryStep } from "../../model/replacement-steps.js";
import { orgSecretRepositoryRequest } from "../../model/replacement-requests.js";
import type { StepKind } from "./step-kind.js";
import { clientOf } from "./replacement-step-support.js";
import { providerApiUrl } from "../provider-client.js";

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
  drift: (step) => `organization secret ${step.name} of ${step.org} is not available to ${step.repository}`,
  request: (step, settings) =>
    orgSecretRepositoryRequest(providerApiUrl(settings, step.provider), step.repository, step.name, step.repositoryId),
  refusal: () => null,
  async send(step, ctx) {
    await clientOf(ctx, step.provider).send(step.request, {});
  },
};
