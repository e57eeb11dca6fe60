/**
 * The counts of a retirement report and whether retirement is proven, derived from its namespaces and
 * owners (after a build or a merge). Pure.
 *
 * Retired means proven: no live link (a link declared linked or disabled whose state cannot be observed,
 * as on docker-hub, counts as live), every revoked link unlinked and its grant revoked (verified by API,
 * or recorded by hand where no API can tell), no active grant, no build-service webhook or deploy key,
 * every declared repository observed, every owner that holds a revoked link's repositories swept, no
 * open manual step, and no step recorded done that the run observes otherwise.
 */
import { isLive } from "../../engine/model/observed.js";
import { KIND_TITLES, count } from "./labels.js";
import {
  NOT_PROVEN_REASONS,
  type NotProven,
  type NotProvenReason,
  type ReportLink,
  type ReportManualStep,
  type ReportNamespace,
  type ReportOwner,
  type ReportSummary,
} from "./model.js";

/** Counts every link, grant, artifact, manual step and org access of the report, and what is not proven. */
export function summarize(namespaces: readonly ReportNamespace[], owners: readonly ReportOwner[]): ReportSummary {
  const s: ReportSummary = {
    links: { linked: 0, disabled: 0, revoked: 0, absent: 0, unknown: 0 },
    grants: { active: 0, revoked: 0, unverifiable: 0 },
    artifacts: { "in-use": 0, leftover: 0, orphaned: 0 },
    manualSteps: { open: 0, done: 0, observedOtherwise: 0 },
    orgAccess: { granted: 0, denied: 0, requested: 0, unknown: 0 },
    retired: false,
    notProven: [],
    facts: { verified: [], recordedByHand: [] },
  };
  const why = new Reasons();
  const countSteps = (steps: readonly ReportManualStep[], where: string): void => {
    for (const step of steps) {
      if (step.status === "open") {
        s.manualSteps.open++;
        why.add("open-manual-steps", step.id);
      } else if (step.status === "observed-otherwise") {
        s.manualSteps.observedOtherwise++;
        why.add("observed-otherwise", step.id);
      } else if (step.status === "done") {
        s.manualSteps.done++;
        s.facts.recordedByHand.push(`${where}: ${step.id}, done ${step.done} by ${step.by}`);
      }
    }
  };
  // A sweep that saw public repositories only covers nothing private: its owner is not swept.
  const sweptOwners = new Set(
    owners.filter((o) => o.sweeps.some((sweep) => sweep.publicOnly !== true)).map((o) => ownerKey(o.provider, o.owner)),
  );
  for (const owner of owners)
    for (const sweep of owner.sweeps)
      if (sweep.publicOnly === true)
        why.add("owners-not-swept", `${owner.provider}:${owner.owner} (sweep ${sweep.name} saw public repositories only)`);
  for (const ns of namespaces) {
    for (const link of ns.links) {
      s.links[link.observedState]++;
      s.grants[link.providerGrant]++;
      if (isLiveLink(link)) why.add("live-links", link.name);
      if (link.providerGrant === "active") why.add("active-grants", link.account);
      for (const old of link.superseded) {
        s.grants[old.providerGrant]++;
        if (isLive(old.state)) why.add("live-links", `${link.name} (record ${old.linkId} of ${old.account})`);
        if (old.providerGrant === "active") why.add("active-grants", old.account);
      }
      for (const repository of link.unobservedRepositories) why.add("unobserved-repositories", repository);
      countSteps(link.manualSteps, `link ${link.name}`);
      if (link.evidence !== null) {
        if (link.evidence.unlinked === "not-proven" && !isLiveLink(link)) why.add("unlinking-not-proven", link.name);
        if (link.evidence.grantRevoked === "not-proven" && link.providerGrant !== "active")
          why.add("grants-not-proven", `${link.account} (${link.name})`);
        if (link.evidence.unlinked === "api")
          s.facts.verified.push(`link ${link.name}: no live record on the build service (${link.observedState})`);
        if (link.evidence.grantRevoked === "api")
          s.facts.verified.push(`link ${link.name}: the ${link.provider} grant of ${link.account} is revoked`);
        for (const owner of new Set(link.repositories.map((r) => r.split("/")[0] ?? r)))
          if (!sweptOwners.has(ownerKey(link.provider, owner))) why.add("owners-not-swept", `${link.provider}:${owner}`);
      }
    }
  }
  for (const owner of owners) {
    for (const artifact of owner.artifacts) {
      s.artifacts[artifact.state]++;
      why.add("artifacts-left", `${KIND_TITLES[artifact.kind]} ${artifact.id} on ${artifact.repository ?? owner.owner}`);
    }
    if (owner.orgAccess) {
      s.orgAccess[owner.orgAccess.observed]++;
      countSteps(owner.orgAccess.manualSteps, `org ${owner.owner}`);
      if (owner.orgAccess.observedVia !== "none")
        s.facts.verified.push(`org ${owner.owner}: access ${owner.orgAccess.observed} (via ${owner.orgAccess.observedVia})`);
    }
    for (const sweep of owner.sweeps) {
      countSteps(sweep.manualSteps, `sweep ${sweep.name}`);
      const left = owner.artifacts.filter((a) => a.state !== "in-use").length;
      s.facts.verified.push(
        `sweep ${sweep.name} of ${owner.provider}:${owner.owner}: ${count(sweep.repositoriesSwept, "repository", "repositories")} read, ${left === 0 ? "no leftover or orphan" : count(left, "leftover or orphan", "leftovers or orphans")}`,
      );
    }
  }
  s.notProven = why.list();
  s.retired = s.notProven.length === 0;
  return s;
}

/** A link that still builds: observed linked or disabled, or declared so where its state cannot be observed (docker-hub). */
export function isLiveLink(link: ReportLink): boolean {
  if (isLive(link.observedState)) return true;
  return link.observedState === "unknown" && link.declaredState !== "revoked";
}

function ownerKey(provider: string, owner: string): string {
  return `${provider}:${owner.toLowerCase()}`;
}

/** Reasons with their names, each name once, in the order of NOT_PROVEN_REASONS. */
class Reasons {
  readonly #names = new Map<NotProvenReason, Set<string>>();

  add(reason: NotProvenReason, name: string): void {
    let names = this.#names.get(reason);
    if (!names) this.#names.set(reason, (names = new Set()));
    names.add(name);
  }

  list(): NotProven[] {
    return NOT_PROVEN_REASONS.flatMap((reason) => {
      const names = this.#names.get(reason);
      return names === undefined ? [] : [{ reason, names: [...names] }];
    });
  }
}
