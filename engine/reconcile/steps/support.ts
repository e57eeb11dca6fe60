/** What several step kinds share: the build service's client and API, the link a step acts on, the request check. */
import type { BuildServiceClient } from "../../clients/types.js";
import type { PlannedRequest } from "../../model/plan.js";
import { linksUrl } from "../../model/requests.js";
import type { OperationContext } from "../context.js";
import { ReconcileError } from "../errors.js";
import type { PlanSettings } from "../plan-settings.js";
import type { ExecutionState, SentStep } from "./step-kind.js";

/**
 * The link id a step's request names when it targets the link created by the preceding `link` step:
 * its real id exists only once that step ran. The step's `linkId` is then empty.
 */
export const CREATED_LINK_PLACEHOLDER = "{created}";

/** The id a request is built on: the step's link, or the placeholder of the link a preceding step creates. */
export function linkIdOrCreated(linkId: string): string {
  return linkId === "" ? CREATED_LINK_PLACEHOLDER : linkId;
}

/** The build service's client, or the error saying this build service's steps are done by hand. */
export function buildServiceClient(ctx: OperationContext): BuildServiceClient {
  const bs = ctx.clients.buildService;
  if (bs === null) throw noBuildServiceApi(ctx);
  return bs;
}

/** The build service's API URL requests are built on; the same error as `buildServiceClient` when there is none. */
export function buildServiceApi(settings: PlanSettings): string {
  const api = settings.apis.buildService;
  if (api === null) throw noBuildServiceApi(settings);
  return api;
}

function noBuildServiceApi(settings: PlanSettings): ReconcileError {
  return new ReconcileError(
    "missing-client",
    `The ${settings.buildService.kind} build service has no API client: this step must be done by hand.`,
  );
}

/**
 * The link a step acts on: its own id, or (an empty id) the one a preceding `link` step of the same
 * plan created; a step that names a created link when none ran is refused, never sent.
 */
export function targetLink(step: { kind: string; namespace: string; linkId: string }, state: ExecutionState): string {
  const linkId = step.linkId !== "" ? step.linkId : state.createdLinkId;
  if (linkId === null)
    throw new ReconcileError(
      "request-mismatch",
      `${step.kind} in ${step.namespace} names the link created by a preceding link step, but none ran.`,
    );
  return linkId;
}

/** A refusal unless the step's request is `built`, the one its fields address: no step sends what the plan did not show. */
export function requestMismatch(step: SentStep, built: PlannedRequest): ReconcileError | null {
  if (step.request.method === built.method && step.request.url === built.url) return null;
  return new ReconcileError(
    "request-mismatch",
    `The plan described ${step.request.method} ${step.request.url} for this ${step.kind} step, but it would send ${built.method} ${built.url}: re-plan against this world.`,
  );
}

/** `value`, or a TypeError naming the operation and what it lacks (an empty id would address the collection). */
export function need(op: string, value: string, what: string): string {
  if (value === "") throw new TypeError(`build-service: ${op} needs ${what}`);
  return value;
}

/**
 * The request of a step on a link: `step.request` as planned, or, for a step on the link a preceding
 * `link` step created (an empty `linkId`), the planned request with the created link's id in place of
 * the placeholder segment right after the namespace's links, the only place its planner put it.
 */
export function requestOnLink(
  step: { kind: string; namespace: string; linkId: string; request: PlannedRequest },
  state: ExecutionState,
  settings: PlanSettings,
): PlannedRequest {
  if (step.linkId !== "") return step.request;
  const linkId = targetLink(step, state);
  const links = linksUrl(buildServiceApi(settings), step.namespace);
  const planned = `${links}${encodeURIComponent(CREATED_LINK_PLACEHOLDER)}/`;
  if (!step.request.url.startsWith(planned))
    throw new ReconcileError(
      "request-mismatch",
      `${step.kind} in ${step.namespace} does not address the link a preceding link step created.`,
    );
  return { method: step.request.method, url: `${links}${encodeURIComponent(linkId)}/${step.request.url.slice(planned.length)}` };
}
