/** Grant rules: a live link's provider grant is still valid (`live-link-has-grant`), or the link is broken. */
import { APPLY, pointerAt } from "./common.js";
import type { Finding, LinkFacts, LinkRule } from "./types.js";

/** Per link: a live link (linked or disabled) whose OAuth grant the provider reports revoked. */
function brokenLink(link: LinkFacts): Finding[] {
  const { desired, observed, name } = link;
  if (desired.state === "revoked" || observed === undefined || observed === "unknown") return [];
  if (observed.state !== "linked" && observed.state !== "disabled") return [];
  if (observed.providerGrant !== "revoked") return [];
  const account = observed.account ?? desired.account;
  const fix =
    account === desired.account
      ? `${APPLY} to relink it: it unlinks the broken link and links "${desired.account}" again, so the build service holds a new grant`
      : `${APPLY} to relink the link through "${desired.account}"`;
  return [
    {
      resource: name,
      subject: account,
      message: `link "${name}" is ${observed.state} in namespace ${desired.namespace}, but the ${desired.provider} OAuth grant of "${account}" to the build service's app is revoked, so it cannot build: ${fix}`,
      fix,
      pointer: pointerAt(link, "/account"),
    },
  ];
}

/** `live-link-has-grant`: a live link must still hold a valid grant (docs/policies.md). */
export const liveLinkHasGrant = {
  id: "live-link-has-grant",
  scope: "link",
  defaultEnforcement: "mandatory",
  description:
    "A link that is live on the build service but whose provider grant is revoked (by this tool, by its user, or by an org) is broken: the build service holds a dead token, builds fail, and the build service UI still shows the link. The grant is checked with the OAuth app owner's credentials (`POST /applications/{client_id}/token`) wherever that API exists; a grant that cannot be checked is not reported.",
  evaluate: brokenLink,
} satisfies LinkRule;
