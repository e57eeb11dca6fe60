/** `set-state`: enable or disable a link (`PATCH /{namespace}/links/{id}/`). */
import type { PlannedRequest } from "../../model/plan.js";
import { linkUrl } from "../../model/requests.js";
import type { StepKind } from "./step-kind.js";
import { buildServiceApi, buildServiceClient, linkIdOrCreated, need, requestOnLink } from "./support.js";

/** Sets a link's state; an empty `linkId` targets the link created by the preceding `link` step of the same plan. */
export interface SetStateStep {
  kind: "set-state";
  request: PlannedRequest;
  namespace: string;
  linkId: string;
  state: "linked" | "disabled";
}

/** `PATCH /{namespace}/links/{id}/`: enable or disable a link. */
export function setLinkStateRequest(buildApi: string, namespace: string, linkId: string): PlannedRequest {
  return { method: "PATCH", url: linkUrl(buildApi, namespace, need("setLinkState", linkId, "a link id")) };
}

/** The `set-state` step kind. */
export const setStateKind: StepKind<SetStateStep> = {
  kind: "set-state",
  category: "build-service",
  describe: (step) =>
    `set link ${step.linkId || "(the new link)"} in namespace ${step.namespace} to ${step.state === "linked" ? "enabled" : "disabled"}`,
  json: (step) => ({ namespace: step.namespace, linkId: step.linkId, state: step.state }),
  drift: (step) => (step.linkId === "" ? null : `link ${step.linkId} in ${step.namespace} is not ${step.state}`),
  request: (step, settings) => setLinkStateRequest(buildServiceApi(settings), step.namespace, linkIdOrCreated(step.linkId)),
  refusal: () => null,
  async send(step, ctx, state) {
    const bs = buildServiceClient(ctx);
    await bs.setLinkState(requestOnLink(step, state, ctx), step.state);
  },
};
