/** Builds rule facts from a loaded config plus whatever was observed (nothing, for an offline check). */
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import type { ObservedLink, ObservedOrgAccess } from "../../engine/model/observed.js";
import type { SweepObservation } from "../../engine/model/sweep.js";
import type { ReplacementVerdict } from "../../engine/model/replacement-run.js";
import { buildKey } from "../../engine/builds/continuity.js";
import type { StackFacts } from "./types.js";

/** Observed state keyed by link name and by org name. */
export interface ObservedWorld {
  links?: ReadonlyMap<string, ObservedLink>;
  orgs?: ReadonlyMap<string, ObservedOrgAccess>;
  /** What each sweep found, by sweep name. */
  sweeps?: ReadonlyMap<string, SweepObservation>;
  /** Orgs no `orgAccess` entry declares that live links build from, keyed by lower-case login. */
  undeclaredOrgs?: ReadonlyMap<string, ObservedOrgAccess>;
  /** What verification found of each build, by `buildKey` (image and repository). */
  replacements?: ReadonlyMap<string, ReplacementVerdict>;
}

/** Facts for every declared link and org entry, with JSON pointers into the merged config. */
export function factsFromConfig(config: SourcelinksConfig, observed: ObservedWorld = {}): StackFacts {
  return {
    links: config.links.map((desired, i) => ({
      name: desired.name,
      desired,
      observed: observed.links?.get(desired.name),
      pointer: `/links/${i}`,
    })),
    orgs: config.orgAccess.map((desired, i) => ({
      name: desired.org,
      desired,
      observed: observed.orgs?.get(desired.org),
      pointer: `/orgAccess/${i}`,
    })),
    sweeps: (config.sweeps ?? []).map((desired, i) => ({
      name: desired.name,
      desired,
      observed: observed.sweeps?.get(desired.name),
      pointer: `/sweeps/${i}`,
    })),
    builds: (config.builds ?? []).map((desired, i) => ({
      desired,
      observed: observed.replacements?.get(buildKey(desired)),
      pointer: `/builds/${i}`,
    })),
    githubWebhooks: [],
    webhookUrlPatterns: [...config.buildService.webhookUrlPatterns],
    allowedRepositories: [],
    ...(observed.undeclaredOrgs === undefined ? {} : { undeclaredOrgs: observed.undeclaredOrgs }),
    capabilities: {
      buildServiceKind: config.buildService.kind,
      githubClientSecret: config.buildService.oauthApps.github?.clientSecretEnv !== undefined,
    },
  };
}
