/** `revoke-grant`: revoke every token an account gave the build service's OAuth app (GitHub `DELETE /applications/{client_id}/grant`). */
import type { PlannedRequest } from "../../model/plan.js";
import { trimmed } from "../../model/requests.js";
import type { ProviderKind } from "../../model/spec.js";
import type { OperationContext } from "../context.js";
import { ReconcileError } from "../errors.js";
import { providerApiUrl } from "../provider-client.js";
import type { StepKind } from "./step-kind.js";
import { buildServiceClient } from "./support.js";

/** Revokes one account's grant; `namespace`/`linkId`: the build-service record whose held credentials identify the grant. */
export interface RevokeGrantStep {
  kind: "revoke-grant";
  request: PlannedRequest;
  provider: ProviderKind;
  account: string;
  clientId: string;
  namespace?: string;
  linkId?: string;
}

/** GitHub `DELETE /applications/{client_id}/grant`: revoke every token a user gave the OAuth app. */
export function revokeGrantRequest(githubApi: string, clientId: string): PlannedRequest {
  return { method: "DELETE", url: `${trimmed(githubApi)}/applications/${encodeURIComponent(clientId)}/grant` };
}

/** The `revoke-grant` step kind. */
export const revokeGrantKind: StepKind<RevokeGrantStep> = {
  kind: "revoke-grant",
  category: "provider-revocation",
  describe: (step) => `revoke ${step.provider} account ${step.account}'s OAuth grant to app ${step.clientId}`,
  json: (step) => ({
    provider: step.provider,
    account: step.account,
    clientId: step.clientId,
    ...(step.linkId ? { linkId: step.linkId } : {}),
    ...(step.namespace ? { namespace: step.namespace } : {}),
  }),
  drift: (step) => `${step.account}'s ${step.provider} grant of OAuth app ${step.clientId} still live`,
  sharedKey: (step) => `grant\u0000${step.provider}\u0000${step.clientId}\u0000${step.account.toLowerCase()}`,
  request: (step, settings) => revokeGrantRequest(providerApiUrl(settings, "github"), step.clientId),
  refusal: () => null,
  send: revokeGrant,
};

/**
 * `DELETE /applications/{client_id}/grant` needs one of the grant's tokens, which only the build
 * service holds: fetched here, never carried in the plan. No credentials (404) means the service holds
 * no live token of the grant any more, so there is nothing left to revoke through it.
 */
async function revokeGrant(step: RevokeGrantStep, ctx: OperationContext): Promise<void> {
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
  const token = await buildServiceClient(ctx).getCredentials(step.namespace, step.linkId);
  if (token === null) return;
  await grants.revokeGrant(step.request, step.clientId, ctx.githubClientSecret, token);
}
