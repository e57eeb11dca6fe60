/** One line saying what was observed of a resource, for the text and markdown plans. */
import type { ObservedLink, ObservedOrgAccess } from "../../engine/model/observed.js";
import type { SweepObservation } from "../../engine/model/sweep.js";
import type { PlannedBuildEntry, PlannedEntry } from "../../engine/reconcile/run/entries.js";
import { carriedOverText } from "./carried-over.js";
import { refreshSummary } from "./sweep-refresh.js";

/** `enabled as jdoe (team ci, person), grant active; 2 repos: 2 webhooks, 2 deploy keys, 1 foreign webhook` */
export function observedSummary(entry: PlannedEntry): string {
  if (entry.resource === "sweep") return sweepSummary(entry.observed);
  if (entry.resource === "build") return buildSummary(entry);
  return entry.resource === "link" ? linkSummary(entry.observed) : orgSummary(entry.observed);
}

/** `12 repositories (1 excluded): 3 covered, 1 leftover, 4 orphaned (1 on an archived repository), 2 foreign webhooks (never touched)` */
function sweepSummary(o: SweepObservation): string {
  const count = (c: string): number => o.artifacts.filter((a) => a.classification === c).length;
  const archived = o.artifacts.filter((a) => a.archived && a.classification !== "covered").length;
  const parts = [
    `${plural(count("covered"), "covered artifact")}`,
    `${count("leftover")} leftover`,
    `${count("orphaned")} orphaned${archived > 0 ? ` (${archived} on archived repositories)` : ""}`,
    o.foreignWebhookCount > 0 ? `${plural(o.foreignWebhookCount, "foreign webhook")} (never touched)` : null,
    o.publicOnly === true
      ? `public repositories only: GitHub lists another user's private repositories to no one else, so they were not swept (run with ${o.owner}'s token or a GitHub App installed on ${o.owner} to cover them)`
      : null,
    refreshSummary(o.refresh),
  ].filter((p) => p !== null);
  const swept = o.publicOnly === true ? "public repository" : "repository";
  return `${plural(o.repositoriesSwept, swept, `${swept.replace(/y$/, "ies")}`)} of ${o.provider} ${o.owner}${o.repositoriesExcluded > 0 ? ` (${o.repositoriesExcluded} excluded)` : ""}: ${parts.join(", ")}`;
}

function linkSummary(o: ObservedLink): string {
  const live = o.state === "linked" ? "enabled" : o.state === "revoked" ? "unlinked" : o.state;
  const who = o.account === null ? "" : ` as ${o.account}`;
  const details = [
    o.team ? `team ${o.team}` : null,
    o.serviceAccount === null ? null : o.serviceAccount ? "service account" : "person",
  ].filter((d) => d !== null);
  const hooks = o.repositories.reduce((n, r) => n + r.webhooks.length, 0);
  const keys = o.repositories.reduce((n, r) => n + r.deployKeys.length, 0);
  const foreign = o.repositories.reduce((n, r) => n + r.foreignWebhookCount, 0);
  const missing = o.repositories.filter((r) => !r.exists).length;
  const repos = [
    plural(o.repositories.length, "repository", "repositories"),
    plural(hooks, "build-service webhook"),
    plural(keys, "deploy key"),
    foreign > 0 ? `${plural(foreign, "foreign webhook")} (never touched)` : null,
    missing > 0 ? `${missing} not found` : null,
  ].filter((d) => d !== null);
  return `${live}${who}${details.length > 0 ? ` (${details.join(", ")})` : ""}, grant ${o.providerGrant}; ${repos.join(", ")}`;
}

/** `acme/api on github acme/api: proposed (pull request #3), .github/workflows/docker-acme-api.yml; acme/api proposed` */
function buildSummary(entry: PlannedBuildEntry): string {
  const o = entry.observed;
  const pr = o.pullRequest === null ? "" : ` (pull request #${o.pullRequest.number}, ${o.pullRequest.state})`;
  const verdicts = entry.verdicts
    .map((v) => `${v.image} ${v.carriedOver === undefined ? v.state : carriedOverText(v.carriedOver)}`)
    .join(", ");
  // A carried-over observation is dated: this run read only the default branch's head.
  const when = o.carriedOver === undefined ? "" : ` as observed at ${o.carriedOver.verifiedAt}`;
  return `${o.path} in ${o.provider} ${o.repository}: ${o.state}${when}${pr}${verdicts === "" ? "" : `; ${verdicts}`}`;
}

function orgSummary(o: ObservedOrgAccess): string {
  return `access ${o.access} (observed via ${o.observedVia})`;
}

/** `1 webhook`, `2 webhooks`. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}
