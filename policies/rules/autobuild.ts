/** Autobuild rules: a live link's build-service record lists every repository the link declares (`live-link-builds-declared-repositories`). */
import { APPLY, repositoryPointer } from "./common.js";
import type { Finding, LinkFacts, LinkRule } from "./types.js";

/** Per declared repository the live record of the declared account does not list (only where that list was read). */
function missingAutobuildRepositories(link: LinkFacts): Finding[] {
  const { desired, observed, name } = link;
  if (desired.state === "revoked" || observed === undefined || observed === "unknown") return [];
  if (observed.state !== "linked" && observed.state !== "disabled") return [];
  if (observed.account !== desired.account || observed.recordRepositories === undefined) return [];
  const listed = new Set(observed.recordRepositories.map((r) => r.toLowerCase()));
  const fix = `${APPLY}: it makes each declared repository an autobuild source of the link`;
  return desired.repositories
    .filter((repository) => !listed.has(repository.toLowerCase()))
    .map((repository) => ({
      resource: name,
      subject: repository,
      message: `link "${name}" is ${observed.state} in namespace ${desired.namespace}, but its build-service record (link ${observed.linkId}) does not list ${repository} as an autobuild source, so pushes there build nothing: ${fix}`,
      fix,
      pointer: repositoryPointer(link, repository),
    }));
}

/** `live-link-builds-declared-repositories`: what a link declares, its record builds from. */
export const liveLinkBuildsDeclaredRepositories = {
  id: "live-link-builds-declared-repositories",
  scope: "link",
  defaultEnforcement: "mandatory",
  description:
    "A linked or disabled link builds only from the repositories its build-service record lists (`/links/{id}/repositories/`). A record that lists fewer than the link declares (a relinked team's new link starts with none) is drift: the declared repositories silently stop building. `plan` shows the `add-repository` steps that repair it. Repositories the record lists beyond the declaration are left alone.",
  evaluate: missingAutobuildRepositories,
} satisfies LinkRule;
