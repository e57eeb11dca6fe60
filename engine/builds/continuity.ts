/**
 * Which replacement builds a link's revocation waits for: the builds declared for the link (`link:`)
 * or for one of its repositories, less those retired on purpose (`replacement: none`). Revoking stops
 * the link's autobuilds, so it waits until each of these is `verified`. Shared by the rule
 * `replacement-before-revocation` and the planner that holds the revoke steps back.
 */
import type { BuildSpec } from "../model/build-spec.js";
import type { ReplacementVerdict } from "../model/replacement-run.js";
import type { LinkSpec } from "../model/spec.js";

/** One build a link's revocation waits for, with its index in the merged `builds`. */
export interface GatingBuild {
  build: BuildSpec;
  index: number;
}

/** The builds `link` may not be revoked before, in declaration order. */
export function gatingBuilds(link: Pick<LinkSpec, "name" | "provider" | "repositories">, builds: readonly BuildSpec[]): GatingBuild[] {
  const repositories = new Set(link.repositories.map((r) => r.toLowerCase()));
  const gating: GatingBuild[] = [];
  builds.forEach((build, index) => {
    if (build.replacement === "none") return;
    const declaredFor = build.link === link.name || (build.provider === link.provider && repositories.has(build.repository.toLowerCase()));
    if (declaredFor) gating.push({ build, index });
  });
  return gating;
}

/** The key of a build's verdict: one build per (image, repository). */
export function buildKey(build: Pick<BuildSpec, "image" | "repository">): string {
  return `${build.image} ${build.repository}`;
}

/** Why `build` still holds a revocation back, or null when its replacement is verified. */
export function holdReason(build: BuildSpec, verdict: ReplacementVerdict | undefined): string | null {
  if (verdict === undefined) return `the replacement of ${build.image} (${build.repository}) was not verified in this run`;
  if (verdict.state === "verified") return null;
  return `the replacement of ${build.image} (${build.repository}) is ${verdict.state}, not verified: ${verdict.reason ?? "no reason given"}`;
}
