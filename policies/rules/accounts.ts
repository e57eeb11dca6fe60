/** Account rules: a team's link goes through a service account, never a person (`team-link-uses-service-account`). */
import { isLive } from "../../engine/model/observed.js";
import { APPLY, RECHECK, pointerAt } from "./common.js";
import type { Finding, LinkFacts, LinkRule } from "./types.js";

/** Config part (a team link declared without `serviceAccount: true`) and live part (the team still linked through a person). */
function teamThroughServiceAccount(link: LinkFacts): Finding[] {
  const { desired, observed, name } = link;
  if (desired.team === undefined || desired.state === "revoked") return [];
  if (!desired.serviceAccount) {
    const fix = "link the team through a service account and set serviceAccount: true (a person's account leaves with the person)";
    return [
      {
        resource: name,
        subject: desired.account,
        message: `link "${name}" links team "${desired.team}" through account "${desired.account}", which is not declared a service account: ${fix}`,
        fix,
        pointer: pointerAt(link, "/serviceAccount"),
      },
    ];
  }
  if (observed === "unknown") {
    return [
      {
        resource: name,
        subject: desired.account,
        message: `link "${name}": whether team "${desired.team}" is linked through service account "${desired.account}" on the build service cannot be checked until apply: ${RECHECK}`,
        fix: RECHECK,
        pointer: pointerAt(link, "/account"),
        undecided: true,
      },
    ];
  }
  if (observed !== undefined && isLive(observed.state) && observed.team !== null && observed.serviceAccount === false) {
    // When the live account is the declared one, relinking cannot help: the declared account is the person's.
    const fix =
      observed.account !== null && observed.account.toLowerCase() === desired.account.toLowerCase()
        ? "set account to a service account's login (the build service records this one as a person's), then apply to relink the team"
        : `${APPLY} to relink the team through service account "${desired.account}"`;
    return [
      {
        resource: name,
        subject: observed.account ?? desired.account,
        message: `link "${name}" is live for team "${observed.team}" through "${observed.account ?? "(unknown account)"}", which the build service records as a person's account: ${fix}`,
        fix,
        pointer: pointerAt(link, "/account"),
      },
    ];
  }
  return [];
}

/** `team-link-uses-service-account`: vendor guidance for team links. */
export const teamLinkUsesServiceAccount = {
  id: "team-link-uses-service-account",
  scope: "link",
  defaultEnforcement: "mandatory",
  description:
    "A link made for a team must authorize a service account, not a person: when the person leaves or loses access, every team build breaks, and the person's own repositories are exposed to the build service. The rule checks the declared link (`team` requires `serviceAccount: true`) and, when observed, that the live team link is not still held by a person's account.",
  evaluate: teamThroughServiceAccount,
} satisfies LinkRule;
