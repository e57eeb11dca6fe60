/** `link`: create the declared account's link on the build service (`POST /{namespace}/links/`). */
import { HttpError } from "../../clients/http-error.js";
import type { BuildServiceClient } from "../../clients/types.js";
import type { PlannedRequest } from "../../model/plan.js";
import { linksUrl } from "../../model/requests.js";
import type { ProviderKind } from "../../model/spec.js";
import { isLive } from "../../model/observed.js";
import { isRecordOf } from "../link-identity.js";
import type { StepKind } from "./step-kind.js";
import { buildServiceApi, buildServiceClient } from "./support.js";

/** Creates a link; later steps of the same plan with an empty `linkId` act on it. */
export interface LinkStep {
  kind: "link";
  request: PlannedRequest;
  namespace: string;
  provider: ProviderKind;
  account: string;
  team: string | null;
  serviceAccount?: boolean;
}

/** `POST /{namespace}/links/`: create a link. */
export function createLinkRequest(buildApi: string, namespace: string): PlannedRequest {
  return { method: "POST", url: linksUrl(buildApi, namespace) };
}

/** How many times one run sends a link's `POST`, each after checking that the previous one did not take effect. */
const CREATE_ATTEMPTS = 3;

/** The `link` step kind. */
export const linkKind: StepKind<LinkStep> = {
  kind: "link",
  category: "build-service",
  describe(step) {
    const who = step.serviceAccount === false ? "person account" : step.serviceAccount ? "service account" : "account";
    return `link ${step.provider} ${who} ${step.account} to namespace ${step.namespace}${step.team ? ` for team ${step.team}` : ""}`;
  },
  json: (step) => ({
    namespace: step.namespace,
    provider: step.provider,
    account: step.account,
    team: step.team,
    ...(step.serviceAccount === undefined ? {} : { serviceAccount: step.serviceAccount }),
  }),
  drift: (step) =>
    `no live link for ${step.provider} account ${step.account}${step.team !== null ? ` of team ${step.team}` : ""} in ${step.namespace}`,
  request: (step, settings) => createLinkRequest(buildServiceApi(settings), step.namespace),
  refusal: () => null,
  async send(step, ctx, state) {
    state.createdLinkId = await createOrAdopt(buildServiceClient(ctx), step);
  },
};

/**
 * `POST` the link, never blindly twice: `POST` is not idempotent, so when its outcome is unknown (no
 * answer, a 5xx) the namespace's links are read first, and a live link with this identity (created by
 * the lost attempt, or by an interrupted earlier run) is adopted instead of sent again. A 409 (the
 * reference contract's answer when an identical live link exists) adopts that link too.
 */
async function createOrAdopt(bs: BuildServiceClient, step: LinkStep): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      const created = await bs.createLink(step.request, {
        provider: step.provider,
        account: step.account,
        team: step.team,
        // A team link must use a service account (docs/configuration.md); older plans may lack the field.
        serviceAccount: step.serviceAccount ?? step.team !== null,
      });
      return created.id;
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      const conflict = error.status === 409;
      if (!conflict && !error.outcomeUnknown) throw error;
      const existing = (await bs.listLinks(step.namespace)).find((r) => isLive(r.state) && isRecordOf(step, r));
      if (existing) return existing.id;
      if (conflict || attempt >= CREATE_ATTEMPTS) throw error;
    }
  }
}
