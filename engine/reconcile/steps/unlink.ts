/** `unlink`: retire a link on the build service (`DELETE /{namespace}/links/{id}/`). */
import type { PlannedRequest } from "../../model/plan.js";
import { unlinkRequest } from "../../model/requests.js";
import type { StepKind } from "./step-kind.js";
import { buildServiceApi, buildServiceClient } from "./support.js";

/** Unlinks one live link record. */
export interface UnlinkStep {
  kind: "unlink";
  request: PlannedRequest;
  namespace: string;
  linkId: string;
}

/** The `unlink` step kind. */
export const unlinkKind: StepKind<UnlinkStep> = {
  kind: "unlink",
  category: "build-service",
  describe: (step) => `unlink link ${step.linkId} in namespace ${step.namespace}`,
  json: (step) => ({ namespace: step.namespace, linkId: step.linkId }),
  drift: (step) => `link ${step.linkId} in ${step.namespace} still linked`,
  request: (step, settings) => unlinkRequest(buildServiceApi(settings), step.namespace, step.linkId),
  refusal: () => null,
  async send(step, ctx) {
    await buildServiceClient(ctx).unlink(step.namespace, step.linkId);
  },
};
