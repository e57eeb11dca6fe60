/**
 * A named `clientSecretEnv` that the environment lacks, when the plan needs it (pure). With the
 * secret a GitHub grant is revoked by API; without it the same revocation would quietly become a
 * manual step, which is not what a configuration naming the variable asked for. So a plan whose
 * grant revocations could go by API if the variable were set is invalid input, naming the variable.
 */
import type { SourcelinksConfig } from "../engine/model/spec.js";
import type { ResourcePlan } from "../engine/reconcile/steps/plan-step.js";

/** The link plans and names of a run, as `planRun` (engine/reconcile/run/plan-run.ts) built them. */
export interface NamedPlan {
  name: string;
  plan: ResourcePlan;
}

/**
 * One message when `buildService.oauthApps.github.clientSecretEnv` is named but unset (or empty) and a
 * link's plan revokes a GitHub grant by hand where a build-service API holds the grant's token; else none.
 */
export function unsetClientSecret(
  config: SourcelinksConfig,
  env: NodeJS.ProcessEnv,
  links: readonly NamedPlan[],
  hasBuildServiceApi: boolean,
): string[] {
  const variable = config.buildService.oauthApps.github?.clientSecretEnv;
  if (variable === undefined || (env[variable] ?? "") !== "" || !hasBuildServiceApi) return [];
  const needs = links.flatMap(({ name, plan }) =>
    plan.steps.flatMap((s) =>
      s.kind === "manual" && s.step.id.startsWith("revoke-grant:github:") ? [`${s.step.id.slice(20)} (link ${name})`] : [],
    ),
  );
  if (needs.length === 0) return [];
  return [
    `sourcelinks: ${variable} is not set: it must hold the GitHub OAuth app's client secret (named by buildService.oauthApps.github.clientSecretEnv), which revoking the grant of ${[...new Set(needs)].join(", ")} needs; set it, or remove clientSecretEnv to leave these revocations to a person as manual steps`,
  ];
}
