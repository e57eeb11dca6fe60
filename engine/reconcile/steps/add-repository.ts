/** `add-repository`: make a declared repository an autobuild source of a link (`PUT …/repositories/{owner}/{name}/`). */
import type { PlannedRequest } from "../../model/plan.js";
import { addLinkRepositoryRequest } from "../../model/requests.js";
import type { ProviderKind } from "../../model/spec.js";
import type { StepKind } from "./step-kind.js";
import { buildServiceApi, buildServiceClient, linkIdOrCreated, targetLink } from "./support.js";

/** Adds one repository to a link; an empty `linkId` targets the link a preceding `link` step created. */
export interface AddRepositoryStep {
  kind: "add-repository";
  request: PlannedRequest;
  namespace: string;
  linkId: string;
  provider: ProviderKind;
  repository: string;
}

/** The `add-repository` step kind. */
export const addRepositoryKind: StepKind<AddRepositoryStep> = {
  kind: "add-repository",
  category: "build-service",
  describe: (step) =>
    `make ${step.repository} an autobuild source of link ${step.linkId || "(the new link)"} in namespace ${step.namespace}`,
  json: (step) => ({ namespace: step.namespace, linkId: step.linkId, provider: step.provider, repository: step.repository }),
  drift: (step) =>
    `${step.repository} is not an autobuild source of ${step.linkId === "" ? "the new link" : `link ${step.linkId}`} in ${step.namespace}`,
  request: (step, settings) =>
    addLinkRepositoryRequest(buildServiceApi(settings), step.namespace, linkIdOrCreated(step.linkId), step.repository),
  refusal: () => null,
  async send(step, ctx, state) {
    const bs = buildServiceClient(ctx);
    await bs.addAutobuildRepository(step.namespace, targetLink(step, state), step.repository);
  },
};
