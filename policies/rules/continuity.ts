/**
 * `replacement-before-revocation` (mandatory): a link may not be revoked while a build declared for it
 * (or for one of its repositories) is not `verified`, because revoking stops its autobuilds and the
 * image would go without builds. A build with `replacement: none` retires its image on purpose and
 * holds nothing back. Judged on what verification observed; offline, nothing is known and nothing is said.
 */
import { gatingBuilds } from "../../engine/builds/continuity.js";
import type { BuildFacts, Finding, StackFacts, StackRule } from "./types.js";
import { RECHECK } from "./common.js";

/** One finding per (revoked link, build that is not verified). */
function unverifiedReplacements(stack: StackFacts): Finding[] {
  const builds = stack.builds ?? [];
  const findings: Finding[] = [];
  for (const link of stack.links) {
    if (link.desired.state !== "revoked") continue;
    for (const { index } of gatingBuilds(
      link.desired,
      builds.map((b) => b.desired),
    )) {
      const facts = builds[index]!;
      const finding = findingFor(link.name, facts);
      if (finding !== null) findings.push(finding);
    }
  }
  return findings;
}

function findingFor(linkName: string, facts: BuildFacts): Finding | null {
  const { desired, observed } = facts;
  if (observed === undefined) return null;
  const base = { resource: linkName, subject: desired.image, ...(facts.pointer === undefined ? {} : { pointer: facts.pointer }) };
  if (observed === "unknown") {
    return {
      ...base,
      message: `link "${linkName}" is revoked, and the replacement of ${desired.image} cannot be verified until apply: ${RECHECK}`,
      fix: RECHECK,
      undecided: true,
    };
  }
  if (observed.state === "verified") return null;
  const fix = {
    absent: `run sourcelinks apply to propose the replacement (a pull request in ${desired.repository})`,
    proposed: `merge ${observed.pullRequest?.url ?? "the replacement's pull request"} in ${desired.repository}`,
    merged: `wait for the replacement's first run on ${observed.ref} and its pushes, then run sourcelinks plan again`,
    failing: `fix the build (${observed.run?.url ?? desired.repository}) and push to ${observed.ref}, or set replacement: none on the build to retire ${desired.image} on purpose`,
  }[observed.state];
  return {
    ...base,
    message: `link "${linkName}" may not be revoked yet: the replacement of ${desired.image} (${desired.repository}) is ${observed.state}, not verified (${observed.reason ?? "no reason given"}); its revoke steps are held back: ${fix}`,
    fix,
  };
}

/** `replacement-before-revocation`: every build of a revoked link is verified, or retired on purpose. */
export const replacementBeforeRevocation = {
  id: "replacement-before-revocation",
  scope: "stack",
  defaultEnforcement: "mandatory",
  description:
    "A link may not be revoked while a build declared for it (`builds[].link`) or for one of its repositories is not `verified`: revoking stops its autobuilds, so the replacement's first run after the merge must have succeeded and pushed every tag its rules push for that ref first. `plan` and `apply` hold the link's revoke steps back until then. Set `replacement: none` on a build to retire its image on purpose.",
  evaluate: unverifiedReplacements,
} satisfies StackRule;
