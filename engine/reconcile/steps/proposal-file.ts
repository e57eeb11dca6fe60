/**
 * Step kind `proposal-file`: the rendered CI file committed on the proposal branch (GitHub `PUT
 * …/contents/{path}` naming the blob it replaces; Bitbucket `POST …/src`, a form whose field is the path).
 */
import type { ProposalFileStep } from "../../model/replacement-steps.js";
import { proposalFileRequest } from "../../model/replacement-requests.js";
import type { StepKind } from "./step-kind.js";
import { clientOf } from "./replacement-step-support.js";
import { providerApiUrl } from "../provider-client.js";

/** The `proposal-file` kind. */
export const proposalFileKind: StepKind<ProposalFileStep> = {
  kind: "proposal-file",
  category: "replacement-build",
  describe: (step) =>
    `commit ${step.path} (${Buffer.byteLength(step.content)} bytes, ${step.previous === null ? "new" : "changed"}) on branch ${step.branch} of ${step.repository}`,
  json: (step) => ({
    provider: step.provider,
    repository: step.repository,
    branch: step.branch,
    path: step.path,
    content: step.content,
    previous: step.previous,
    replaces: step.replaces,
    parent: step.parent,
    message: step.message,
  }),
  drift: (step) => `${step.path} on branch ${step.branch} of ${step.repository} is not the rendered file`,
  request: (step, settings) => proposalFileRequest(step.provider, providerApiUrl(settings, step.provider), step.repository, step.path),
  refusal: () => null,
  async send(step, ctx) {
    const client = clientOf(ctx, step.provider);
    if (step.provider === "github") {
      await client.send(step.request, {
        message: step.message,
        content: Buffer.from(step.content, "utf8").toString("base64"),
        branch: step.branch,
        ...(step.replaces === null ? {} : { sha: step.replaces }),
      });
      return;
    }
    await client.send(
      step.request,
      { message: step.message, branch: step.branch, ...(step.parent === null ? {} : { parents: step.parent }), [step.path]: step.content },
      { form: true },
    );
  },
};
