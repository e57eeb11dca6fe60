/**
 * The properties of `ReplacementBuild` as the engine stores them, and the pure conversions to and from
 * the engine's build types. The policy pack reads these names (policies/build-facts.ts): renaming one
 * breaks it. Nothing here holds a credential: `secrets` maps CI secret names to the env vars that hold
 * their values where the provider runs, and outputs are observations.
 */
import type { BuildSpec } from "../engine/model/build-spec.js";
import type { ProposalPullRequest, ReplacementState } from "../engine/model/replacement.js";
import type { ReplacementRun, ReplacementVerdict, VerifiedTag } from "../engine/model/replacement-run.js";
import { toPlainJson, type WorldSettings } from "./properties.js";

/** `ReplacementBuild` inputs: the declared build, the builds whose CI file it shares, its world. */
export interface ReplacementBuildInputs extends BuildSpec, WorldSettings {
  /**
   * Every declared build rendered into the same file as this one, itself included: one on GitHub (a
   * workflow per image), every build of the repository on Bitbucket (one `bitbucket-pipelines.yml`).
   */
  fileBuilds: BuildSpec[];
  providerVersion: string;
}

/** `ReplacementBuild` outputs: the inputs plus what the last create, update or refresh verified. */
export interface ReplacementBuildOutputs extends ReplacementBuildInputs {
  state: ReplacementState;
  /** Why `state` is not `verified`; null when verified. */
  reason: string | null;
  /** The ref whose run verification reads; null when the repository was not observed and no ref is declared. */
  ref: string | null;
  pullRequest: ProposalPullRequest | null;
  /** The replacement's first run on `ref` after the merge, once there is one. */
  lastRun: ReplacementRun | null;
  /** Every tag that run should have pushed, and when Docker Hub says it was last pushed. */
  verifiedTags: VerifiedTag[];
}

/** The keys of a build's declaration (its YAML entry), in a fixed order. */
export const BUILD_SPEC_KEYS = [
  "image",
  "provider",
  "repository",
  "link",
  "autotest",
  "rules",
  "env",
  "secrets",
  "registry",
  "replacement",
  "secretScope",
  "proposal",
  "verify",
] as const satisfies readonly (keyof BuildSpec)[];

/** The input keys, in a fixed order: what `diff` compares. */
export const BUILD_INPUT_KEYS = [
  ...BUILD_SPEC_KEYS,
  "fileBuilds",
  "buildService",
  "providers",
  "providerVersion",
] as const satisfies readonly (keyof ReplacementBuildInputs)[];

/** Keys whose change makes it another build (another image or repository): a replacement. */
export const BUILD_REPLACE_KEYS = ["image", "provider", "repository"] as const;

/** The build's own declaration out of its inputs. */
export function buildSpecOf(inputs: ReplacementBuildInputs): BuildSpec {
  const out: Record<string, unknown> = {};
  for (const key of BUILD_SPEC_KEYS) if (inputs[key] !== undefined && inputs[key] !== null) out[key] = inputs[key];
  return out as unknown as BuildSpec;
}

/** Just the input keys of build inputs or outputs (drops outputs and the host's `__provider`). */
export function pickBuildInputs(props: ReplacementBuildInputs): ReplacementBuildInputs {
  const out: Record<string, unknown> = {};
  for (const key of BUILD_INPUT_KEYS) if (props[key] !== undefined) out[key] = props[key];
  return out as unknown as ReplacementBuildInputs;
}

/** The resource id of a build: `<provider>/<repository>/<image>`, unique since (image, repository) is. */
export function buildResourceId(spec: Pick<BuildSpec, "provider" | "repository" | "image">): string {
  return `${spec.provider}/${spec.repository}/${spec.image}`;
}

/** Build outputs: the inputs plus the verdict, flattened so policies and stack outputs read each part by name. */
export function buildOutputsOf(inputs: ReplacementBuildInputs, verdict: ReplacementVerdict): ReplacementBuildOutputs {
  return toPlainJson({
    ...pickBuildInputs(inputs),
    state: verdict.state,
    reason: verdict.reason,
    ref: verdict.ref,
    pullRequest: verdict.pullRequest,
    lastRun: verdict.run,
    verifiedTags: verdict.tags,
  });
}

/** The verdict stored in build outputs, as the engine's rules read it. */
export function verdictOf(outputs: ReplacementBuildOutputs): ReplacementVerdict {
  return {
    image: outputs.image,
    provider: outputs.provider,
    repository: outputs.repository,
    state: outputs.state,
    reason: outputs.reason,
    ref: outputs.ref,
    pullRequest: outputs.pullRequest,
    run: outputs.lastRun,
    tags: outputs.verifiedTags,
  };
}
