/**
 * The pure planner of one link (docs/identity-and-sharing.md): from the declared spec, this run's observation and plain
 * settings to the ordered steps, each carrying the exact request it will send (built by its kind,
 * steps/, which the executor checks it against and the clients send as it is). No client is involved.
 * It never plans a step for something this run did not observe.
 */
import type { LinkSpec } from "../model/spec.js";
import { addLinkRepositoryRequest } from "./steps/add-repository.js";
import { deleteDeployKeyRequest } from "./steps/delete-deploy-key.js";
import { deleteWebhookRequest } from "./steps/delete-webhook.js";
import { createLinkRequest } from "./steps/link.js";
import { revokeGrantRequest } from "./steps/revoke-grant.js";
import { setLinkStateRequest } from "./steps/set-state.js";
import { unlinkRequest } from "./steps/unlink.js";
import { type GrantFacts, appName, primaryRetires, relinkKeepsGrant, retireGrant } from "./grant-policy.js";
import { dockerHubDisableStep, dockerHubLinkSteps, dockerHubUnlinkStep, revokeGrantStep } from "./manual-steps.js";
import type { KeptItem } from "../model/plan.js";
import type { PlanStep, ResourcePlan } from "./steps/plan-step.js";
import { isLive, type ObservedLink } from "../model/observed.js";
import type { PlanSettings } from "./plan-settings.js";
import { providerApiUrl } from "./provider-client.js";
import { CREATED_LINK_PLACEHOLDER } from "./steps/support.js";

export { CREATED_LINK_PLACEHOLDER } from "./steps/support.js";

/** A build-service record to retire: unlink it when live, and deal with its account's grant first. */
interface Retiree extends GrantFacts {
  linkId: string;
  live: boolean;
}

/** Plans the steps that bring the live link to `spec`; an empty `steps` means nothing to do. */
export function planLink(spec: LinkSpec, observed: ObservedLink, settings: PlanSettings): ResourcePlan {
  const bs = settings.apis.buildService;
  const kept: KeptItem[] = [];
  const steps: PlanStep[] =
    bs === null || observed.state === "unknown"
      ? planWithoutBuildServiceApi(spec, observed, settings, kept)
      : spec.state === "revoked"
        ? [...retireSteps(spec, retirees(spec, observed), bs, settings, kept), ...leftoverSteps(spec, observed, settings, kept)]
        : [
            ...relinkSteps(spec, observed, bs),
            ...linkSteps(spec, observed, bs),
            ...retireSteps(spec, retirees(spec, observed), bs, settings, kept),
          ];
  const plan: ResourcePlan = { resource: "link", name: spec.name, steps };
  if (kept.length > 0) plan.kept = kept;
  return plan;
}

/**
 * Whether the live link of the declared account is broken: its provider grant is observed revoked (by
 * this tool, its user, or an org), so the build service holds a dead token and cannot build.
 */
export function isBrokenLink(spec: LinkSpec, observed: ObservedLink): boolean {
  const live = isLive(observed.state);
  return (
    spec.state !== "revoked" &&
    live &&
    observed.linkId !== null &&
    observed.account === spec.account &&
    observed.providerGrant === "revoked"
  );
}

/** A broken link is unlinked, then linked anew (`linkSteps`), which makes the build service ask for a new grant. */
function relinkSteps(spec: LinkSpec, observed: ObservedLink, bs: string): PlanStep[] {
  if (!isBrokenLink(spec, observed) || observed.linkId === null) return [];
  return [
    { kind: "unlink", request: unlinkRequest(bs, spec.namespace, observed.linkId), namespace: spec.namespace, linkId: observed.linkId },
  ];
}

/** `linked`/`disabled`: create the declared account's link when none is live (or it is broken), then set its state. */
function linkSteps(spec: LinkSpec, observed: ObservedLink, bs: string): PlanStep[] {
  const desired = spec.state === "disabled" ? "disabled" : "linked";
  const live = isLive(observed.state);
  if (live && observed.account === spec.account && observed.linkId !== null && !isBrokenLink(spec, observed)) {
    const missing = missingRepositories(spec, observed.recordRepositories);
    const repositories = repositorySteps(spec, bs, observed.linkId, missing);
    if (observed.state === desired) return repositories;
    return [
      {
        kind: "set-state",
        request: setLinkStateRequest(bs, spec.namespace, observed.linkId),
        namespace: spec.namespace,
        linkId: observed.linkId,
        state: desired,
      },
      ...repositories,
    ];
  }
  const steps: PlanStep[] = [
    {
      kind: "link",
      request: createLinkRequest(bs, spec.namespace),
      namespace: spec.namespace,
      provider: spec.provider,
      account: spec.account,
      team: spec.team ?? null,
      serviceAccount: spec.serviceAccount,
    },
  ];
  // A new link starts enabled (the reference contract's POST has no state).
  if (desired === "disabled") {
    steps.push({
      kind: "set-state",
      request: setLinkStateRequest(bs, spec.namespace, CREATED_LINK_PLACEHOLDER),
      namespace: spec.namespace,
      linkId: "",
      state: "disabled",
    });
  }
  // A new link lists no autobuild repositories (a relinked team's included): set every declared one.
  steps.push(...repositorySteps(spec, bs, "", spec.repositories));
  return steps;
}

/**
 * The declared repositories the live record does not list (compared case-insensitively, as providers
 * treat names); none when the record's list was not read. Extra repositories on the record are left alone.
 */
function missingRepositories(spec: LinkSpec, recorded: readonly string[] | undefined): string[] {
  if (recorded === undefined) return [];
  const listed = new Set(recorded.map((r) => r.toLowerCase()));
  return spec.repositories.filter((r) => !listed.has(r.toLowerCase()));
}

/** One `add-repository` step per repository; an empty `linkId` targets the link the preceding `link` step creates. */
function repositorySteps(spec: LinkSpec, bs: string, linkId: string, repositories: readonly string[]): PlanStep[] {
  return repositories.map((repository) => ({
    kind: "add-repository" as const,
    request: addLinkRepositoryRequest(bs, spec.namespace, linkId === "" ? CREATED_LINK_PLACEHOLDER : linkId, repository),
    namespace: spec.namespace,
    linkId,
    provider: spec.provider,
    repository,
  }));
}

/** The records to retire: the representative one when the link is revoked or moved off its account, and every superseded one. */
function retirees(spec: LinkSpec, observed: ObservedLink): Retiree[] {
  const out: Retiree[] = [];
  if (observed.linkId !== null && observed.account !== null && primaryRetires(spec, observed)) {
    out.push({
      linkId: observed.linkId,
      live: isLive(observed.state),
      provider: spec.provider,
      account: observed.account,
      grant: observed.providerGrant,
      held: observed.grantHeld ?? false,
      sharedWith: observed.grantSharedWith ?? [],
    });
  }
  for (const old of observed.supersededLinks ?? []) {
    out.push({
      linkId: old.linkId,
      live: isLive(old.state),
      provider: spec.provider,
      account: old.account,
      grant: old.providerGrant,
      held: old.grantHeld,
      sharedWith: old.grantSharedWith,
    });
  }
  return out;
}

/**
 * Per record: (1) the grant, while the build service still holds the token that identifies it (so
 * before unlinking), by API when possible, else a manual step; never when another live link uses the
 * same account; (2) unlink when live. A crash between the two leaves a live link whose grant is gone,
 * which the next run observes and unlinks.
 */
function retireSteps(spec: LinkSpec, records: readonly Retiree[], bs: string, settings: PlanSettings, kept: KeptItem[]): PlanStep[] {
  const steps: PlanStep[] = [];
  for (const record of records) {
    if (relinkKeepsGrant(spec)) {
      if (record.grant !== "revoked" && !kept.some((k) => k.kind === "grant" && k.account === record.account))
        kept.push({ kind: "grant", provider: record.provider, account: record.account, keptFor: [...record.sharedWith], reason: "relink" });
      if (record.live) steps.push(unlinkStep(spec, bs, record.linkId));
      continue;
    }
    const { plan } = retireGrant(settings, record);
    if (
      record.sharedWith.length > 0 &&
      record.grant !== "revoked" &&
      !kept.some((k) => k.kind === "grant" && k.account === record.account)
    ) {
      kept.push({ kind: "grant", provider: record.provider, account: record.account, keptFor: [...record.sharedWith], reason: "shared" });
    }
    if (plan === "api") {
      // `api` only when settings.githubGrantsByApi: GitHub configured and the app's client id declared.
      const clientId = settings.buildService.oauthApps.github!.clientId;
      steps.push({
        kind: "revoke-grant",
        request: revokeGrantRequest(settings.apis.github!, clientId),
        provider: record.provider,
        account: record.account,
        clientId,
        namespace: spec.namespace,
        linkId: record.linkId,
      });
    } else if (plan !== null && !steps.some((s) => s.kind === "manual" && s.step.id === plan.id)) {
      steps.push({ kind: "manual", step: plan });
    }
    if (record.live) steps.push(unlinkStep(spec, bs, record.linkId));
  }
  return steps;
}

function unlinkStep(spec: LinkSpec, bs: string, linkId: string): PlanStep {
  return { kind: "unlink", request: unlinkRequest(bs, spec.namespace, linkId), namespace: spec.namespace, linkId };
}

/**
 * Deletes of the build service's observed webhooks and deploy keys per `onRevoke`; foreign webhooks are
 * never planned, and on a repository another live link builds from (`coveredBy`) they are kept.
 */
function leftoverSteps(spec: LinkSpec, observed: ObservedLink, settings: PlanSettings, kept: KeptItem[]): PlanStep[] {
  const wantsHooks = spec.onRevoke.webhooks === "delete";
  const wantsKeys = spec.onRevoke.deployKeys === "delete";
  if (!wantsHooks && !wantsKeys) return [];
  const api = providerApiUrl(settings, spec.provider);
  const hooks: PlanStep[] = [];
  const keys: PlanStep[] = [];
  for (const repo of observed.repositories) {
    if (!repo.exists) continue;
    if (repo.coveredBy !== undefined && repo.coveredBy.length > 0) {
      const keptFor = repo.coveredBy;
      const { repository } = repo;
      for (const hook of repo.webhooks)
        kept.push({ kind: "webhook", provider: spec.provider, repository, hookId: hook.id, url: hook.url, keptFor: [...keptFor] });
      for (const key of repo.deployKeys)
        kept.push({ kind: "deploy-key", provider: spec.provider, repository, keyId: key.id, title: key.title, keptFor: [...keptFor] });
      continue;
    }
    if (wantsHooks) {
      for (const hook of repo.webhooks) {
        // Observations only keep the service's webhooks; checking again keeps a foreign one out of any plan.
        if (!settings.webhooks.matchesAny(hook.url)) continue;
        hooks.push({
          kind: "delete-webhook",
          request: deleteWebhookRequest(spec.provider, api, repo.repository, hook.id),
          provider: spec.provider,
          repository: repo.repository,
          hookId: hook.id,
          url: hook.url,
        });
      }
    }
    if (wantsKeys) {
      for (const key of repo.deployKeys) {
        if (!settings.deployKeys.matchesAny(key.title)) continue;
        keys.push({
          kind: "delete-deploy-key",
          request: deleteDeployKeyRequest(spec.provider, api, repo.repository, key.id),
          provider: spec.provider,
          repository: repo.repository,
          keyId: key.id,
          title: key.title,
        });
      }
    }
  }
  return [...hooks, ...keys];
}

/** `docker-hub`: the link side is manual; webhooks and deploy keys still go through the providers' APIs. */
function planWithoutBuildServiceApi(spec: LinkSpec, observed: ObservedLink, settings: PlanSettings, kept: KeptItem[]): PlanStep[] {
  if (spec.state === "linked") return dockerHubLinkSteps(spec).map((step) => ({ kind: "manual", step }));
  if (spec.state === "disabled") return [{ kind: "manual", step: dockerHubDisableStep(spec.namespace, spec.provider, spec.account) }];
  return [
    { kind: "manual", step: dockerHubUnlinkStep(spec.namespace, spec.provider, spec.account) },
    { kind: "manual", step: revokeGrantStep(spec.provider, spec.account, appName(settings, spec.provider)) },
    ...leftoverSteps(spec, observed, settings, kept),
  ];
}
