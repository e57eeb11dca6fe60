/**
 * Runs a plan's steps in order, stopping at the first failure. Every step is idempotent, so re-running
 * (after a crash, a 5xx, a timeout) converges: a 404 on delete means already gone, unlinking an unlinked
 * link is done, creating a link that already exists adopts it. Before sending, each step's request is
 * rebuilt by the builder that planned it (engine/model/requests.ts, which the clients send from) and
 * compared with the one the plan described: no step sends a request the plan did not show.
 */
import type { BuildServiceClient } from "../clients/types.js";
import { HttpError } from "../clients/http-error.js";
import type { OperationContext } from "./context.js";
import { ReconcileError } from "./errors.js";
import { isRecordOf } from "./link-identity.js";
import { isLive } from "../model/observed.js";
import type { PlannedRequest, PlanStep, ResourcePlan } from "../model/plan.js";
import {
  addLinkRepositoryRequest,
  createLinkRequest,
  deleteDeployKeyRequest,
  deleteOrgWebhookRequest,
  deleteWebhookRequest,
  revokeGrantRequest,
  setLinkStateRequest,
  setOrgAccessRequest,
  unlinkRequest,
} from "../model/requests.js";
import { CREATED_LINK_PLACEHOLDER } from "./plan-link.js";
import { providerApiUrl, providerClient } from "./provider-client.js";

/** What an execution did: steps done (manual ones skipped), the failed one, and those not attempted. */
export interface ExecutionResult {
  done: PlanStep[];
  /** Manual steps: nothing to send, reported for a person to do. */
  skipped: PlanStep[];
  failed: { step: PlanStep; error: Error } | null;
  remaining: PlanStep[];
  /** True when `shouldStop` ended the run before `remaining`: nothing failed, the rest was not attempted. */
  stopped?: boolean;
  /** The id of the link a `link` step of this plan created or adopted, for steps of other plans that act through it. */
  createdLinkId?: string;
}

/** Progress callbacks, e.g. for the CLI's progress display, and when to stop. */
export interface ExecutionHooks {
  onStep?(step: PlanStep, outcome: "done" | "skipped" | "failed", error?: Error): void;
  /**
   * Asked before each step: true stops the run there (an interrupted `apply`). A request in flight is
   * never abandoned: stopping between steps leaves every step either done or not attempted.
   */
  shouldStop?(): boolean;
}

/** Runs `plan`'s steps in order and stops at the first failed step. Never throws for a step's failure. */
export async function executePlan(ctx: OperationContext, plan: ResourcePlan, hooks: ExecutionHooks = {}): Promise<ExecutionResult> {
  const result: ExecutionResult = { done: [], skipped: [], failed: null, remaining: [] };
  const state: RunState = { createdLinkId: null };
  for (const [index, step] of plan.steps.entries()) {
    if (hooks.shouldStop?.() === true) {
      result.remaining = plan.steps.slice(index);
      result.stopped = true;
      return result;
    }
    if (step.kind === "manual") {
      result.skipped.push(step);
      hooks.onStep?.(step, "skipped");
      continue;
    }
    try {
      await runStep(ctx, step, state);
      if (state.createdLinkId !== null) result.createdLinkId = state.createdLinkId;
    } catch (cause) {
      const error = cause instanceof Error ? cause : new Error(String(cause));
      result.failed = { step, error };
      result.remaining = plan.steps.slice(index + 1);
      hooks.onStep?.(step, "failed", error);
      return result;
    }
    result.done.push(step);
    hooks.onStep?.(step, "done");
  }
  return result;
}

/** What earlier steps of the same run produced for later ones. */
interface RunState {
  createdLinkId: string | null;
}

/**
 * The link a step acts on: its own id, or (an empty id) the one a preceding `link` step of the same
 * plan created; a step that names a created link when none ran is refused, never sent.
 */
function targetLink(step: { kind: string; namespace: string; linkId: string }, state: RunState): string {
  const linkId = step.linkId !== "" ? step.linkId : state.createdLinkId;
  if (linkId === null)
    throw new ReconcileError(
      "request-mismatch",
      `${step.kind} in ${step.namespace} names the link created by a preceding link step, but none ran.`,
    );
  return linkId;
}

async function runStep(ctx: OperationContext, step: Exclude<PlanStep, { kind: "manual" }>, state: RunState): Promise<void> {
  switch (step.kind) {
    case "link": {
      const bs = buildService(ctx);
      expectRequest(step, createLinkRequest(buildServiceApi(ctx), step.namespace));
      state.createdLinkId = await createOrAdopt(bs, step);
      return;
    }
    case "set-state": {
      const bs = buildService(ctx);
      const linkId = targetLink(step, state);
      expectRequest(
        step,
        setLinkStateRequest(buildServiceApi(ctx), step.namespace, step.linkId !== "" ? step.linkId : CREATED_LINK_PLACEHOLDER),
      );
      await bs.setLinkState(step.namespace, linkId, step.state);
      return;
    }
    case "unlink": {
      const bs = buildService(ctx);
      expectRequest(step, unlinkRequest(buildServiceApi(ctx), step.namespace, step.linkId));
      await bs.unlink(step.namespace, step.linkId);
      return;
    }
    case "add-repository": {
      const bs = buildService(ctx);
      const linkId = targetLink(step, state);
      expectRequest(
        step,
        addLinkRepositoryRequest(
          buildServiceApi(ctx),
          step.namespace,
          step.linkId !== "" ? step.linkId : CREATED_LINK_PLACEHOLDER,
          step.repository,
        ),
      );
      await bs.addAutobuildRepository(step.namespace, linkId, step.repository);
      return;
    }
    case "revoke-grant":
      return revokeGrant(ctx, step);
    case "delete-webhook": {
      // Defense in depth: a plan edited by hand or built elsewhere still cannot delete a foreign webhook.
      if (!ctx.clients.isBuildServiceWebhook(step.url)) {
        throw new ReconcileError(
          "foreign-webhook",
          `Refusing to delete webhook ${step.hookId} on ${step.repository}: ${step.url} does not match the build service's webhook patterns.`,
        );
      }
      if (!ctx.seen.observed(step)) {
        throw new ReconcileError(
          "unobserved",
          `Refusing to delete webhook ${step.hookId} on ${step.repository}: this run did not observe it with URL ${step.url}; re-plan against this world.`,
        );
      }
      const client = providerClient(ctx, step.provider);
      expectRequest(step, deleteWebhookRequest(step.provider, providerApiUrl(ctx, step.provider), step.repository, step.hookId));
      await client.deleteWebhook(step.repository, step.hookId);
      return;
    }
    case "delete-deploy-key": {
      if (!ctx.clients.isBuildServiceDeployKey(step.title)) {
        throw new ReconcileError(
          "foreign-deploy-key",
          `Refusing to delete deploy key ${step.keyId} on ${step.repository}: "${step.title}" does not match the build service's deploy key patterns.`,
        );
      }
      if (!ctx.seen.observed(step)) {
        throw new ReconcileError(
          "unobserved",
          `Refusing to delete deploy key ${step.keyId} on ${step.repository}: this run did not observe it titled "${step.title}"; re-plan against this world.`,
        );
      }
      const client = providerClient(ctx, step.provider);
      expectRequest(step, deleteDeployKeyRequest(step.provider, providerApiUrl(ctx, step.provider), step.repository, step.keyId));
      await client.deleteDeployKey(step.repository, step.keyId);
      return;
    }
    case "delete-org-webhook": {
      // The same two checks as a repository webhook: the build service's pattern, and observed in this run.
      if (!ctx.clients.isBuildServiceWebhook(step.url)) {
        throw new ReconcileError(
          "foreign-webhook",
          `Refusing to delete webhook ${step.hookId} of org ${step.org}: ${step.url} does not match the build service's webhook patterns.`,
        );
      }
      if (!ctx.seen.observed(step)) {
        throw new ReconcileError(
          "unobserved",
          `Refusing to delete webhook ${step.hookId} of org ${step.org}: this run did not observe it with URL ${step.url}; re-plan against this world.`,
        );
      }
      const owners = ctx.clients.owners?.[step.provider];
      if (owners === undefined)
        throw new ReconcileError(
          "missing-client",
          `providers.${step.provider} is not configured: add it to the config to sweep ${step.org}.`,
        );
      expectRequest(step, deleteOrgWebhookRequest(providerApiUrl(ctx, "github"), step.org, step.hookId));
      await owners.deleteOrgWebhook(step.org, step.hookId);
      return;
    }
    case "set-org-access": {
      const bs = buildService(ctx);
      if (step.namespace === undefined || step.linkId === undefined) {
        throw new ReconcileError("not-automatable", `set-org-access for ${step.org} names no build-service link to act through.`);
      }
      expectRequest(step, setOrgAccessRequest(buildServiceApi(ctx), step.namespace, step.linkId, step.org));
      await bs.setOrgAccess(step.namespace, step.linkId, step.org, step.access);
      return;
    }
    default: {
      // A step kind the executor does not know must fail, never pass as done with nothing sent.
      const unknown: never = step;
      throw new ReconcileError("request-mismatch", `Unknown step kind ${(unknown as { kind: string }).kind}.`);
    }
  }
}

/** How many times one run sends a link's `POST`, each after checking that the previous one did not take effect. */
const CREATE_ATTEMPTS = 3;

/**
 * `POST` the link, never blindly twice: `POST` is not idempotent, so when its outcome is unknown (no
 * answer, a 5xx) the namespace's links are read first, and a live link with this identity (created by
 * the lost attempt, or by an interrupted earlier run) is adopted instead of sent again. A 409 (the
 * reference contract's answer when an identical live link exists) adopts that link too.
 */
async function createOrAdopt(bs: BuildServiceClient, step: Extract<PlanStep, { kind: "link" }>): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      const created = await bs.createLink(step.namespace, {
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

/**
 * `DELETE /applications/{client_id}/grant` needs one of the grant's tokens, which only the build
 * service holds: fetched here, never carried in the plan. No credentials (404) means the service holds
 * no live token of the grant any more, so there is nothing left to revoke through it.
 */
async function revokeGrant(ctx: OperationContext, step: Extract<PlanStep, { kind: "revoke-grant" }>): Promise<void> {
  const grants = ctx.clients.githubGrants;
  if (step.provider !== "github" || grants === null) {
    throw new ReconcileError(
      "not-automatable",
      `Revoking ${step.provider} grants needs the GitHub OAuth-app API: revoke ${step.account}'s authorization by hand.`,
    );
  }
  if (ctx.githubClientSecret === null) {
    throw new ReconcileError(
      "missing-credentials",
      `Revoking ${step.account}'s grant needs the OAuth app's client secret: set the env var named by buildService.oauthApps.github.clientSecretEnv.`,
    );
  }
  if (step.namespace === undefined || step.linkId === undefined) {
    throw new ReconcileError("not-automatable", `revoke-grant for ${step.account} names no build-service link holding the grant's token.`);
  }
  // The grants client exists exactly when GitHub is configured, so its API URL does too.
  expectRequest(step, revokeGrantRequest(providerApiUrl(ctx, "github"), step.clientId));
  const token = await buildService(ctx).getCredentials(step.namespace, step.linkId);
  if (token === null) return;
  await grants.revokeGrant(step.clientId, ctx.githubClientSecret, token);
}

function buildService(ctx: OperationContext): BuildServiceClient {
  const bs = ctx.clients.buildService;
  if (bs === null) throw noBuildServiceApi(ctx);
  return bs;
}

/** The build service's API URL the requests are built on; the same error as `buildService` when there is none. */
function buildServiceApi(ctx: OperationContext): string {
  const api = ctx.apis.buildService;
  if (api === null) throw noBuildServiceApi(ctx);
  return api;
}

function noBuildServiceApi(ctx: OperationContext): ReconcileError {
  return new ReconcileError(
    "missing-client",
    `The ${ctx.buildService.kind} build service has no API client: this step must be done by hand.`,
  );
}

/** Throws unless the request about to be sent is the one the plan described. */
function expectRequest(step: Exclude<PlanStep, { kind: "manual" }>, actual: PlannedRequest): void {
  if (step.request.method !== actual.method || step.request.url !== actual.url) {
    throw new ReconcileError(
      "request-mismatch",
      `The plan described ${step.request.method} ${step.request.url} for this ${step.kind} step, but it would send ${actual.method} ${actual.url}: re-plan against this world.`,
    );
  }
}
