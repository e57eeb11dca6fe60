/**
 * Step kind `ci-secret`: one CI secret the replacement reads, its value taken from the named env var
 * only when the step is sent (never planned, printed or cached): a GitHub Actions repository or org
 * secret sealed with libsodium, or a secured Bitbucket repository variable. A plan whose env var is
 * unset is refused before anything is sent.
 */
import type { CiSecretStep } from "../../model/replacement-steps.js";
import { ciSecretRequest, secretKeyUrl } from "../../model/replacement-requests.js";
import { Secret } from "../../model/secret.js";
import { ReconcileError } from "../errors.js";
import type { StepKind } from "./step-kind.js";
import { apiOf, clientOf } from "./replacement-step-support.js";
import { providerApiUrl } from "../provider-client.js";

/** The `ci-secret` kind. */
export const ciSecretKind: StepKind<CiSecretStep> = {
  kind: "ci-secret",
  category: "replacement-build",
  describe: (step) =>
    step.provider === "bitbucket"
      ? `set secured variable ${step.name} of ${step.repository} from env var ${step.env}`
      : step.scope === "organization"
        ? `set organization secret ${step.name} of ${step.repository.split("/")[0]} for ${step.repository} from env var ${step.env}`
        : `set Actions secret ${step.name} of ${step.repository} from env var ${step.env}`,
  json: (step) => ({
    provider: step.provider,
    repository: step.repository,
    name: step.name,
    env: step.env,
    scope: step.scope,
    ...(step.repositoryId === undefined ? {} : { repositoryId: step.repositoryId }),
  }),
  drift: (step) => `secret ${step.name} is not set for ${step.repository}`,
  request: (step, settings) =>
    ciSecretRequest(step.provider, providerApiUrl(settings, step.provider), step.repository, step.name, step.scope),
  refusal(step, checks) {
    if (checks.secretValue === undefined) return null;
    const value = checks.secretValue(step.env);
    if (value === undefined || value === "")
      return new ReconcileError(
        "missing-credentials",
        `secret ${step.name} of ${step.repository} is read from env var ${step.env}, which is not set: set it where apply runs`,
      );
    return null;
  },
  async send(step, ctx) {
    const raw = ctx.secretValue?.(step.env);
    if (raw === undefined || raw === "")
      throw new ReconcileError("missing-credentials", `secret ${step.name} of ${step.repository}: env var ${step.env} is not set`);
    const value = new Secret(raw);
    const client = clientOf(ctx, step.provider);
    if (step.provider === "bitbucket") {
      await client.putSecret(step.request, null, value, { key: step.name });
      return;
    }
    const keyUrl = secretKeyUrl(apiOf(ctx, step.provider) ?? "", step.repository, step.scope);
    const fields =
      step.scope === "organization"
        ? { visibility: "selected", ...(step.repositoryId === undefined ? {} : { selected_repository_ids: [step.repositoryId] }) }
        : {};
    await client.putSecret(step.request, keyUrl, value, fields);
  },
};
