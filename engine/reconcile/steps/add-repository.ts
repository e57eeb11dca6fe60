/** `add-repository`: make a declared repository an autobuild source of a link (`PUT …/repositories/{owner}/{name}/`). */
import type { PlannedRequest } from "../../model/plan.js";
import { linkUrl } from "../../model/requests.js";
import type { ProviderKind } from "../../model/spec.js";
import type { StepKind } from "./step-kind.js";
import { buildServiceApi, buildServiceClient, linkIdOrCreated, need, requestOnLink } from "./support.js";

/** Adds one repository to a link; an empty `linkId` targets the link a preceding `link` step created. */
export interface AddRepositoryStep {
  kind: "add-repository";
  request: PlannedRequest;
  namespace: string;
  linkId: string;
  provider: ProviderKind;
  repository: string;
}

/**
 * `PUT /{namespace}/links/{id}/repositories/{owner}/{name}/`: make a repository an autobuild source of a
 * link. Idempotent (the repository is listed once however often it is sent); it removes nothing.
 */
export function addLinkRepositoryRequest(buildApi: string, namespace: string, linkId: string, repository: string): PlannedRequest {
  const parts = repository.split("/");
  if (parts.length !== 2 || parts.some((p) => p === ""))
    throw new TypeError(`build-service: repository must be "owner/name", got "${repository}"`);
  const [owner, name] = parts as [string, string];
  return {
    method: "PUT",
    url: `${linkUrl(buildApi, namespace, need("addLinkRepository", linkId, "a link id"))}repositories/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/`,
  };
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
    await bs.addAutobuildRepository(requestOnLink(step, state, ctx));
  },
};
