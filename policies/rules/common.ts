/** Wording and pointers shared by the rules, so every message names the fix the same way. */
import type { ProviderKind } from "../../engine/model/spec.js";
import type { ObservedDeployKey, ObservedWebhook } from "../../engine/model/observed.js";
import { indexOfRepository } from "./names.js";
import type { LinkFacts, OrgFacts } from "./types.js";

/** The converging command, named for both front ends. */
export const APPLY = "run sourcelinks apply (or pulumi up)";

/** How to re-check once a preview's unknown values are known. */
export const RECHECK = "run pulumi up, then sourcelinks check --live (or pulumi preview) to verify";

/** A pointer below a link's or org entry's own pointer, or undefined when the facts carry none. */
export function pointerAt(facts: LinkFacts | OrgFacts, suffix = ""): string | undefined {
  return facts.pointer === undefined ? undefined : `${facts.pointer}${suffix}`;
}

/** The pointer of a declared repository of a link (the link's pointer when it is not declared). */
export function repositoryPointer(link: LinkFacts, repository: string): string | undefined {
  const i = indexOfRepository(link.desired.repositories, repository);
  return pointerAt(link, i < 0 ? "" : `/repositories/${i}`);
}

/** `webhook 1234 (https://…)` */
export function describeWebhook(hook: ObservedWebhook): string {
  return `webhook ${hook.id} (${hook.url})`;
}

/** `deploy key 77 ("Docker Hub Builder …")` */
export function describeDeployKey(key: ObservedDeployKey): string {
  return `deploy key ${key.id} ("${key.title}")`;
}

/** Where a person revokes an OAuth app authorization in each provider's UI. */
export const GRANT_UI: Record<ProviderKind, string> = {
  github: "GitHub → Settings → Applications → Authorized OAuth Apps (https://github.com/settings/applications)",
  bitbucket: "Bitbucket → Personal settings → App authorizations (https://bitbucket.org/account/settings/app-authorizations/)",
};

/** Where an org owner grants or denies an OAuth app in GitHub (docs/build-services.md). */
export function orgAccessUi(org: string): string {
  return `GitHub → ${org} → Settings → Third-party access (https://github.com/organizations/${org}/settings/oauth_application_policy)`;
}
