/**
 * Rule facts of a `ReplacementBuild` resource (`pulumi-nodejs:dynamic/sourcelinks:ReplacementBuild`)
 * from the outputs the engine sends to stack policies: its declaration (a `builds:` entry) and what its
 * last create, update or refresh verified (`state`, `reason`, `ref`, `pullRequest`, `lastRun`,
 * `verifiedTags`), which `replacement-before-revocation` judges against the stack's revoked links.
 */
import type { BuildSpec } from "../engine/model/build-spec.js";
import type { ProposalPullRequest, ReplacementState } from "../engine/model/replacement.js";
import type { ReplacementRun, VerifiedTag } from "../engine/model/replacement-run.js";
import { TYPE_TOKENS } from "../engine/model/type-tokens.js";
import { containsUnknown, rawProperty, type PolicyResourceLike } from "./resource-facts.js";
import type { BuildFacts } from "./rules/types.js";

/** The type token policies match builds on. */
export const BUILD_TYPE = TYPE_TOKENS.ReplacementBuild;

const STATES: readonly string[] = ["absent", "proposed", "merged", "verified", "failing"] satisfies ReplacementState[];

/** The facts of a build resource, or undefined for another type or a build without a readable declaration. */
export function buildFactsFromResource(resource: PolicyResourceLike): BuildFacts | undefined {
  if (resource.type !== BUILD_TYPE) return undefined;
  const raw = (key: string): unknown => rawProperty(resource.props, key);
  const image = raw("image");
  const provider = raw("provider");
  const repository = raw("repository");
  if (typeof image !== "string" || (provider !== "github" && provider !== "bitbucket") || typeof repository !== "string") return undefined;
  if (containsUnknown(image) || containsUnknown(repository)) return undefined;
  const link = raw("link");
  const desired: BuildSpec = {
    image,
    provider,
    repository,
    ...(typeof link === "string" && !containsUnknown(link) ? { link } : {}),
    ...(raw("replacement") === "none" ? { replacement: "none" as const } : {}),
    autotest: "off",
    rules: [],
    env: {},
    secrets: {},
    registry: { login: "token" },
    secretScope: "repository",
  };
  const state = raw("state");
  // Absent before the first create; unknown during the preview of a create or update.
  if (state === undefined || state === null) return { desired, observed: undefined };
  const outputs = ["state", "reason", "ref", "pullRequest", "lastRun", "verifiedTags"].map(raw);
  if (outputs.some(containsUnknown)) return { desired, observed: "unknown" };
  if (typeof state !== "string" || !STATES.includes(state)) return { desired, observed: undefined };
  const reason = raw("reason");
  const ref = raw("ref");
  const tags = raw("verifiedTags");
  return {
    desired,
    observed: {
      image,
      provider,
      repository,
      state: state as ReplacementState,
      reason: typeof reason === "string" ? reason : null,
      ref: typeof ref === "string" ? ref : "",
      pullRequest: (raw("pullRequest") as ProposalPullRequest | null | undefined) ?? null,
      run: (raw("lastRun") as ReplacementRun | null | undefined) ?? null,
      tags: Array.isArray(tags) ? (tags as VerifiedTag[]) : [],
    },
  };
}
