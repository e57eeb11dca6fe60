/**
 * The plan steps that put a replacement build in place: the proposal (a branch, the CI file on it, a
 * pull request), the CI secrets it logs in with, and on Bitbucket Pipelines switched on. Each carries
 * the request it sends and everything a plan shows about it; secret values are never in a step, only
 * the name of the env var `apply` reads them from.
 */
import type { PlannedRequest } from "./plan.js";
import type { ProviderKind } from "./spec.js";

/** GitHub: a proposal branch from the default branch's head: created (`POST …/git/refs`), or reset there (`PATCH`, forced) when its head is the head a merged pull request took in. */
export interface ProposalBranchStep {
  kind: "proposal-branch";
  request: PlannedRequest;
  provider: "github";
  repository: string;
  branch: string;
  /** The default branch's head commit the branch starts from. */
  from: string;
  reset: boolean;
}

/** The rendered CI file committed on the proposal branch (GitHub `PUT …/contents/{path}`, Bitbucket `POST …/src`). */
export interface ProposalFileStep {
  kind: "proposal-file";
  request: PlannedRequest;
  provider: ProviderKind;
  repository: string;
  branch: string;
  path: string;
  /** The file's new text, exactly as `builds render` writes it. */
  content: string;
  /** What the default branch holds at `path` (null: no such file), for the plan's diff. */
  previous: string | null;
  /** GitHub: the blob sha of the file the write replaces on the branch (null when there is none). */
  replaces: string | null;
  /** Bitbucket: the commit a new branch starts from (null when the branch exists). */
  parent: string | null;
  message: string;
}

/** The pull request from the proposal branch into the default branch: opened, or the open one updated. */
export interface ProposalPullRequestStep {
  kind: "proposal-pull-request";
  request: PlannedRequest;
  provider: ProviderKind;
  repository: string;
  branch: string;
  base: string;
  /** The open pull request this updates, or null to open one. */
  number: number | null;
  title: string;
  body: string;
}

/** Where a CI secret is set: a repository secret (GitHub Actions, Bitbucket secured variable) or a GitHub org secret selected for the repository. */
export type CiSecretScope = "repository" | "organization";

/** One CI secret, sealed for GitHub (libsodium sealed box) or a secured Bitbucket variable; the value is read from `env` only when sent. */
export interface CiSecretStep {
  kind: "ci-secret";
  request: PlannedRequest;
  provider: ProviderKind;
  repository: string;
  /** The secret's name in CI. */
  name: string;
  /** The env var holding the value where `apply` runs. */
  env: string;
  scope: CiSecretScope;
  /** GitHub organization scope: the repository's id, the secret's first selected repository. */
  repositoryId?: number;
}

/** GitHub: an existing org secret made available to the repository (`PUT …/secrets/{name}/repositories/{id}`). */
export interface OrgSecretRepositoryStep {
  kind: "org-secret-repository";
  request: PlannedRequest;
  provider: "github";
  repository: string;
  org: string;
  name: string;
  repositoryId: number;
}

/** Bitbucket: Pipelines enabled on the repository (`PUT …/pipelines_config`). */
export interface EnablePipelinesStep {
  kind: "enable-pipelines";
  request: PlannedRequest;
  provider: "bitbucket";
  repository: string;
}

/** Every step of a replacement build's plan. */
export type ReplacementStep =
  | ProposalBranchStep
  | ProposalFileStep
  | ProposalPullRequestStep
  | CiSecretStep
  | OrgSecretRepositoryStep
  | EnablePipelinesStep;
