/**
 * `no-orphaned-build-service-artifacts` (mandatory, with `sweeps`): a swept owner holds no build-service
 * webhook or deploy key, on a repository or on the org itself, that no live link covers. One finding per
 * artifact, located at the sweep's YAML entry. What a link declared `revoked` lists is left to that link
 * (and to `revoked-link-has-no-webhooks`), so one artifact is reported by one rule. A sweep that could
 * list only an owner's public repositories is a finding too: it proves nothing of the private ones.
 */
import { artifactsToRemove } from "../../engine/reconcile/plan-sweep.js";
import type { SweptArtifact } from "../../engine/model/sweep.js";
import { APPLY, RECHECK } from "./common.js";
import type { Finding, StackFacts, StackRule, SweepFacts } from "./types.js";

/** The artifact in words: `build-service webhook 12 (URL) on acme/x`, `deploy key 7 "Docker Hub Builder" on acme/x`, `build-service webhook 3 (URL) of org acme`. */
function describeArtifact(a: SweptArtifact): string {
  const where = a.repository === null ? `of org ${a.owner}` : `on ${a.repository}${a.archived ? " (archived)" : ""}`;
  return a.kind === "deploy-key"
    ? `build-service deploy key ${a.id} "${a.target}" ${where}`
    : `build-service webhook ${a.id} (${a.target}) ${where}`;
}

/** Why nothing keeps it. */
function why(a: SweptArtifact): string {
  if (a.repository === null) return "an org's own webhook serves no link";
  if (a.classification === "leftover") return `it was left by ${a.links.join(", ")} and no live link builds from ${a.repository}`;
  return `nothing names it: no link, declared or on the build service, builds from ${a.repository}`;
}

/** The fix: delete it by apply, or first unarchive an archived repository (GitHub refuses writes there). */
function fixOf(a: SweptArtifact): string {
  if (a.archived && a.repository !== null) return `unarchive ${a.repository}, ${APPLY} to delete it, then archive the repository again`;
  const keep = a.repository === null ? "" : `, or declare a live link that builds from ${a.repository} if it is still needed`;
  return `${APPLY} to delete it${keep}`;
}

function findingsOf(sweep: SweepFacts): Finding[] {
  const pointer = sweep.pointer === undefined ? {} : { pointer: sweep.pointer };
  if (sweep.observed === undefined) return [];
  if (sweep.observed === "unknown") {
    return [
      {
        resource: sweep.name,
        subject: sweep.desired.owner,
        message: `sweep "${sweep.name}" of ${sweep.desired.owner} cannot be checked until apply: ${RECHECK}`,
        fix: RECHECK,
        undecided: true,
        ...pointer,
      },
    ];
  }
  return [
    ...notCovered(sweep),
    ...artifactsToRemove(sweep.observed).map((a) => {
      const fix = fixOf(a);
      return {
        resource: sweep.name,
        subject: a.repository ?? a.owner,
        message: `sweep "${sweep.name}": ${describeArtifact(a)} is ${a.classification}: ${why(a)}: ${fix}`,
        fix,
        ...pointer,
      };
    }),
  ];
}

/** A sweep that could list public repositories only proves nothing of the private ones: said, not passed over. */
function notCovered(sweep: SweepFacts): Finding[] {
  if (sweep.observed === undefined || sweep.observed === "unknown" || sweep.observed.publicOnly !== true) return [];
  const owner = sweep.desired.owner;
  const fix = `run with ${owner}'s own token (GITHUB_TOKEN) or a GitHub App installed on ${owner}, which list its private repositories too`;
  return [
    {
      resource: sweep.name,
      subject: owner,
      message: `sweep "${sweep.name}" covered the public repositories of user ${owner} only: GitHub lists a user's private repositories to that user and to apps installed on the account, so whether they hold build-service artifacts was not observed: ${fix}`,
      fix,
      ...(sweep.pointer === undefined ? {} : { pointer: sweep.pointer }),
    },
  ];
}

/** `no-orphaned-build-service-artifacts`: one mandatory finding per artifact no live link covers. */
export const noOrphanedBuildServiceArtifacts = {
  id: "no-orphaned-build-service-artifacts",
  scope: "stack",
  defaultEnforcement: "mandatory",
  description:
    "A sweep declares that no build-service webhook or deploy key exists on any repository of an owner, nor on the org's own webhooks, except where a live link covers the repository. Every other one the build service's patterns match is reported, whether a retired link left it or nothing names it any more, so a team can prove nothing is left behind when autobuilds retire. Foreign webhooks are never reported; artifacts on repositories a link declared revoked are left to revoked-link-has-no-webhooks.",
  evaluate: (stack: StackFacts) => (stack.sweeps ?? []).flatMap(findingsOf),
} satisfies StackRule;
