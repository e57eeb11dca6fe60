/**
 * The retirement report of one run, from what `check --live` observes (every declared link and org
 * access entry, the orgs live links build from that the YAML does not declare) and what the sweeps
 * found. Pure: no request, no clock (the run's date is an input).
 *
 * Artifacts come from two places and are merged by identity (provider, kind, repository, id): the
 * repositories each link's observation read (in use under a linked link; leftover under a revoked,
 * unlinked or disabled one, unless another live link covers the repository) and the sweeps'
 * classification (covered, leftover, orphaned). Where both speak of one artifact, `in-use` wins over
 * `leftover` over `orphaned`: a sweep cannot know every link a run observed.
 */
import type { LinkSpec, OrgAccessSpec, ProviderKind, RecordedManualStep } from "../../engine/model/spec.js";
import type { SweepObservation, SweptArtifactClass } from "../../engine/model/sweep.js";
import type { DoneByHand, ManualStep, RecordedButObservedOtherwise } from "../../engine/model/manual-step.js";
import { dockerHubUnlinkStep, repositoryGoneStep, revokeGrantStep } from "../../engine/reconcile/manual-steps.js";
import { missingRepositorySteps } from "../../engine/reconcile/pending-steps.js";
import { sweepManualSteps } from "../../engine/reconcile/plan-sweep.js";
import { splitRecorded, sweepStepCheck } from "../../engine/reconcile/recorded-steps.js";
import type { ObservedLink, ObservedOrgAccess } from "../../engine/model/observed.js";
import type { BuildSpec } from "../../engine/model/build-spec.js";
import type { ReplacementVerdict } from "../../engine/model/replacement-run.js";
import { continuityOf } from "./continuity.js";
import { daysBetween } from "./days-left.js";
import {
  ARTIFACT_STATES,
  REPORT_API_VERSION,
  RETIREMENT_DATE,
  type ArtifactState,
  type ReportArtifact,
  type ReportBasis,
  type ReportLinkEvidence,
  type ReportLink,
  type ReportManualStep,
  type ReportNamespace,
  type ReportOrgAccess,
  type ReportOwner,
  type RetirementReport,
} from "./model.js";
import { summarize } from "./summarize.js";

/** Everything one run observed, as `check --live` gathers it. */
export interface ReportInput {
  /** The run's date, `YYYY-MM-DD`. */
  asOf: string;
  files: readonly string[];
  links: readonly { spec: LinkSpec; observed: ObservedLink }[];
  orgs: readonly { spec: OrgAccessSpec; observed: ObservedOrgAccess }[];
  /** Orgs a live link builds from that no `orgAccess` entry declares, by login. */
  undeclaredOrgs: ReadonlyMap<string, ObservedOrgAccess>;
  /** What the config's sweeps found (empty without sweeps). */
  sweeps: readonly SweepObservation[];
  /** The manual steps each sweep records as done in the YAML, by sweep name. */
  sweepSteps?: ReadonlyMap<string, readonly RecordedManualStep[]>;
  /** The declared builds and what verification found of each (by `buildKey`), for the Continuity section. */
  continuity?: { builds: readonly BuildSpec[]; verdicts: ReadonlyMap<string, ReplacementVerdict> };
}

/** The report of one run. */
export function buildReport(input: ReportInput): RetirementReport {
  const owners = new OwnerTable();
  const namespaces = new Map<string, ReportLink[]>();

  for (const { spec, observed } of input.links) {
    const link = reportLink(spec, observed);
    namespaces.set(spec.namespace, [...(namespaces.get(spec.namespace) ?? []), link]);
    for (const repository of spec.repositories) owners.get(spec.provider, ownerOf(repository));
    const liveState = observed.state === "unknown" ? spec.state : observed.state;
    for (const repo of observed.repositories) {
      if (!repo.exists) continue;
      owners.get(spec.provider, ownerOf(repo.repository));
      const covering = repo.coveredBy ?? [];
      const state: ArtifactState = liveState === "linked" || covering.length > 0 ? "in-use" : "leftover";
      const links = liveState === "linked" ? [spec.name] : covering.length > 0 ? covering : [spec.name];
      for (const hook of repo.webhooks)
        owners.addArtifact(spec.provider, ownerOf(repo.repository), {
          kind: "repository-webhook",
          repository: repo.repository,
          id: hook.id,
          target: hook.url,
          state,
          links,
          archived: false,
        });
      for (const key of repo.deployKeys)
        owners.addArtifact(spec.provider, ownerOf(repo.repository), {
          kind: "deploy-key",
          repository: repo.repository,
          id: key.id,
          target: key.title,
          state,
          links,
          archived: false,
        });
    }
  }

  for (const { spec, observed } of input.orgs)
    owners.get("github", spec.org).orgAccess = orgAccess(spec.access, observed, spec.manualSteps);
  for (const [org, observed] of input.undeclaredOrgs) {
    const owner = owners.get("github", org);
    owner.orgAccess ??= orgAccess(null, observed, undefined);
  }

  for (const sweep of input.sweeps) {
    const recorded = input.sweepSteps?.get(sweep.name);
    const ledger = splitRecorded(sweepManualSteps(sweep, sweep), recorded, sweepStepCheck(sweep));
    owners.get(sweep.provider, sweep.owner).sweeps.push({
      name: sweep.name,
      repositoriesSwept: sweep.repositoriesSwept,
      repositoriesExcluded: sweep.repositoriesExcluded,
      foreignWebhookCount: sweep.foreignWebhookCount,
      ...(sweep.publicOnly === true ? { publicOnly: true } : {}),
      ...(sweep.refresh === undefined ? {} : { refresh: sweep.refresh }),
      manualSteps: manualSteps(ledger.pending, ledger.doneByHand, ledger.observedOtherwise, recorded),
    });
    for (const a of sweep.artifacts) {
      // An artifact a declared revoked link handles is that link's: name it, not the records it came from.
      const links = a.handledBy !== undefined ? [a.handledBy] : [...a.links];
      owners.addArtifact(a.provider, a.owner, {
        kind: a.kind,
        repository: a.repository,
        id: a.id,
        target: a.target,
        state: SWEEP_STATES[a.classification],
        links,
        archived: a.archived,
      });
    }
  }

  const nsList: ReportNamespace[] = [...namespaces]
    .map(([namespace, links]) => ({ namespace, links: [...links].sort(byName) }))
    .sort((a, b) => compare(a.namespace, b.namespace));
  const ownerList = owners.list();
  return {
    apiVersion: REPORT_API_VERSION,
    asOf: input.asOf,
    retirementDate: RETIREMENT_DATE,
    daysLeft: daysBetween(input.asOf, RETIREMENT_DATE),
    sources: [{ asOf: input.asOf, files: [...input.files] }],
    summary: summarize(nsList, ownerList),
    namespaces: nsList,
    owners: ownerList,
    ...(input.continuity === undefined || input.continuity.builds.length === 0
      ? {}
      : { continuity: continuityOf(input.continuity.builds, input.continuity.verdicts) }),
  };
}

const SWEEP_STATES: Record<SweptArtifactClass, ArtifactState> = { covered: "in-use", leftover: "leftover", orphaned: "orphaned" };

function reportLink(spec: LinkSpec, observed: ObservedLink): ReportLink {
  // Only steps recorded and still standing (not observed otherwise) count as recorded by hand.
  const recordedIds = new Set((observed.manualStepsDoneByHand ?? []).map((d) => d.step.id));
  return {
    name: spec.name,
    provider: spec.provider,
    account: observed.account ?? spec.account,
    team: observed.team ?? spec.team ?? null,
    declaredState: spec.state,
    observedState: observed.state,
    providerGrant: observed.providerGrant,
    repositories: [...new Set([...spec.repositories, ...observed.repositories.map((r) => r.repository)])],
    superseded: (observed.supersededLinks ?? []).map((s) => ({
      linkId: s.linkId,
      account: s.account,
      state: s.state,
      providerGrant: s.providerGrant,
    })),
    manualSteps: manualSteps(
      observed.pendingManualSteps,
      observed.manualStepsDoneByHand,
      observed.manualStepsObservedOtherwise,
      spec.manualSteps,
    ),
    unobservedRepositories: missingRepositorySteps(spec, observed)
      .filter((step) => !recordedIds.has(step.id))
      .map((step) => repositoryOfStep(spec, observed, step.id)),
    evidence: spec.state === "revoked" ? evidenceOf(spec, observed, recordedIds) : null,
  };
}

/** The declared repository a `repository-gone` step names. */
function repositoryOfStep(spec: LinkSpec, observed: ObservedLink, id: string): string {
  return observed.repositories.find((r) => repositoryGoneStep(spec.provider, r.repository).id === id)?.repository ?? id;
}

/**
 * How each side of a revoked link's revocation is known. Unlinked: the build service shows no live
 * record (`api`); on docker-hub, whose state is unknown, only the unlink step recorded by hand. Grant:
 * observed revoked (`api`), or its revoke step recorded by hand where no API can check it.
 */
function evidenceOf(spec: LinkSpec, observed: ObservedLink, recordedIds: ReadonlySet<string>): ReportLinkEvidence {
  const account = observed.account ?? spec.account;
  const unlinked: ReportBasis =
    observed.state === "revoked" || observed.state === "absent"
      ? "api"
      : observed.state === "unknown" && recordedIds.has(dockerHubUnlinkStep(spec.namespace, spec.provider, spec.account).id)
        ? "recorded"
        : "not-proven";
  const grantRevoked: ReportBasis =
    observed.providerGrant === "revoked"
      ? "api"
      : observed.providerGrant === "unverifiable" && recordedIds.has(revokeGrantStep(spec.provider, account, "").id)
        ? "recorded"
        : "not-proven";
  return { unlinked, grantRevoked };
}

function orgAccess(
  declared: ReportOrgAccess["declared"],
  observed: ObservedOrgAccess,
  recorded: readonly RecordedManualStep[] | undefined,
): ReportOrgAccess {
  return {
    declared,
    observed: observed.access,
    observedVia: observed.observedVia,
    manualSteps: manualSteps(observed.pendingManualSteps, observed.manualStepsDoneByHand, observed.manualStepsObservedOtherwise, recorded),
  };
}

/**
 * One entry's ledger: open steps, then the recorded ones the run observed otherwise, then those done by
 * hand, then recorded steps the run no longer produces (`not-needed`: verified since, or moot).
 */
export function manualSteps(
  pending: readonly ManualStep[],
  doneByHand: readonly DoneByHand[] | undefined,
  observedOtherwise: readonly RecordedButObservedOtherwise[] | undefined,
  recorded: readonly RecordedManualStep[] | undefined,
): ReportManualStep[] {
  const text = (step: ManualStep): Pick<ReportManualStep, "summary" | "uiPath" | "url"> =>
    step.summary === "" ? { summary: null, uiPath: null, url: null } : { summary: step.summary, uiPath: step.uiPath, url: step.url };
  const open = pending.map((s): ReportManualStep => ({ id: s.id, ...text(s), status: "open", done: null, by: null, observed: null }));
  const otherwise = (observedOtherwise ?? []).map(
    (d): ReportManualStep => ({
      id: d.step.id,
      ...text(d.step),
      status: "observed-otherwise",
      done: d.done,
      by: d.by,
      observed: d.observed,
    }),
  );
  const done = (doneByHand ?? []).map(
    (d): ReportManualStep => ({ id: d.step.id, ...text(d.step), status: "done", done: d.done, by: d.by, observed: null }),
  );
  const listed = new Set([...otherwise, ...done].map((s) => s.id));
  const notNeeded = (recorded ?? [])
    .filter((r) => !listed.has(r.id))
    .map(
      (r): ReportManualStep => ({
        id: r.id,
        summary: null,
        uiPath: null,
        url: null,
        status: "not-needed",
        done: r.done,
        by: r.by,
        observed: null,
      }),
    );
  return [...open, ...otherwise, ...done, ...notNeeded];
}

/** The owner part of `owner/name` or `workspace/slug`. */
function ownerOf(repository: string): string {
  return repository.split("/")[0] ?? repository;
}

/** Owners by provider and login (GitHub and Bitbucket compare logins case-insensitively), each artifact once. */
class OwnerTable {
  readonly #owners = new Map<string, ReportOwner>();
  readonly #artifacts = new Map<string, ReportArtifact>();

  get(provider: ProviderKind, owner: string): ReportOwner {
    const key = `${provider}:${owner.toLowerCase()}`;
    let entry = this.#owners.get(key);
    if (!entry) {
      entry = { provider, owner, orgAccess: null, sweeps: [], artifacts: [] };
      this.#owners.set(key, entry);
    }
    return entry;
  }

  addArtifact(provider: ProviderKind, owner: string, artifact: ReportArtifact): void {
    const key = artifactKey(provider, owner, artifact);
    const seen = this.#artifacts.get(key);
    if (seen) {
      mergeArtifactInto(seen, artifact);
      return;
    }
    const copy = { ...artifact, links: [...artifact.links] };
    this.#artifacts.set(key, copy);
    this.get(provider, owner).artifacts.push(copy);
  }

  list(): ReportOwner[] {
    return [...this.#owners.values()]
      .map((o) => ({ ...o, artifacts: sortArtifacts(o.artifacts) }))
      .sort((a, b) => compare(a.provider, b.provider) || compare(a.owner.toLowerCase(), b.owner.toLowerCase()));
  }
}

/** The identity of an artifact across links, sweeps and shards (an org's own webhook has no repository, only its owner). */
export function artifactKey(provider: ProviderKind, owner: string, a: Pick<ReportArtifact, "kind" | "repository" | "id">): string {
  return `${provider}|${owner.toLowerCase()}|${a.kind}|${(a.repository ?? "").toLowerCase()}|${a.id}`;
}

/** Folds `other` into `into`: the stronger state (`in-use` > `leftover` > `orphaned`), every link that names it. */
export function mergeArtifactInto(into: ReportArtifact, other: ReportArtifact): void {
  if (ARTIFACT_STATES.indexOf(other.state) < ARTIFACT_STATES.indexOf(into.state)) into.state = other.state;
  into.links = [...new Set([...into.links, ...other.links])].sort();
  into.archived = into.archived || other.archived;
}

/** Artifacts by state, then repository, kind and id. */
export function sortArtifacts(artifacts: readonly ReportArtifact[]): ReportArtifact[] {
  return [...artifacts].sort(
    (a, b) =>
      ARTIFACT_STATES.indexOf(a.state) - ARTIFACT_STATES.indexOf(b.state) ||
      compare(a.repository ?? "", b.repository ?? "") ||
      compare(a.kind, b.kind) ||
      compare(a.id, b.id),
  );
}

function byName(a: { name: string }, b: { name: string }): number {
  return compare(a.name, b.name);
}

/** Code-point order: the same on every machine (no locale). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
