/** Step kind `proposal-pull-request`: the pull request from the proposal branch, opened or (the open one) updated with the current title and body. */
import type { ProposalPullRequestStep } from "../../model/replacement-steps.js";
import { proposalPullRequestRequest } from "../../model/replacement-requests.js";
import type { StepKind } from "./step-kind.js";
import { clientOf } from "./replacement-step-support.js";
import { providerApiUrl } from "../provider-client.js";

/** The `proposal-pull-request` kind. */
export const proposalPullRequestKind: StepKind<ProposalPullRequestStep> = {
  kind: "proposal-pull-request",
  category: "replacement-build",
  describe: (step) =>
    step.number === null
      ? `open a pull request from ${step.branch} into ${step.base} of ${step.repository}: "${step.title}"`
      : `update pull request #${step.number} of ${step.repository} (${step.branch} into ${step.base})`,
  json: (step) => ({
    provider: step.provider,
    repository: step.repository,
    branch: step.branch,
    base: step.base,
    number: step.number,
    title: step.title,
    body: step.body,
  }),
  drift: (step) =>
    step.number === null
      ? `no open pull request from ${step.branch} of ${step.repository}`
      : `pull request #${step.number} of ${step.repository} shows an older file`,
  request: (step, settings) =>
    proposalPullRequestRequest(step.provider, providerApiUrl(settings, step.provider), step.repository, step.number),
  refusal: () => null,
  async send(step, ctx) {
    const client = clientOf(ctx, step.provider);
    if (step.provider === "github") {
      const body =
        step.number === null
          ? { title: step.title, body: step.body, head: step.branch, base: step.base }
          : { title: step.title, body: step.body };
      await client.send(step.request, body);
      return;
    }
    const body =
      step.number === null
        ? {
            title: step.title,
            description: step.body,
            source: { branch: { name: step.branch } },
            destination: { branch: { name: step.base } },
          }
        : { title: step.title, description: step.body };
    await client.send(step.request, body);
  },
};
