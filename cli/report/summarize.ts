/** The counts of a retirement report, derived from its namespaces and owners (after a build or a merge). Pure. */
import type { ReportManualStep, ReportNamespace, ReportOwner, ReportSummary } from "./model.js";

/** Counts every link, grant, artifact, manual step and org access of the report. */
export function summarize(namespaces: readonly ReportNamespace[], owners: readonly ReportOwner[]): ReportSummary {
  const s: ReportSummary = {
    links: { linked: 0, disabled: 0, revoked: 0, absent: 0, unknown: 0 },
    grants: { active: 0, revoked: 0, unverifiable: 0 },
    artifacts: { "in-use": 0, leftover: 0, orphaned: 0 },
    manualSteps: { open: 0, done: 0 },
    orgAccess: { granted: 0, denied: 0, requested: 0, unknown: 0 },
    retired: false,
  };
  let liveRecords = 0;
  const countSteps = (steps: readonly ReportManualStep[]): void => {
    for (const step of steps) s.manualSteps[step.status === "open" ? "open" : "done"]++;
  };
  for (const ns of namespaces) {
    for (const link of ns.links) {
      s.links[link.observedState]++;
      s.grants[link.providerGrant]++;
      if (link.observedState === "linked" || link.observedState === "disabled") liveRecords++;
      for (const old of link.superseded) {
        s.grants[old.providerGrant]++;
        if (old.state !== "revoked") liveRecords++;
      }
      countSteps(link.manualSteps);
    }
  }
  for (const owner of owners) {
    for (const artifact of owner.artifacts) s.artifacts[artifact.state]++;
    if (owner.orgAccess) {
      s.orgAccess[owner.orgAccess.observed]++;
      countSteps(owner.orgAccess.manualSteps);
    }
  }
  s.retired =
    liveRecords === 0 &&
    s.grants.active === 0 &&
    s.artifacts["in-use"] + s.artifacts.leftover + s.artifacts.orphaned === 0 &&
    s.manualSteps.open === 0;
  return s;
}
