/**
 * Org rules: the build service's OAuth app has the declared third-party access in each GitHub org
 * (`org-access-matches-declared`), and no linked repository sits in an org that denies it
 * (`linked-repos-have-org-access`).
 */
import { APPLY, RECHECK, orgAccessUi, pointerAt, repositoryPointer } from "./common.js";
import { ownerOf, sameName } from "./names.js";
import type { ObservedOrgAccess } from "../../engine/model/observed.js";
import type { Finding, OrgFacts, OrgRule, RuleContext, StackFacts, StackRule } from "./types.js";
import { orgAccessStep } from "../../engine/reconcile/manual-steps.js";

/** Declared versus observed access of one org. */
function declaredVersusObserved(org: OrgFacts, ctx: RuleContext): Finding[] {
  const { desired, observed, name } = org;
  if (observed === undefined) return [];
  const app = `the build service's ${desired.app} app`;
  // Unobservable, and an org owner's step recorded done by hand: the record is the evidence (the report says so).
  if (observed !== "unknown" && observed.access === "unknown" && recordedByHand(org)) return [];
  if (observed === "unknown" || observed.access === "unknown") {
    const why =
      observed === "unknown" ? "cannot be checked until apply" : "could not be observed (no build-service link, audit log or probe token)";
    const step = orgAccessStep(desired.org, "", desired.access).id;
    const fix =
      observed === "unknown"
        ? RECHECK
        : `have an org owner confirm it at ${orgAccessUi(desired.org)}, then record ${step} under manualSteps`;
    return [
      {
        resource: name,
        subject: desired.org,
        message: `org "${desired.org}" declares access ${desired.access} for ${app}, but the effective access ${why}: ${fix}`,
        fix,
        pointer: pointerAt(org, "/access"),
        undecided: true,
      },
    ];
  }
  if (observed.access === desired.access) return [];
  const byOwner = `have an org owner ${desired.access === "granted" ? "grant" : "deny"} it at ${orgAccessUi(desired.org)}`;
  // Apply sets org access only through a build-service link; docker-hub has no link API.
  const fix = ctx.capabilities?.buildServiceKind === "docker-hub" ? byOwner : `${APPLY}, or ${byOwner}`;
  return [
    {
      resource: name,
      subject: desired.org,
      message: `org "${desired.org}" declares access ${desired.access} for ${app} but it is ${observed.access} (observed via ${observed.observedVia}): ${fix}`,
      fix,
      pointer: pointerAt(org, "/access"),
    },
  ];
}

/** Whether the org owner's step of this entry is recorded done in the YAML. */
function recordedByHand(org: OrgFacts): boolean {
  if (org.observed === undefined || org.observed === "unknown") return false;
  const id = orgAccessStep(org.desired.org, "", org.desired.access).id;
  return (org.observed.manualStepsDoneByHand ?? []).some((d) => d.step.id === id);
}

/** `org-access-matches-declared`: the effective third-party access is what the config declares. */
export const orgAccessMatchesDeclared = {
  id: "org-access-matches-declared",
  scope: "org",
  defaultEnforcement: "mandatory",
  description:
    "Each declared org access entry states whether the build service's OAuth app may reach the org's resources (GitHub Settings → Third-party access). When the observed access (from the build service, the audit log or a probe) differs from the declaration, an org owner changed it or approval is still pending; either way builds or revocations do not behave as declared.",
  evaluate: declaredVersusObserved,
} satisfies OrgRule;

/** Linked repositories whose org denies the app, by declaration or observation. */
function linkedReposInDenyingOrgs(stack: StackFacts): Finding[] {
  const findings: Finding[] = [];
  for (const link of stack.links) {
    if (link.desired.provider !== "github" || link.desired.state === "revoked") continue;
    for (const repository of link.desired.repositories) {
      const owner = ownerOf(repository);
      const org = stack.orgs.find((o) => sameName(o.desired.org, owner) && o.desired.app === link.desired.provider);
      if (org === undefined) {
        findings.push(
          ...undeclaredDenial(
            link.name,
            repository,
            owner,
            stack.undeclaredOrgs?.get(owner.toLowerCase()),
            repositoryPointer(link, repository),
          ),
        );
        continue;
      }
      let how: string | undefined;
      if (org.desired.access === "denied") how = "declared access: denied";
      else if (org.observed !== undefined && org.observed !== "unknown" && org.observed.access === "denied") {
        how = `observed via ${org.observed.observedVia}`;
      }
      if (how === undefined) continue;
      const fix = `remove ${repository} from the link, or set access: granted for ${org.desired.org} and have an org owner approve the app at ${orgAccessUi(org.desired.org)}`;
      findings.push({
        resource: link.name,
        subject: repository,
        message: `link "${link.name}" builds from ${repository}, but org "${org.desired.org}" denies the build service's ${link.desired.provider} app (${how}): ${fix}`,
        fix,
        pointer: repositoryPointer(link, repository),
      });
    }
  }
  return findings;
}

/** A live link's repository in an org no `orgAccess` entry declares, observed to deny the app. */
function undeclaredDenial(
  link: string,
  repository: string,
  org: string,
  observed: ObservedOrgAccess | undefined,
  pointer: string | undefined,
): Finding[] {
  if (observed === undefined || observed.access !== "denied") return [];
  const fix = `remove ${repository} from the link, or have an org owner approve the app at ${orgAccessUi(org)} and declare it in orgAccess with access: granted`;
  return [
    {
      resource: link,
      subject: repository,
      message: `link "${link}" builds from ${repository}, but org "${org}", which orgAccess does not declare, denies the build service's github app (observed via ${observed.observedVia}): ${fix}`,
      fix,
      ...(pointer === undefined ? {} : { pointer }),
    },
  ];
}

/** `linked-repos-have-org-access`: a repository in an org that denies the app cannot be built. */
export const linkedReposHaveOrgAccess = {
  id: "linked-repos-have-org-access",
  scope: "stack",
  defaultEnforcement: "mandatory",
  description:
    "A linked or disabled link's repository whose owner is a GitHub org that denies the build service's OAuth app (declared `access: denied`, or observed as denied, whether or not `orgAccess` declares the org) cannot be built: GitHub answers the app's token with 403 \"has enabled OAuth App access restrictions\". Either the repository does not belong in the link, or the org's access must be granted.",
  evaluate: linkedReposInDenyingOrgs,
} satisfies StackRule;
