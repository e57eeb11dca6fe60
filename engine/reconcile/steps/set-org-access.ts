/** `set-org-access`: set an org's third-party access through a build-service link (`PUT …/orgs/{org}/access/`). */
import type { PlannedRequest } from "../../model/plan.js";
import { orgAccessUrl } from "../../model/requests.js";
import type { OrgAccessState } from "../../model/spec.js";
import { ReconcileError } from "../errors.js";
import type { StepKind } from "./step-kind.js";
import { buildServiceApi, buildServiceClient, linkIdOrCreated, need } from "./support.js";

/**
 * Sets an org's access. `namespace`/`linkId`: the build-service link the access is set through. An
 * empty `linkId` with `throughLink` names a declared link that a `link` step of the same run creates first.
 */
export interface SetOrgAccessStep {
  kind: "set-org-access";
  request: PlannedRequest;
  org: string;
  access: OrgAccessState;
  namespace?: string;
  linkId?: string;
  throughLink?: string;
}

/** `PUT /{namespace}/links/{id}/orgs/{org}/access/`: set an org's third-party access through a link. */
export function setOrgAccessRequest(buildApi: string, namespace: string, linkId: string, org: string): PlannedRequest {
  return {
    method: "PUT",
    url: orgAccessUrl(buildApi, namespace, need("setOrgAccess", linkId, "a link id"), need("setOrgAccess", org, "an org")),
  };
}

/** The `set-org-access` step kind. */
export const setOrgAccessKind: StepKind<SetOrgAccessStep> = {
  kind: "set-org-access",
  category: "build-service",
  describe: (step) =>
    `set third-party access of org ${step.org} to ${step.access}${step.throughLink ? ` (through link ${step.throughLink}, created first by this apply)` : ""}`,
  json: (step) => ({
    org: step.org,
    access: step.access,
    ...(step.linkId ? { linkId: step.linkId } : {}),
    ...(step.namespace ? { namespace: step.namespace } : {}),
  }),
  drift: (step) => `${step.org}'s third-party access is not ${step.access}`,
  request(step, settings) {
    const api = buildServiceApi(settings);
    if (step.namespace === undefined || step.linkId === undefined) throw noLink(step);
    return setOrgAccessRequest(api, step.namespace, linkIdOrCreated(step.linkId), step.org);
  },
  refusal: () => null,
  async send(step, ctx) {
    const bs = buildServiceClient(ctx);
    // The link a `throughLink` step acts through is resolved before execution; unresolved, it is never sent.
    if (step.namespace === undefined || step.linkId === undefined || step.linkId === "") throw noLink(step);
    await bs.setOrgAccess(step.request, step.access);
  },
};

function noLink(step: SetOrgAccessStep): ReconcileError {
  return new ReconcileError("not-automatable", `set-org-access for ${step.org} names no build-service link to act through.`);
}
