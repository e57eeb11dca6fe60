/**
 * Semantic checks of `builds:` the schema cannot express: each rule as Docker's UI would judge it
 * (regex, groups, tags, paths), one build per image and repository, a known link, a login the
 * provider's CI can do, and a verification branch some rule pushes from. Each problem is reported at the field it is about.
 */
import { ruleProblems } from "../builds/rule.js";
import { expectedTags } from "../builds/verify.js";
import type { MergedConfig } from "./merge.js";
import type { Origins } from "./origins.js";
import type { Anchor } from "./source-map.js";
import { looksLikeSecret, looksLikeSecretEnvName } from "./secret-like.js";

/** Reports a problem at a merged pointer. */
export type BuildReport = (pointer: string, message: string, anchor?: Anchor) => void;

/** Checks every declared build. */
export function checkBuilds(config: MergedConfig, origins: Origins, report: BuildReport): void {
  const seen = new Map<string, number>();
  const linkNames = new Set(config.links.map((l) => l.name));
  config.builds.forEach((build, i) => {
    const at = `/builds/${i}`;
    // Docker Hub names are lower case; GitHub and Bitbucket compare repositories case-insensitively.
    const key = `${build.image}\u0000${build.provider}\u0000${build.repository.toLowerCase()}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else {
      report(
        `${at}/image`,
        `${origins.subject(at)} builds image ${build.image} from ${build.repository} again (first at ${origins.where(`/builds/${first}/image`)}): ` +
          `one build per image and repository; merge their rules into one entry`,
      );
    }
    if (build.link !== undefined && config.links.length > 0 && !linkNames.has(build.link)) {
      report(
        `${at}/link`,
        `${origins.subject(`${at}/link`)} names link "${build.link}", which no file declares: use a declared link's name, or remove link`,
      );
    }
    if (build.provider === "bitbucket" && build.registry.login === "oidc") {
      report(
        `${at}/registry/login`,
        `${origins.subject(`${at}/registry/login`)} is oidc, but Docker Hub's OIDC login is rendered for GitHub Actions only: use login: token (secured variables DOCKERHUB_USERNAME, DOCKERHUB_TOKEN) on Bitbucket`,
      );
    }
    if (build.provider === "bitbucket" && build.secretScope === "organization") {
      report(
        `${at}/secretScope`,
        `${origins.subject(`${at}/secretScope`)} is organization, but organization secrets are GitHub's: on Bitbucket use secretScope: repository (secured repository variables)`,
      );
    }
    for (const [name, value] of Object.entries(build.env)) {
      if (value.includes("${{")) {
        report(
          `${at}/env/${name}`,
          `${origins.subject(`${at}/env/${name}`)} holds "\${{", which GitHub Actions would evaluate as an expression: env values are plain; a secret goes under secrets`,
        );
        continue;
      }
      if (!looksLikeSecret(value)) continue;
      const pointer = `${at}/env/${name}`;
      report(
        pointer,
        `${origins.subject(pointer)} looks like a secret (not shown), and env values are written into the CI file: rotate it, and declare it under secrets (${name}: ENV_VAR_HOLDING_IT) instead`,
      );
    }
    for (const [name, variable] of Object.entries(build.secrets)) {
      if (!looksLikeSecretEnvName(variable)) continue;
      const pointer = `${at}/secrets/${name}`;
      report(
        pointer,
        `${origins.subject(pointer)} must be the NAME of the environment variable holding the secret, but the value written there looks like the secret itself (not shown): rotate it and write the variable's name`,
      );
    }
    let rulesValid = true;
    build.rules.forEach((rule, r) => {
      for (const problem of ruleProblems(rule)) {
        rulesValid = false;
        const pointer = `${at}/rules/${r}/${problem.field}`;
        report(pointer, `${origins.subject(pointer)} ${problem.message}`);
      }
    });
    // A branch no rule pushes from could never verify the build: the revocation would wait forever.
    if (rulesValid && build.verify !== undefined && expectedTags(build, `refs/heads/${build.verify.branch}`).length === 0) {
      const pointer = `${at}/verify/branch`;
      report(
        pointer,
        `${origins.subject(pointer)} is "${build.verify.branch}", but no rule of ${build.image} pushes a tag for that branch, so no run there can verify it: name a branch a rule with autobuild pushes from`,
      );
    }
  });
}
