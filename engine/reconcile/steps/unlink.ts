/** `unlink`: retire a link on the build service (`DELETE /{namespace}/links/{id}/`). */
import type { PlannedRequest } from "../../model/plan.js";
import { linkUrl } from "../../model/requests.js";
import type { StepKind } from "./step-kind.js";
import { buildServiceApi, buildServiceClient, need } from "./support.js";

/** Unlinks one live link record. */
export interface UnlinkStep {
  kind: "unlink";
  request: PlannedRequest;
  namespace: string;
  linkId: string;
}

/** `DELETE /{namespace}/links/{id}/`: unlink. */
export function unlinkRequest(buildApi: string, namespace: string, linkId: string): PlannedRequest {
  return { method: "DELETE", url: linkUrl(buildApi, namespace, need("unlink", linkId, "a link id")) };
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
    await buildServiceClient(ctx).unlink(step.request);
  },
};
