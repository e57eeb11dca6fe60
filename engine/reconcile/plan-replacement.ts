/**
 * Plans one replacement build (pure): from its target (what to propose) and what observation found,
 * the steps that put it in place, none when it is done. A merged file is done; otherwise the proposal
 * branch is made (or, on GitHub, reset to the default branch when its head is a merged pull request's),
 * the file committed on it unless the branch already holds it, and the pull request opened, or the
 * open one updated. Missing CI secrets are set and, on Bitbucket, Pipelines switched on. A proposal
 * whose branch holds someone else's commits (observation's `held`) plans nothing at all: no write may
 * land beside a proposal that cannot be made.
 */
import type { ProposalTarget } from "../builds/proposal.js";
import type { ObservedReplacement } from "../model/replacement.js";
import {
  ciSecretRequest,
  enablePipelinesRequest,
  orgSecretRepositoryRequest,
  proposalBranchRequest,
  proposalFileRequest,
  proposalPullRequestRequest,
} from "../model/replacement-requests.js";
import type { ReplacementStep } from "../model/replacement-steps.js";

/** The steps of one replacement; `api` is the provider's API root the requests go to. */
export function planReplacement(target: ProposalTarget, observed: ObservedReplacement, api: string): ReplacementStep[] {
  const { provider, repository } = target;
  const steps: ReplacementStep[] = [];
  const use = observed.branchUse;
  if (use === "hold") return steps;
  if (observed.state !== "merged") {
    const open = observed.pullRequest?.state === "open" ? observed.pullRequest : null;
    let fileSha = observed.branchFileSha;
    let parent: string | null = null;
    // After a merged proposal the branch is behind: GitHub starts it again from the default branch;
    // Bitbucket has no forced ref update, and writes on top (every commit under it is merged already).
    if (provider === "github" && (use === "create" || use === "reset")) {
      const reset = use === "reset";
      steps.push({
        kind: "proposal-branch",
        request: proposalBranchRequest(api, repository, target.branch, reset),
        provider,
        repository,
        branch: target.branch,
        from: observed.defaultSha,
        reset,
      });
      // The branch then holds what the default branch holds.
      fileSha = observed.defaultFileSha;
    }
    if (provider === "bitbucket" && use === "create") parent = observed.defaultSha;
    const writesFile = !observed.branchCurrent || steps.length > 0;
    if (writesFile) {
      steps.push({
        kind: "proposal-file",
        request: proposalFileRequest(provider, api, repository, target.path),
        provider,
        repository,
        branch: target.branch,
        path: target.path,
        content: target.text,
        previous: observed.defaultText,
        replaces: provider === "github" ? fileSha : null,
        parent,
        message: target.message,
      });
    }
    if (open === null || writesFile) {
      const number = open?.number ?? null;
      steps.push({
        kind: "proposal-pull-request",
        request: proposalPullRequestRequest(provider, api, repository, number),
        provider,
        repository,
        branch: target.branch,
        base: observed.defaultBranch,
        number,
        title: target.title,
        body: target.body,
      });
    }
  }
  for (const secret of target.secrets) {
    const state = observed.secrets[secret.name] ?? "absent";
    if (state === "present") continue;
    const organization = provider === "github" && target.secretScope === "organization";
    if (state === "not-selected" && provider === "github" && observed.repositoryId !== null) {
      steps.push({
        kind: "org-secret-repository",
        request: orgSecretRepositoryRequest(api, repository, secret.name, observed.repositoryId),
        provider,
        repository,
        org: repository.split("/")[0] ?? "",
        name: secret.name,
        repositoryId: observed.repositoryId,
      });
      continue;
    }
    steps.push({
      kind: "ci-secret",
      request: ciSecretRequest(provider, api, repository, secret.name, organization ? "organization" : "repository"),
      provider,
      repository,
      name: secret.name,
      env: secret.env,
      scope: organization ? "organization" : "repository",
      ...(organization && observed.repositoryId !== null ? { repositoryId: observed.repositoryId } : {}),
    });
  }
  if (provider === "bitbucket" && observed.pipelinesEnabled === false) {
    steps.push({ kind: "enable-pipelines", request: enablePipelinesRequest(api, repository), provider, repository });
  }
  return steps;
}
