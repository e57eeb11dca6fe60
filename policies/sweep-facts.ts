/**
 * Rule facts of an `OrphanSweep` resource (`pulumi-nodejs:dynamic/sourcelinks:OrphanSweep`) from the
 * outputs the engine sends to stack policies: its declaration and what its last run observed.
 */
import type { ProviderKind } from "../engine/model/spec.js";
import type { SweepObservation } from "../engine/model/sweep.js";
import { containsUnknown, rawProperty, type PolicyResourceLike } from "./resource-facts.js";
import type { SweepFacts } from "./rules/types.js";
import { TYPE_TOKENS } from "../engine/model/type-tokens.js";

/** The type token policies match sweeps on. */
export const SWEEP_TYPE = TYPE_TOKENS.OrphanSweep;

/** The facts of a sweep resource, or undefined for another type or a sweep without a readable declaration. */
export function sweepFactsFromResource(resource: PolicyResourceLike): SweepFacts | undefined {
  if (resource.type !== SWEEP_TYPE) return undefined;
  const name = rawProperty(resource.props, "name");
  const provider = rawProperty(resource.props, "provider");
  const owner = rawProperty(resource.props, "owner");
  if (typeof name !== "string" || (provider !== "github" && provider !== "bitbucket") || typeof owner !== "string") return undefined;
  const exclude = rawProperty(resource.props, "exclude");
  const observed = rawProperty(resource.props, "observed");
  return {
    name,
    desired: {
      name,
      provider: provider as ProviderKind,
      owner,
      exclude: Array.isArray(exclude) ? exclude.filter((g): g is string => typeof g === "string") : [],
    },
    // During a preview the observation of a create or update is unknown: reported as undecided.
    observed: observed === undefined ? undefined : containsUnknown(observed) ? "unknown" : (observed as SweepObservation),
  };
}
