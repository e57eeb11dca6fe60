/**
 * Observes one replacement build's repository (reads only): the default branch and whether it holds
 * the rendered file, the proposal branch and its file, the pull request from it, the CI secrets and,
 * on Bitbucket, whether Pipelines is on. The result's `state` is `merged` when the default branch
 * holds exactly the rendered bytes, `proposed` while a pull request from the branch is open, else `absent`.
 */
import type { ProposalTarget } from "../builds/proposal.js";
import { branchUse, heldBranchReason } from "../builds/proposal-branch.js";
import type { ReplacementClient } from "../clients/types.js";
import type { ObservedReplacement, ObservedSecretState, ProposalState } from "../model/replacement.js";
import type { OperationContext } from "./context.js";
import { ReconcileError } from "./errors.js";

/** The client a replacement in `provider`'s repositories is read and written through, or the error naming what to configure. */
export function replacementClient(ctx: OperationContext, provider: ProposalTarget["provider"]): ReplacementClient {
  const client = ctx.clients.replacements?.[provider];
  if (!client)
    throw new ReconcileError(
      "missing-client",
      `replacement builds on ${provider} need the ${provider} provider configured (providers.${provider} and its token)`,
    );
  return client;
}

/** Reads what `target`'s repository holds of its proposal. */
export async function observeReplacement(ctx: OperationContext, target: ProposalTarget): Promise<ObservedReplacement> {
  const client = replacementClient(ctx, target.provider);
  const { repository, path, branch } = target;
  const main = await client.defaultBranch(repository);
  const [onDefault, head, pulls] = await Promise.all([
    client.readFile(repository, main.sha, path),
    client.branchCommit(repository, branch),
    client.pullRequests(repository, branch, main.name),
  ]);
  const branchSha = head?.sha ?? null;
  const onBranch = branchSha === null ? null : await client.readFile(repository, branchSha, path);
  const open = pulls.find((p) => p.state === "open") ?? null;
  const merged = onDefault !== null && onDefault.text === target.text;
  const state: ProposalState = merged ? "merged" : open ? "proposed" : "absent";
  const branchCurrent = onBranch !== null && onBranch.text === target.text;
  const use = branchUse({ state, head, branchCurrent, pullRequests: pulls });
  const organization = target.provider === "github" && target.secretScope === "organization";
  // Read only once merged: before that, no run of the file anywhere can verify it.
  const verifyHeads: Record<string, string | null> = {};
  if (merged)
    await Promise.all(
      target.verifyBranches.map(async (name) => {
        verifyHeads[name] = await client.branchHead(repository, name);
      }),
    );
  const [secrets, pipelinesEnabled, repositoryId] = await Promise.all([
    secretStates(client, target, organization),
    target.provider === "bitbucket" ? client.pipelinesEnabled(repository) : Promise.resolve(null),
    organization ? client.repositoryId(repository) : Promise.resolve(null),
  ]);
  return {
    provider: target.provider,
    repository,
    images: target.images,
    path,
    state,
    defaultBranch: main.name,
    defaultSha: main.sha,
    verifyHeads,
    branch,
    branchSha,
    branchCurrent,
    pullRequest: open ?? pulls[0] ?? null,
    held: use === "hold" ? heldBranchReason(repository, branch) : null,
    branchUse: use,
    defaultText: onDefault?.text ?? null,
    defaultFileSha: onDefault?.sha ?? null,
    branchFileSha: onBranch?.sha ?? null,
    secrets,
    pipelinesEnabled,
    repositoryId,
  };
}

async function secretStates(
  client: ReplacementClient,
  target: ProposalTarget,
  organization: boolean,
): Promise<Record<string, ObservedSecretState>> {
  const out: Record<string, ObservedSecretState> = {};
  if (target.secrets.length === 0) return out;
  if (!organization) {
    const names = new Set((await client.secretNames(target.repository)).map((n) => n.toUpperCase()));
    for (const s of target.secrets) out[s.name] = names.has(s.name.toUpperCase()) ? "present" : "absent";
    return out;
  }
  const access = await Promise.all(target.secrets.map((s) => client.orgSecret(target.repository, s.name)));
  target.secrets.forEach((s, i) => {
    const a = access[i]!;
    out[s.name] = !a.exists ? "absent" : a.selected ? "present" : "not-selected";
  });
  return out;
}
