/**
 * The properties of the two dynamic resources as the engine stores them (docs/identity-and-sharing.md,
 * "Pulumi resources"), and the pure conversions between them and the config/reconcile types.
 * The policy pack reads these names through policies/resource-facts.ts: renaming one breaks it.
 * Nothing here holds a credential: inputs name env vars, outputs are observations.
 */
import type { BuildServiceSpec, LinkSpec, OrgAccessSpec, ProviderKind, ProvidersSpec, SourcelinksConfig } from "../engine/model/spec.js";
import type {
  LiveLinkState,
  ObservedDeployKey,
  ObservedLink,
  ObservedOrgAccess,
  ObservedVia,
  ObservedWebhook,
  ProviderGrant,
} from "../engine/model/observed.js";
import type { ManualStep } from "../engine/model/manual-step.js";

/** Where a resource's operations run: the build service and providers, by URL and env var names only. */
export interface WorldSettings {
  buildService: BuildServiceSpec;
  providers: ProvidersSpec;
}

/** `SourceProviderLink` inputs: the declared link, its world, and the provider code's version. */
export interface SourceProviderLinkInputs extends LinkSpec, WorldSettings {
  /** The sourcelinks package version: a code upgrade shows up as a diff. */
  providerVersion: string;
}

/** A build-service webhook with the repository it is on. */
export type RepositoryWebhook = { repository: string } & ObservedWebhook;

/** A build-service deploy key with the repository it is on. */
export type RepositoryDeployKey = { repository: string } & ObservedDeployKey;

/** `SourceProviderLink` outputs: the inputs plus what was last observed, flattened for policies. */
export interface SourceProviderLinkOutputs extends SourceProviderLinkInputs {
  observed: ObservedLink;
  linkId: string | null;
  liveState: LiveLinkState;
  providerGrant: ProviderGrant;
  pendingManualSteps: ManualStep[];
  webhooks: RepositoryWebhook[];
  deployKeys: RepositoryDeployKey[];
  /** What the last observation found different from the declaration (provider/drift.ts); empty when in sync, absent in older state. */
  drift?: string[];
}

/** `OrgThirdPartyAccess` inputs: the declared access, its world, the links it may act through. */
export interface OrgThirdPartyAccessInputs extends OrgAccessSpec, WorldSettings {
  links: LinkSpec[];
  providerVersion: string;
}

/** `OrgThirdPartyAccess` outputs: the inputs plus the effective access and how it was observed. */
export interface OrgThirdPartyAccessOutputs extends OrgThirdPartyAccessInputs {
  observed: ObservedOrgAccess;
  observedAccess: ObservedOrgAccess["access"];
  observedVia: ObservedVia;
  pendingManualSteps: ManualStep[];
  /** What the last observation found different from the declaration (provider/drift.ts); absent in older state. */
  drift?: string[];
}

/** The keys of a link's declaration (its YAML entry), in a fixed order: what `check` validates. */
export const LINK_SPEC_KEYS = [
  "name",
  "namespace",
  "team",
  "provider",
  "account",
  "serviceAccount",
  "state",
  "repositories",
  "onRevoke",
  "onDelete",
  "onRelink",
] as const satisfies readonly (keyof SourceProviderLinkInputs)[];

/** The input keys of a link, in a fixed order: what `diff` compares. */
export const LINK_INPUT_KEYS = [
  ...LINK_SPEC_KEYS,
  "buildService",
  "providers",
  "providerVersion",
] as const satisfies readonly (keyof SourceProviderLinkInputs)[];

/** The keys of an org access entry's declaration, in a fixed order. */
export const ORG_ACCESS_SPEC_KEYS = ["org", "provider", "app", "access"] as const satisfies readonly (keyof OrgThirdPartyAccessInputs)[];

/** The input keys of an org access entry, in a fixed order. */
export const ORG_ACCESS_INPUT_KEYS = [
  ...ORG_ACCESS_SPEC_KEYS,
  "buildService",
  "providers",
  "links",
  "providerVersion",
] as const satisfies readonly (keyof OrgThirdPartyAccessInputs)[];

/**
 * Link inputs whose change cannot be applied in place: the link's identity on the build service, which
 * is the team of a team link (its account can be relinked in place) and otherwise the account.
 */
export function linkReplaceKeys(teamLink: boolean): readonly (keyof SourceProviderLinkInputs)[] {
  return teamLink ? ["namespace", "provider", "team"] : ["namespace", "provider", "account"];
}

/** Org access inputs whose change makes it another resource. */
export const ORG_ACCESS_REPLACE_KEYS = ["org", "provider", "app"] as const satisfies readonly (keyof OrgThirdPartyAccessInputs)[];

/** The declared link carried by link inputs (or outputs), without the world settings. */
export function linkSpecOf(inputs: SourceProviderLinkInputs): LinkSpec {
  const spec: LinkSpec = {
    name: inputs.name,
    namespace: inputs.namespace,
    provider: inputs.provider,
    account: inputs.account,
    serviceAccount: inputs.serviceAccount,
    state: inputs.state,
    repositories: [...inputs.repositories],
    onRevoke: { webhooks: inputs.onRevoke.webhooks, deployKeys: inputs.onRevoke.deployKeys },
  };
  if (inputs.team !== undefined && inputs.team !== null) spec.team = inputs.team;
  if (inputs.onRelink !== undefined && inputs.onRelink !== null)
    spec.onRelink = { revokePreviousGrant: inputs.onRelink.revokePreviousGrant };
  return spec;
}

/** The declared org access carried by org access inputs. */
export function orgAccessSpecOf(inputs: OrgThirdPartyAccessInputs): OrgAccessSpec {
  return { org: inputs.org, provider: inputs.provider, app: inputs.app, access: inputs.access };
}

/** A one-resource configuration, what `createOperationContext` builds the clients from. */
export function configOf(world: WorldSettings, links: LinkSpec[] = [], orgAccess: OrgAccessSpec[] = []): SourcelinksConfig {
  return { apiVersion: "sourcelinks/v1", buildService: world.buildService, providers: world.providers, links, orgAccess };
}

/**
 * The resource id of a link: its identity on the build service, stable across relinks of a team
 * (`acme/github/team:ci`) and otherwise the authorized account (`acme/github/legacy-builder`).
 * Identifiers cannot contain `:`, so the two forms never collide.
 */
export function linkResourceId(spec: Pick<LinkSpec, "namespace" | "provider" | "team" | "account">): string {
  const who = spec.team !== undefined ? `team:${spec.team}` : spec.account;
  return `${spec.namespace}/${spec.provider}/${who}`;
}

/** Parses a link resource id; null when it is not one (a truly unknown id). */
export function parseLinkResourceId(id: string): { namespace: string; provider: ProviderKind; team?: string; account?: string } | null {
  const match = /^([^/]+)\/(github|bitbucket)\/(.+)$/.exec(id);
  if (match === null) return null;
  const [, namespace = "", provider, who = ""] = match;
  const kind = provider as ProviderKind;
  return who.startsWith("team:")
    ? { namespace, provider: kind, team: who.slice("team:".length) }
    : { namespace, provider: kind, account: who };
}

/** The resource id of an org access entry: `<org>/<app>`. */
export function orgAccessResourceId(spec: Pick<OrgAccessSpec, "org" | "app">): string {
  return `${spec.org}/${spec.app}`;
}

/** The engine's property maps are JSON: drop `undefined` (a Struct cannot carry it) and class instances. */
export function toPlainJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Just the input keys of link inputs or outputs (drops outputs and the host's `__provider`). */
export function pickLinkInputs(props: SourceProviderLinkInputs): SourceProviderLinkInputs {
  const out: Record<string, unknown> = {};
  for (const key of LINK_INPUT_KEYS) if (props[key] !== undefined) out[key] = props[key];
  return out as unknown as SourceProviderLinkInputs;
}

/** Just the input keys of org access inputs or outputs. */
export function pickOrgAccessInputs(props: OrgThirdPartyAccessInputs): OrgThirdPartyAccessInputs {
  const out: Record<string, unknown> = {};
  for (const key of ORG_ACCESS_INPUT_KEYS) if (props[key] !== undefined) out[key] = props[key];
  return out as unknown as OrgThirdPartyAccessInputs;
}

/** Link outputs: the inputs plus the observation, flattened the way policies read it. */
export function linkOutputsOf(inputs: SourceProviderLinkInputs, observed: ObservedLink): Omit<SourceProviderLinkOutputs, "drift"> {
  return toPlainJson({
    ...pickLinkInputs(inputs),
    observed,
    linkId: observed.linkId,
    liveState: observed.state,
    providerGrant: observed.providerGrant,
    pendingManualSteps: observed.pendingManualSteps,
    webhooks: observed.repositories.flatMap((r) => r.webhooks.map((w) => ({ repository: r.repository, ...w }))),
    deployKeys: observed.repositories.flatMap((r) => r.deployKeys.map((k) => ({ repository: r.repository, ...k }))),
  });
}

/** Org access outputs: the inputs plus the observation. */
export function orgAccessOutputsOf(inputs: OrgThirdPartyAccessInputs, observed: ObservedOrgAccess): OrgThirdPartyAccessOutputs {
  return toPlainJson({
    ...pickOrgAccessInputs(inputs),
    observed,
    observedAccess: observed.access,
    observedVia: observed.observedVia,
    pendingManualSteps: observed.pendingManualSteps,
  });
}
