/** Step kind `proposal-branch`: the replacement's proposal branch, created from the default branch's head or reset there (GitHub git refs). */
import type { ProposalBranchStep } from "../../model/replacement-steps.js";
import { proposalBranchRequest } from "../../model/replacement-requests.js";
import type { StepKind } from "./step-kind.js";
import { clientOf } from "./replacement-step-support.js";
import { providerApiUrl } from "../provider-client.js";

/** The `proposal-branch` kind. */
export const proposalBranchKind: StepKind<ProposalBranchStep> = {
  kind: "proposal-branch",
  category: "replacement-build",
  describe: (step) =>
    `${step.reset ? "reset" : "create"} branch ${step.branch} of ${step.repository} at the default branch's head ${step.from.slice(0, 12)}`,
  json: (step) => ({ provider: step.provider, repository: step.repository, branch: step.branch, from: step.from, reset: step.reset }),
  drift: (step) => `${step.repository} has ${step.reset ? "a stale" : "no"} branch ${step.branch}`,
  request: (step, settings) => proposalBranchRequest(providerApiUrl(settings, step.provider), step.repository, step.branch, step.reset),
  refusal: () => null,
  async send(step, ctx) {
    const body = step.reset ? { sha: step.from, force: true } : { ref: `refs/heads/${step.branch}`, sha: step.from };
    await clientOf(ctx, step.provider).send(step.request, body);
  },
};
