/** Step kind `enable-pipelines`: Bitbucket Pipelines switched on for the replacement's repository, so its file runs. */
import type { EnablePipelinesStep } from "../../model/replacement-steps.js";
import { enablePipelinesRequest } from "../../model/replacement-requests.js";
import type { StepKind } from "./step-kind.js";
import { clientOf } from "./replacement-step-support.js";
import { providerApiUrl } from "../provider-client.js";

/** The `enable-pipelines` kind. */
export const enablePipelinesKind: StepKind<EnablePipelinesStep> = {
  kind: "enable-pipelines",
  category: "replacement-build",
  describe: (step) => `enable Bitbucket Pipelines on ${step.repository}`,
  json: (step) => ({ provider: step.provider, repository: step.repository }),
  drift: (step) => `Pipelines is off on ${step.repository}`,
  request: (step, settings) => enablePipelinesRequest(providerApiUrl(settings, step.provider), step.repository),
  refusal: () => null,
  async send(step, ctx) {
    await clientOf(ctx, step.provider).send(step.request, { enabled: true });
  },
};
