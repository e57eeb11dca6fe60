/** The spec: typed form of a merged `sourcelinks/v1` configuration (docs/configuration.md), the vocabulary every layer shares. */
import type { BuildSpec } from "./build-spec.js";

/** Source code providers a build service can link to. */
export type ProviderKind = "github" | "bitbucket";

/** Build service contracts sourcelinks knows how to drive. */
export type BuildServiceKind = "reference" | "docker-hub";

/** Desired state of a link between a build-service namespace and a provider account. */
export type LinkState = "linked" | "disabled" | "revoked";

/** What revoking does to the build service's leftovers on each repository. */
export type RevokeAction = "delete" | "keep";

/** Desired third-party access of the build service's OAuth app in a GitHub org. */
export type OrgAccessState = "granted" | "denied";

/** The build service's OAuth application as registered with one provider. */
export interface OAuthAppSpec {
  /** GitHub OAuth app client id (github) or Bitbucket consumer key (bitbucket). */
  clientId: string;
  name: string;
  /** Env var holding the app owner's client secret; enables revoking grants by API. */
  clientSecretEnv?: string;
}

/** `buildService:` — the service links are made on. */
export interface BuildServiceSpec {
  kind: BuildServiceKind;
  apiUrl: string;
  tokenEnv: string;
  /** Glob patterns (`*` matches within a path segment run) recognising the service's webhooks by URL. */
  webhookUrlPatterns: string[];
  /** Glob patterns recognising the service's deploy keys by title. */
  deployKeyTitlePatterns: string[];
  oauthApps: Partial<Record<ProviderKind, OAuthAppSpec>>;
}

/** `providers.github.auth:` a GitHub App, whose installations replace the single token. */
export interface GitHubAppAuthSpec {
  appId: number;
  /** Env var holding the app's private key (PEM); exactly one of this and `privateKeyFile`. */
  privateKeyEnv?: string;
  /** Path of the app's private key (PEM), resolved against the directory of the YAML file that names it. */
  privateKeyFile?: string;
  /** Installation id per owner login; other owners' installations are looked up. */
  installations?: Record<string, number>;
}

/** `providers.github:` */
export interface GitHubProviderSpec {
  apiUrl: string;
  tokenEnv: string;
  /** A GitHub App instead of `tokenEnv` (which then only serves nothing). */
  auth?: GitHubAppAuthSpec;
}

/** `providers.bitbucket:` */
export interface BitbucketProviderSpec {
  apiUrl: string;
  usernameEnv: string;
  tokenEnv: string;
}

/** `providers.dockerHub:` Docker Hub's API, read to verify replacement builds. */
export interface DockerHubProviderSpec {
  apiUrl: string;
  usernameEnv: string;
  tokenEnv: string;
}

/** `providers:` */
export interface ProvidersSpec {
  github?: GitHubProviderSpec;
  bitbucket?: BitbucketProviderSpec;
  dockerHub?: DockerHubProviderSpec;
}

/** A step no API covers, recorded in the YAML as done by a person (`manualSteps:`). */
export interface RecordedManualStep {
  /** The id the plan printed for the step. */
  id: string;
  /** `YYYY-MM-DD`. */
  done: string;
  by: string;
}

/** One declared link; `name` is unique across all files and is the resource name. */
export interface LinkSpec {
  name: string;
  namespace: string;
  team?: string;
  provider: ProviderKind;
  account: string;
  serviceAccount: boolean;
  state: LinkState;
  /** `owner/name` (GitHub) or `workspace/slug` (Bitbucket). */
  repositories: string[];
  onRevoke: { webhooks: RevokeAction; deployKeys: RevokeAction };
  /** What moving a team link to another account does; absent keeps the previous account's grant. */
  onRelink?: { revokePreviousGrant: boolean };
  /** What deleting the link's Pulumi resource does; absent means `release` (stop managing, leave linked). */
  onDelete?: "release" | "revoke";
  /** Earlier names of the link, passed to Pulumi as aliases so a rename is not a delete and a create. */
  aliases?: string[];
  /** Manual steps a person recorded as done. */
  manualSteps?: RecordedManualStep[];
}

/** One declared org access entry. */
export interface OrgAccessSpec {
  org: string;
  provider: "github";
  /** Key into `buildService.oauthApps`. */
  app: ProviderKind;
  access: OrgAccessState;
  /** Manual steps a person recorded as done. */
  manualSteps?: RecordedManualStep[];
}

/**
 * One declared sweep (`sweeps:`): no build-service webhook or deploy key may exist on any repository of
 * `owner`, nor on the org's own hooks, except where a live link covers the repository.
 */
export interface SweepSpec {
  /** Unique across sweeps; the resource name (default `sweep-PROVIDER-OWNER`). */
  name: string;
  provider: ProviderKind;
  /** GitHub org or user, or Bitbucket workspace. */
  owner: string;
  /** Globs of `owner/name` the sweep leaves alone (`*` within the name). */
  exclude: string[];
  /** How old the last full verification may grow before a run reads in full again (`24h`, `90m`, `7d`); absent: 24 h. */
  verifyEvery?: string;
  /** Also re-read 1/N of the owner's repositories every run; absent: none. */
  verifySlices?: number;
  /** Manual steps a person recorded as done (e.g. unarchiving a repository). */
  manualSteps?: RecordedManualStep[];
}

/** The merged configuration of one or more files. */
export interface SourcelinksConfig {
  apiVersion: "sourcelinks/v1";
  buildService: BuildServiceSpec;
  providers: ProvidersSpec;
  links: LinkSpec[];
  orgAccess: OrgAccessSpec[];
  /** Declared sweeps; absent in configs built before sweeps existed (the loader always sets it). */
  sweeps?: SweepSpec[];
  /** Declared autobuild replacements; absent when none is declared. */
  builds?: BuildSpec[];
}
