/**
 * The resource classes users declare, in the root program or their own Pulumi programs.
 * Their type tokens (engine/model/type-tokens.ts) are what the policies match on.
 */
import * as pulumi from "./pulumi-sdk.js";
import type {
  BuildServiceSpec,
  LinkSpec,
  LinkState,
  OrgAccessState,
  ProviderKind,
  ProvidersSpec,
  RevokeAction,
} from "../engine/model/spec.js";
import type { LiveLinkState, ObservedLink, ObservedOrgAccess, ObservedVia, ProviderGrant } from "../engine/model/observed.js";
import type { ManualStep } from "../engine/model/manual-step.js";
import type { SweepObservation, SweptArtifact } from "../engine/model/sweep.js";
import type { AutotestMode, BuildRuleSpec, BuildSpec, RegistryLogin } from "../engine/model/build-spec.js";
import type { ProposalPullRequest, ReplacementState } from "../engine/model/replacement.js";
import type { ReplacementRun, VerifiedTag } from "../engine/model/replacement-run.js";
import { type ResourceTypeName, TOKEN_MODULE, TYPE_TOKENS } from "../engine/model/type-tokens.js";
import { sweepProvider } from "./sweep-provider.js";
import { buildProvider } from "./build-provider.js";
import { linkProvider } from "./link-provider.js";
import { orgAccessProvider } from "./org-access-provider.js";
import { importRefusal } from "./import-refusal.js";
import { packageVersion } from "./package-files.js";
import type { RepositoryDeployKey, RepositoryWebhook } from "./properties.js";

export { TOKEN_MODULE };

/** `pulumi-nodejs:dynamic/sourcelinks:SourceProviderLink`. */
export const SOURCE_PROVIDER_LINK_TYPE = TYPE_TOKENS.SourceProviderLink;

/** `pulumi-nodejs:dynamic/sourcelinks:OrgThirdPartyAccess`. */
export const ORG_THIRD_PARTY_ACCESS_TYPE = TYPE_TOKENS.OrgThirdPartyAccess;

/** `pulumi-nodejs:dynamic/sourcelinks:OrphanSweep`. */
export const ORPHAN_SWEEP_TYPE = TYPE_TOKENS.OrphanSweep;

/** `pulumi-nodejs:dynamic/sourcelinks:ReplacementBuild`. */
export const REPLACEMENT_BUILD_TYPE = TYPE_TOKENS.ReplacementBuild;

/** Where a resource's operations run; the same blocks as the YAML's `buildService:` and `providers:`. */
export interface WorldArgs {
  buildService: pulumi.Input<BuildServiceSpec>;
  providers: pulumi.Input<ProvidersSpec>;
}

/** Arguments of a `SourceProviderLink`; the defaults are the YAML's. */
export interface SourceProviderLinkArgs extends WorldArgs {
  namespace: pulumi.Input<string>;
  /** A team link must use a service account (`serviceAccount: true`). */
  team?: pulumi.Input<string>;
  provider: pulumi.Input<ProviderKind>;
  account: pulumi.Input<string>;
  /** Default `false`. */
  serviceAccount?: pulumi.Input<boolean>;
  /** Default `linked`. */
  state?: pulumi.Input<LinkState>;
  /** Default `[]`. */
  repositories?: pulumi.Input<pulumi.Input<string>[]>;
  /** Default: delete both. */
  onRevoke?: pulumi.Input<{ webhooks: RevokeAction; deployKeys: RevokeAction }>;
  /** What deleting this resource does: `release` (default: stop managing, leave linked) or `revoke`. */
  onDelete?: pulumi.Input<"release" | "revoke">;
  /** What moving a team link to another account does to the previous account's grant; default: keep it. */
  onRelink?: pulumi.Input<{ revokePreviousGrant: boolean }>;
}

/** Arguments of an `OrgThirdPartyAccess`. */
export interface OrgThirdPartyAccessArgs extends WorldArgs {
  org: pulumi.Input<string>;
  access: pulumi.Input<OrgAccessState>;
  /** Which `buildService.oauthApps` entry; default `github`. */
  app?: pulumi.Input<ProviderKind>;
  /** The declared links org access may be read and set through (live, not revoked, GitHub). */
  links?: pulumi.Input<pulumi.Input<LinkSpec>[]>;
}

/**
 * A link between a build-service namespace and a GitHub or Bitbucket account (docs/identity-and-sharing.md).
 * `state: revoked` revokes the link on both sides and removes the build service's webhooks and deploy
 * keys per `onRevoke`. Deleting the resource releases the link (stops managing it) unless `onDelete`
 * is `revoke`, so a rename or a new parent never revokes. The outputs show what is live, including
 * steps no API covers.
 */
export class SourceProviderLink extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly namespace: pulumi.Output<string>;
  declare readonly team: pulumi.Output<string | undefined>;
  declare readonly provider: pulumi.Output<ProviderKind>;
  declare readonly account: pulumi.Output<string>;
  declare readonly serviceAccount: pulumi.Output<boolean>;
  declare readonly state: pulumi.Output<LinkState>;
  declare readonly repositories: pulumi.Output<string[]>;
  declare readonly onRevoke: pulumi.Output<{ webhooks: RevokeAction; deployKeys: RevokeAction }>;
  declare readonly onDelete: pulumi.Output<"release" | "revoke">;
  declare readonly buildService: pulumi.Output<BuildServiceSpec>;
  declare readonly providers: pulumi.Output<ProvidersSpec>;
  declare readonly providerVersion: pulumi.Output<string>;
  /** Everything the last create, update or refresh observed. */
  declare readonly observed: pulumi.Output<ObservedLink>;
  declare readonly linkId: pulumi.Output<string | null>;
  declare readonly liveState: pulumi.Output<LiveLinkState>;
  declare readonly providerGrant: pulumi.Output<ProviderGrant>;
  declare readonly pendingManualSteps: pulumi.Output<ManualStep[]>;
  declare readonly webhooks: pulumi.Output<RepositoryWebhook[]>;
  declare readonly deployKeys: pulumi.Output<RepositoryDeployKey[]>;
  /** What the last observation found different from the declaration (`webhook 1007 still on acme/api`): what `pulumi up` repairs. */
  declare readonly drift: pulumi.Output<string[]>;

  /** Declares the link `name` (also its name in the YAML). */
  constructor(name: string, args: SourceProviderLinkArgs, opts?: pulumi.CustomResourceOptions) {
    importRefusal("SourceProviderLink", name, opts);
    const props: Record<string, unknown> = {
      name,
      namespace: args.namespace,
      // Absent for a personal link; an undefined value also makes `team` an output.
      team: args.team,
      provider: args.provider,
      account: args.account,
      serviceAccount: args.serviceAccount ?? false,
      state: args.state ?? "linked",
      repositories: args.repositories ?? [],
      onRevoke: args.onRevoke ?? { webhooks: "delete", deployKeys: "delete" },
      onDelete: args.onDelete ?? "release",
      ...(args.onRelink !== undefined ? { onRelink: args.onRelink } : {}),
      buildService: args.buildService,
      providers: args.providers,
      providerVersion: packageVersion(),
      // Output-only properties: declared so they surface as outputs; the provider fills them.
      observed: undefined,
      linkId: undefined,
      liveState: undefined,
      providerGrant: undefined,
      pendingManualSteps: undefined,
      webhooks: undefined,
      deployKeys: undefined,
      drift: undefined,
    };
    super(linkProvider, name, props, opts, TOKEN_MODULE, "SourceProviderLink" satisfies ResourceTypeName);
  }
}

/**
 * The desired third-party access of the build service's OAuth app in a GitHub organization.
 * Deleting it stops managing the setting and leaves the organization's choice in place.
 */
export class OrgThirdPartyAccess extends pulumi.dynamic.Resource {
  declare readonly org: pulumi.Output<string>;
  declare readonly provider: pulumi.Output<"github">;
  declare readonly app: pulumi.Output<ProviderKind>;
  declare readonly access: pulumi.Output<OrgAccessState>;
  declare readonly buildService: pulumi.Output<BuildServiceSpec>;
  declare readonly providers: pulumi.Output<ProvidersSpec>;
  declare readonly links: pulumi.Output<LinkSpec[]>;
  declare readonly providerVersion: pulumi.Output<string>;
  declare readonly observed: pulumi.Output<ObservedOrgAccess>;
  declare readonly observedAccess: pulumi.Output<ObservedOrgAccess["access"]>;
  declare readonly observedVia: pulumi.Output<ObservedVia>;
  declare readonly pendingManualSteps: pulumi.Output<ManualStep[]>;
  /** What the last observation found different from the declaration: what `pulumi up` sets. */
  declare readonly drift: pulumi.Output<string[]>;

  /** Declares the access of one org; the resource name is free (declareFromConfig uses `<org>-<app>`). */
  constructor(name: string, args: OrgThirdPartyAccessArgs, opts?: pulumi.CustomResourceOptions) {
    importRefusal("OrgThirdPartyAccess", name, opts);
    const props: Record<string, unknown> = {
      org: args.org,
      provider: "github",
      app: args.app ?? "github",
      access: args.access,
      buildService: args.buildService,
      providers: args.providers,
      links: args.links ?? [],
      providerVersion: packageVersion(),
      observed: undefined,
      observedAccess: undefined,
      observedVia: undefined,
      pendingManualSteps: undefined,
      drift: undefined,
    };
    super(orgAccessProvider, name, props, opts, TOKEN_MODULE, "OrgThirdPartyAccess" satisfies ResourceTypeName);
  }
}

/** Arguments of an `OrphanSweep`. */
export interface OrphanSweepArgs extends WorldArgs {
  provider: pulumi.Input<ProviderKind>;
  /** The GitHub org or user, or the Bitbucket workspace. */
  owner: pulumi.Input<string>;
  /** Globs of `owner/name` left alone; default `[]`. */
  exclude?: pulumi.Input<pulumi.Input<string>[]>;
  /** Every declared link: live ones cover their repositories, revoked ones handle their own leftovers. Default `[]`. */
  links?: pulumi.Input<pulumi.Input<LinkSpec>[]>;
  /** A full verification of the owner when the last is older than this (`24h`, `90m`, `7d`); default `24h`. */
  verifyEvery?: pulumi.Input<string>;
  /** Also re-read 1/N of the owner's repositories every refresh; default none. */
  verifySlices?: pulumi.Input<number>;
}

/**
 * A sweep of one owner (docs/identity-and-sharing.md): no build-service webhook or deploy key may exist on any of its
 * repositories, nor on the org's own webhooks, except where a live link covers the repository. Create
 * and update delete the others (never on an archived repository: a manual step says to unarchive it);
 * refresh reports them. The outputs list what was found and what was removed. Deleting the resource
 * stops sweeping and changes nothing.
 */
export class OrphanSweep extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly provider: pulumi.Output<ProviderKind>;
  declare readonly owner: pulumi.Output<string>;
  declare readonly exclude: pulumi.Output<string[]>;
  declare readonly verifyEvery: pulumi.Output<string | undefined>;
  declare readonly verifySlices: pulumi.Output<number | undefined>;
  declare readonly links: pulumi.Output<LinkSpec[]>;
  declare readonly buildService: pulumi.Output<BuildServiceSpec>;
  declare readonly providers: pulumi.Output<ProvidersSpec>;
  declare readonly providerVersion: pulumi.Output<string>;
  /** Everything the last create, update or refresh observed. */
  declare readonly observed: pulumi.Output<SweepObservation>;
  /** What no live link covers, as last observed. */
  declare readonly found: pulumi.Output<SweptArtifact[]>;
  /** What the last create or update deleted. */
  declare readonly removed: pulumi.Output<SweptArtifact[]>;
  declare readonly pendingManualSteps: pulumi.Output<ManualStep[]>;
  /** What the next create or update would delete, in words (`webhook 1007 on acme/api is orphaned`). */
  declare readonly drift: pulumi.Output<string[]>;

  /** Declares the sweep `name` (the YAML's sweep name; default `sweep-PROVIDER-OWNER` there). */
  constructor(name: string, args: OrphanSweepArgs, opts?: pulumi.CustomResourceOptions) {
    importRefusal("OrphanSweep", name, opts);
    const props: Record<string, unknown> = {
      name,
      provider: args.provider,
      owner: args.owner,
      exclude: args.exclude ?? [],
      verifyEvery: args.verifyEvery,
      verifySlices: args.verifySlices,
      links: args.links ?? [],
      buildService: args.buildService,
      providers: args.providers,
      providerVersion: packageVersion(),
      observed: undefined,
      found: undefined,
      removed: undefined,
      pendingManualSteps: undefined,
      drift: undefined,
    };
    super(sweepProvider, name, props, opts, TOKEN_MODULE, "OrphanSweep" satisfies ResourceTypeName);
  }
}

/** Arguments of a `ReplacementBuild`: a `builds:` entry as the YAML loader completes it, and its world. */
export interface ReplacementBuildArgs extends WorldArgs {
  /** Docker Hub `namespace/name`. */
  image: pulumi.Input<string>;
  provider: pulumi.Input<ProviderKind>;
  /** `owner/name` (GitHub) or `workspace/slug` (Bitbucket). */
  repository: pulumi.Input<string>;
  /** The link whose autobuilds this replaces. */
  link?: pulumi.Input<string>;
  autotest: pulumi.Input<AutotestMode>;
  rules: pulumi.Input<pulumi.Input<BuildRuleSpec>[]>;
  /** Default `{}`. */
  env?: pulumi.Input<Record<string, string>>;
  /** CI secret name → the env var holding its value where the provider runs (read only when the secret is set). Default `{}`. */
  secrets?: pulumi.Input<Record<string, string>>;
  /** Default `{login: token}`. */
  registry?: pulumi.Input<{ login: RegistryLogin }>;
  /** `none`: the image is retired on purpose; nothing is proposed. */
  replacement?: pulumi.Input<"none">;
  /** Default `repository`. */
  secretScope?: pulumi.Input<"repository" | "organization">;
  proposal?: pulumi.Input<{ branch?: string }>;
  /** The branch whose first run after the merge verifies the replacement. Default: the default branch. */
  verify?: pulumi.Input<{ branch: string }>;
  /** The builds rendered into the same CI file, this one included (Bitbucket: every build of the repository). Default: this build alone. */
  fileBuilds?: pulumi.Input<pulumi.Input<BuildSpec>[]>;
}

/**
 * The replacement of one Docker Hub autobuild (a `builds:` entry): create and update propose its CI
 * file through a branch and a pull request and set its CI secrets, as `sourcelinks apply` does; every
 * create, update and refresh verifies it (`absent | proposed | merged | verified | failing`). The policy
 * pack holds a revoked link to `replacement-before-revocation` on these outputs. Deleting the resource
 * releases it: nothing in the repository changes.
 */
export class ReplacementBuild extends pulumi.dynamic.Resource {
  declare readonly image: pulumi.Output<string>;
  declare readonly provider: pulumi.Output<ProviderKind>;
  declare readonly repository: pulumi.Output<string>;
  declare readonly link: pulumi.Output<string | undefined>;
  declare readonly providerVersion: pulumi.Output<string>;
  /** Where the replacement stands. */
  declare readonly state: pulumi.Output<ReplacementState>;
  /** Why `state` is not `verified`; null when it is. */
  declare readonly reason: pulumi.Output<string | null>;
  /** The ref whose run is verified. */
  declare readonly ref: pulumi.Output<string>;
  /** The proposal's pull request. */
  declare readonly pullRequest: pulumi.Output<ProposalPullRequest | null>;
  /** The first run on `ref` after the merge. */
  declare readonly lastRun: pulumi.Output<ReplacementRun | null>;
  /** The tags that run should have pushed, with `tag_last_pushed`. */
  declare readonly verifiedTags: pulumi.Output<VerifiedTag[]>;

  /** Declares the build `name` (declareFromConfig names it by its image). */
  constructor(name: string, args: ReplacementBuildArgs, opts?: pulumi.CustomResourceOptions) {
    importRefusal("ReplacementBuild", name, opts);
    const spec: Record<string, unknown> = {
      image: args.image,
      provider: args.provider,
      repository: args.repository,
      link: args.link,
      autotest: args.autotest,
      rules: args.rules,
      env: args.env ?? {},
      secrets: args.secrets ?? {},
      registry: args.registry ?? { login: "token" },
      replacement: args.replacement,
      secretScope: args.secretScope ?? "repository",
      proposal: args.proposal,
      verify: args.verify,
    };
    const props: Record<string, unknown> = {
      ...spec,
      fileBuilds: args.fileBuilds ?? pulumi.all(spec).apply((s) => [JSON.parse(JSON.stringify(s)) as BuildSpec]),
      buildService: args.buildService,
      providers: args.providers,
      providerVersion: packageVersion(),
      state: undefined,
      reason: undefined,
      ref: undefined,
      pullRequest: undefined,
      lastRun: undefined,
      verifiedTags: undefined,
    };
    super(buildProvider, name, props, opts, TOKEN_MODULE, "ReplacementBuild" satisfies ResourceTypeName);
  }
}
