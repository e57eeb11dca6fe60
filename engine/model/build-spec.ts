/** The typed form of a `builds:` entry: one Docker Hub repository's autobuild configuration, in Docker's words. */
import type { ProviderKind } from "./spec.js";

/** Which refs a rule reads: branches or tags. */
export type BuildSourceType = "branch" | "tag";

/** Docker's Autotest setting: which pull requests are built and tested (never pushed). */
export type AutotestMode = "off" | "internal" | "external";

/** How CI logs in to Docker Hub. */
export type RegistryLogin = "token" | "oidc";

/** One build rule, with Docker's UI defaults filled in. */
export interface BuildRuleSpec {
  sourceType: BuildSourceType;
  /** A branch or tag name, or a regular expression written `/…/`. */
  source: string;
  /** One Docker tag or several separated by commas; `{sourceref}` and `{\1}`…`{\9}` are replaced. */
  tag: string;
  /** Relative to `context`, or from the repository root when `context` is empty. */
  dockerfile: string;
  /** From the repository root; empty means the Dockerfile's folder. */
  context: string;
  /** False: built and tested, never pushed. */
  autobuild: boolean;
  cache: boolean;
}

/** One declared build (`builds:`); (image, repository) is unique across all files. */
export interface BuildSpec {
  /** Docker Hub `namespace/name`. */
  image: string;
  provider: ProviderKind;
  /** `owner/name` (GitHub) or `workspace/slug` (Bitbucket). */
  repository: string;
  /** The link whose autobuilds this replaces. */
  link?: string;
  autotest: AutotestMode;
  rules: BuildRuleSpec[];
  /** Plain build environment variables. */
  env: Record<string, string>;
  /** Secret variable name in CI → the env var holding its value where sourcelinks runs; values are never written. */
  secrets: Record<string, string>;
  registry: { login: RegistryLogin };
  /** `none`: the image is retired on purpose; its link may be revoked without a verified replacement. */
  replacement?: "none";
  /** Where CI secrets are set: repository secrets/variables, or the GitHub owner's organization secrets selected for the repository. */
  secretScope: "repository" | "organization";
  /** The branch the proposal's pull request comes from; absent: `sourcelinks/<the CI file's name>`. */
  proposal?: { branch?: string };
  /** The branch whose run verifies the replacement once merged; absent: the default branch. */
  verify?: { branch: string };
}
