/** Step kind `enable-pipelines`: Bitbucket Pipelines switched on for the replacement's repository, so its file runs. */
import type { EnablePipelinesStep } from "../../model/replacement-steps.js";
import { enablePipelinesRequest } from "../../model/replacement-requests.js";
import type { StepKind } from "./step-kind.js";
import { clientOf, mismatch } from "./replacement-step-support.js";

/** The `enable-pipelines` kind. */
export const enablePipelinesKind: StepKind<EnablePipelinesStep> = {
  kind: "enable-pipelines",
  category: "replacement-build",
  describe: (step) => `enable Bitbucket Pipelines on ${step.repository}`,
  json: (step) => ({ provider: step.provider, repository: step.repository }),
  refusal: (step, ctx) => mismatch(step.kind, step.request, (api) => enablePipelinesRequest(api, step.repository), ctx, step.provider),
  async send(step, ctx) {
    await clientOf(ctx, step.provider).send(step.request, { enabled: true });
  },
};
