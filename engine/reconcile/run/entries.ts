/**
 * The entries of one run over a whole config: every declared link, org access entry and sweep with what
 * was observed of it, then with its plan. What `plan`, `apply`, `check --live` and `report` share.
 */
import type { SourceLocation } from "../../config/loaded-config.js";
import type { DoneByHand, RecordedButObservedOtherwise } from "../../model/manual-step.js";
import type { ObservedLink, ObservedOrgAccess } from "../../model/observed.js";
import type { ResourcePlan } from "../steps/plan-step.js";
import type { LinkSpec, OrgAccessSpec, SweepSpec } from "../../model/spec.js";
import type { SweepObservation } from "../../model/sweep.js";
import type { ProposalTarget } from "../../builds/proposal.js";
import type { ObservedReplacement } from "../../model/replacement.js";
import type { ReplacementVerdict } from "../../model/replacement-run.js";

/** One declared link with what was observed of it. */
export interface ObservedLinkEntry {
  resource: "link";
  /** JSON pointer of the link in the merged config, e.g. `/links/0`. */
  pointer: string;
  location: SourceLocation | undefined;
  spec: LinkSpec;
  observed: ObservedLink;
}

/** One declared org access entry with what was observed of it. */
export interface ObservedOrgEntry {
  resource: "orgAccess";
  pointer: string;
  location: SourceLocation | undefined;
  spec: OrgAccessSpec;
  observed: ObservedOrgAccess;
}

/** One declared sweep with what it found. */
export interface ObservedSweepEntry {
  resource: "sweep";
  pointer: string;
  location: SourceLocation | undefined;
  spec: SweepSpec;
  observed: SweepObservation;
}

/** One replacement build's proposal (one rendered CI file) with what its repository holds of it. */
export interface ObservedBuildEntry {
  resource: "build";
  /** JSON pointer of the file's first build in the merged config, e.g. `/builds/0`. */
  pointer: string;
  location: SourceLocation | undefined;
  target: ProposalTarget;
  observed: ObservedReplacement;
  /** The verdict on each build the file builds, in `target.images` order. */
  verdicts: ReplacementVerdict[];
}

/** Everything observed for a config. */
export interface Observation {
  links: ObservedLinkEntry[];
  orgs: ObservedOrgEntry[];
  sweeps: ObservedSweepEntry[];
  /** Each declared build's proposal; absent when the config declares none (or retires each on purpose). */
  builds?: ObservedBuildEntry[];
  /** The verdict on every declared build not retired on purpose, by `buildKey`; absent with `builds`. */
  verdicts?: ReadonlyMap<string, ReplacementVerdict>;
  /**
   * The build service's live (linked or disabled) link ids in every namespace a declared link names, from
   * the records the links' observation listed; empty where the build service has no link API (docker-hub).
   */
  liveLinkIds: ReadonlySet<string>;
}

/** A planned link: its observation plus the steps that would converge it. */
export interface PlannedLinkEntry extends ObservedLinkEntry {
  plan: ResourcePlan;
  /** Manual steps of the plan that the YAML records as done by a person (left out of `plan`). */
  doneByHand?: DoneByHand[];
  /** Steps the YAML records as done whose effect the run observed otherwise (still in `plan`). */
  observedOtherwise?: RecordedButObservedOtherwise[];
}

/** A planned org access entry. */
export interface PlannedOrgEntry extends ObservedOrgEntry {
  plan: ResourcePlan;
  /** Manual steps of the plan that the YAML records as done by a person (left out of `plan`). */
  doneByHand?: DoneByHand[];
  observedOtherwise?: RecordedButObservedOtherwise[];
}

/** A planned sweep: the deletions of what no live link covers. */
export interface PlannedSweepEntry extends ObservedSweepEntry {
  plan: ResourcePlan;
  doneByHand?: DoneByHand[];
  observedOtherwise?: RecordedButObservedOtherwise[];
}

/** A planned replacement build: the steps that propose its file, set its secrets and switch its CI on. */
export interface PlannedBuildEntry extends ObservedBuildEntry {
  plan: ResourcePlan;
  doneByHand?: DoneByHand[];
  observedOtherwise?: RecordedButObservedOtherwise[];
}

/** Any kind of planned entry. */
export type PlannedEntry = PlannedLinkEntry | PlannedOrgEntry | PlannedSweepEntry | PlannedBuildEntry;

/** One build a held revocation waits for, and why, where it is declared. */
export interface HoldingBuild {
  image: string;
  repository: string;
  reason: string;
  location: SourceLocation | undefined;
}

/** A revoked link whose revoke steps wait for replacement builds that are not verified (rule replacement-before-revocation). */
export interface HeldLinkEntry {
  link: string;
  /** Where the link is declared. */
  location: SourceLocation | undefined;
  /** The steps kept back: every step of the link's plan that sends a request. */
  steps: ResourcePlan["steps"];
  /**
   * The ids of the link's manual steps, which wait as well: they stay in the plan (the person's ledger),
   * but unlinking in Docker Hub or revoking the grant by hand stops the autobuilds just as a request would.
   */
  manualSteps: string[];
  builds: HoldingBuild[];
}

/** The plan of a whole config. */
export interface PlanRun {
  files: string[];
  links: PlannedLinkEntry[];
  orgs: PlannedOrgEntry[];
  /** Absent in runs built before sweeps existed. */
  sweeps?: PlannedSweepEntry[];
  /** The live link ids the observation found (`Observation.liveLinkIds`), which `apply`'s revocation guard counts against. */
  liveLinkIds: ReadonlySet<string>;
  /** Replacement builds, sent before any revocation; absent when the config declares none. */
  builds?: PlannedBuildEntry[];
  /** Revocations kept back until their replacement builds are verified; absent when none is. */
  held?: HeldLinkEntry[];
}
