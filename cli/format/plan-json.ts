/**
 * `plan --format json`: the stable, documented plan (schema/plan.schema.json, `apiVersion:
 * sourcelinks.plan/v1`). Every field is written out explicitly rather than spread from the internal
 * types, so an additive change inside the planner cannot change this output by accident.
 */
import type { SourceLocation } from "../../engine/config/loaded-config.js";
import type { KeptItem } from "../../engine/model/plan.js";
import type { ObservedLink, ObservedOrgAccess } from "../../engine/model/observed.js";
import type { ManualStep } from "../../engine/model/manual-step.js";
import type { CarriedOver } from "../../engine/model/replacement.js";
import type { SweepObservation, SweepRefresh, SweptArtifact } from "../../engine/model/sweep.js";
import { entryDesired } from "./entry-labels.js";
import type { HeldLinkEntry, PlanRun, PlannedBuildEntry, PlannedEntry } from "../../engine/reconcile/run/entries.js";
import { countSteps, entriesOf, summarize, type PlanCounts, type PlanSummary } from "./plan-summary.js";
import { describeKept, describeStep, isApiStep, manualStepsOf, type ApiStep, type StepCategory } from "./steps.js";
import { stepKind } from "../../engine/reconcile/steps/registry.js";

/** The `apiVersion` of the JSON plan; bumped only on an incompatible change. */
export const PLAN_API_VERSION = "sourcelinks.plan/v1";

/**
 * One API step as the JSON plan shows it: `kind`…`request`, then the fields its kind lists
 * (engine/reconcile/steps/, `json`), which schema/plan.schema.json documents per kind.
 */
export interface PlanStepJson {
  kind: ApiStep["kind"];
  category: Exclude<StepCategory, "manual">;
  description: string;
  request: { method: string; url: string };
  [field: string]: unknown;
}

/** The observed state of a link, summarized (no token, no secret: only ids, URLs and flags). */
export interface ObservedLinkJson {
  state: string;
  linkId: string | null;
  account: string | null;
  team: string | null;
  serviceAccount: boolean | null;
  providerGrant: string;
  repositories: {
    repository: string;
    exists: boolean;
    webhooks: { id: string; url: string; active: boolean; hasSecret: boolean; insecureSsl: boolean }[];
    deployKeys: { id: string; title: string }[];
    foreignWebhookCount: number;
  }[];
  supersededLinks: { linkId: string; account: string; state: string; providerGrant: string }[];
}

/** What a replacement build's repository holds of its proposal, and the verdict on each of its builds. */
export interface ObservedBuildJson {
  provider: string;
  repository: string;
  path: string;
  state: string;
  defaultBranch: string;
  branch: string;
  pullRequest: { number: number; url: string; state: string } | null;
  /** Why the proposal is held back (its branch holds commits sourcelinks did not write; apply writes nothing for it), else null. */
  held: string | null;
  builds: { image: string; state: string; reason: string | null; carriedOver?: CarriedOver }[];
  /** Set when this observation is an earlier run's, carried over: only the branches' heads were read. */
  carriedOver?: CarriedOver;
}

/** A revoked link's revoke steps kept back until its replacement builds are verified. */
export interface HeldJson {
  link: string;
  location: SourceLocation | null;
  steps: PlanStepJson[];
  builds: { image: string; repository: string; reason: string; location: SourceLocation | null }[];
}

/** The observed state of an org's third-party access. */
export interface ObservedOrgJson {
  access: string;
  observedVia: string;
}

/** What a sweep found: every build-service artifact of the owner, classified. */
export interface ObservedSweepJson {
  provider: string;
  owner: string;
  repositoriesSwept: number;
  repositoriesExcluded: number;
  foreignWebhookCount: number;
  /** Only public repositories could be listed: the owner's private ones were not swept. */
  publicOnly?: true;
  /** How the owner was read (full and why, incremental from the audit log, rolling). */
  refresh?: SweepRefresh;
  artifacts: Pick<SweptArtifact, "kind" | "repository" | "id" | "target" | "archived" | "classification" | "links">[];
}

/** One resource of the JSON plan. */
export interface PlanResourceJson {
  resource: "link" | "orgAccess" | "sweep" | "build";
  name: string;
  location: SourceLocation | null;
  /** The declared state: `linked | disabled | revoked`, `granted | denied`, or `no-orphans` for a sweep. */
  desired: string;
  hasChanges: boolean;
  counts: PlanCounts;
  observed: ObservedLinkJson | ObservedOrgJson | ObservedSweepJson | ObservedBuildJson;
  steps: PlanStepJson[];
  manualSteps: ManualStep[];
  /** Manual steps the YAML records as done by hand (left out of `manualSteps`). */
  manualStepsDone: { id: string; done: string; by: string }[];
  /** Manual steps the YAML records as done whose effect the run observed otherwise (left out of `manualSteps`). */
  manualStepsObservedOtherwise: { id: string; done: string; by: string; observed: string }[];
  /** What a revocation keeps on purpose because other live links use it. */
  kept: (KeptItem & { description: string })[];
  /** Steps this resource needs that another resource's steps send, once. */
  sentBy: { kind: ApiStep["kind"]; description: string; request: { method: string; url: string }; by: string }[];
}

/** The whole JSON plan. */
export interface PlanJson {
  apiVersion: typeof PLAN_API_VERSION;
  files: string[];
  summary: PlanSummary;
  resources: PlanResourceJson[];
  /** Absent when no revocation is held back. */
  held?: HeldJson[];
}

/** The JSON plan as a value. */
export function planToJson(run: PlanRun): PlanJson {
  return {
    apiVersion: PLAN_API_VERSION,
    files: run.files,
    summary: summarize(run),
    resources: entriesOf(run).map(resourceJson),
    ...(run.held === undefined ? {} : { held: run.held.map(heldJson) }),
  };
}

/** `plan --format json` output. */
export function formatPlanJson(run: PlanRun): string {
  return `${JSON.stringify(planToJson(run), null, 2)}\n`;
}

function resourceJson(entry: PlannedEntry): PlanResourceJson {
  const counts = countSteps(entry);
  return {
    resource: entry.resource,
    name: entry.plan.name,
    location: entry.location ?? null,
    desired: entryDesired(entry),
    hasChanges: counts.apiSteps > 0,
    counts,
    observed:
      entry.resource === "link"
        ? observedLinkJson(entry.observed)
        : entry.resource === "sweep"
          ? observedSweepJson(entry.observed)
          : entry.resource === "build"
            ? observedBuildJson(entry)
            : observedOrgJson(entry.observed),
    steps: entry.plan.steps.filter(isApiStep).map(stepJson),
    manualSteps: manualStepsOf(entry.plan.steps).map((m) => ({ id: m.id, summary: m.summary, uiPath: m.uiPath, url: m.url })),
    manualStepsDone: (entry.doneByHand ?? []).map((d) => ({ id: d.step.id, done: d.done, by: d.by })),
    manualStepsObservedOtherwise: (entry.observedOtherwise ?? []).map((d) => ({
      id: d.step.id,
      done: d.done,
      by: d.by,
      observed: d.observed,
    })),
    kept: (entry.plan.kept ?? []).map(keptJson),
    sentBy: (entry.plan.sentBy ?? []).flatMap(({ step, by }) =>
      isApiStep(step) ? [{ kind: step.kind, description: describeStep(step), request: { ...step.request }, by }] : [],
    ),
  };
}

function observedBuildJson(entry: PlannedBuildEntry): ObservedBuildJson {
  const o = entry.observed;
  return {
    provider: o.provider,
    repository: o.repository,
    path: o.path,
    state: o.state,
    defaultBranch: o.defaultBranch,
    branch: o.branch,
    pullRequest: o.pullRequest === null ? null : { number: o.pullRequest.number, url: o.pullRequest.url, state: o.pullRequest.state },
    held: o.held,
    builds: entry.verdicts.map((v) => ({
      image: v.image,
      state: v.state,
      reason: v.reason,
      ...(v.carriedOver === undefined ? {} : { carriedOver: carriedOverJson(v.carriedOver) }),
    })),
    ...(o.carriedOver === undefined ? {} : { carriedOver: carriedOverJson(o.carriedOver) }),
  };
}

function carriedOverJson(c: CarriedOver): CarriedOver {
  return { verifiedAt: c.verifiedAt, branch: c.branch, headSha: c.headSha };
}

function heldJson(held: HeldLinkEntry): HeldJson {
  return {
    link: held.link,
    location: held.location ?? null,
    steps: held.steps.filter(isApiStep).map(stepJson),
    builds: held.builds.map((b) => ({ image: b.image, repository: b.repository, reason: b.reason, location: b.location ?? null })),
  };
}

function stepJson(step: ApiStep): PlanStepJson {
  const kind = stepKind(step);
  return {
    kind: step.kind,
    category: kind.category,
    description: kind.describe(step, { showTargets: true }),
    request: { method: step.request.method, url: step.request.url },
    ...kind.json(step),
  };
}

function keptJson(item: KeptItem): KeptItem & { description: string } {
  const description = describeKept(item);
  switch (item.kind) {
    case "webhook":
      return {
        kind: item.kind,
        description,
        provider: item.provider,
        repository: item.repository,
        hookId: item.hookId,
        url: item.url,
        keptFor: [...item.keptFor],
      };
    case "deploy-key":
      return {
        kind: item.kind,
        description,
        provider: item.provider,
        repository: item.repository,
        keyId: item.keyId,
        title: item.title,
        keptFor: [...item.keptFor],
      };
    case "grant":
      return {
        kind: item.kind,
        description,
        provider: item.provider,
        account: item.account,
        keptFor: [...item.keptFor],
        reason: item.reason ?? "shared",
      };
  }
}

function observedLinkJson(o: ObservedLink): ObservedLinkJson {
  return {
    state: o.state,
    linkId: o.linkId,
    account: o.account,
    team: o.team,
    serviceAccount: o.serviceAccount,
    providerGrant: o.providerGrant,
    repositories: o.repositories.map((r) => ({
      repository: r.repository,
      exists: r.exists,
      webhooks: r.webhooks.map((h) => ({ id: h.id, url: h.url, active: h.active, hasSecret: h.hasSecret, insecureSsl: h.insecureSsl })),
      deployKeys: r.deployKeys.map((k) => ({ id: k.id, title: k.title })),
      foreignWebhookCount: r.foreignWebhookCount,
    })),
    supersededLinks: (o.supersededLinks ?? []).map((s) => ({
      linkId: s.linkId,
      account: s.account,
      state: s.state,
      providerGrant: s.providerGrant,
    })),
  };
}

function observedSweepJson(o: SweepObservation): ObservedSweepJson {
  return {
    provider: o.provider,
    owner: o.owner,
    repositoriesSwept: o.repositoriesSwept,
    repositoriesExcluded: o.repositoriesExcluded,
    foreignWebhookCount: o.foreignWebhookCount,
    ...(o.publicOnly === true ? { publicOnly: true as const } : {}),
    ...(o.refresh === undefined ? {} : { refresh: o.refresh }),
    artifacts: o.artifacts.map((a) => ({
      kind: a.kind,
      repository: a.repository,
      id: a.id,
      target: a.target,
      archived: a.archived,
      classification: a.classification,
      links: [...a.links],
    })),
  };
}

function observedOrgJson(o: ObservedOrgAccess): ObservedOrgJson {
  return { access: o.access, observedVia: o.observedVia };
}
