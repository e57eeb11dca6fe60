/**
 * Reads rule facts out of the properties the Pulumi engine hands a policy pack. This file is the
 * contract between the dynamic provider (provider/) and the pack: the provider's resources MUST use
 * these property names.
 *
 * `pulumi-nodejs:dynamic/sourcelinks:SourceProviderLink`
 *   inputs (the desired `LinkSpec` of engine/model/spec.ts, flat):
 *     `name`, `namespace`, `team?`, `provider` (`github|bitbucket`), `account`, `serviceAccount` (boolean),
 *     `state` (`linked|disabled|revoked`), `repositories` (string[]), `onRevoke` (`{webhooks, deployKeys}`),
 *     `buildService` (`{kind, apiUrl, webhookUrlPatterns, deployKeyTitlePatterns, oauthApps}`), `providerVersion`.
 *   outputs: every input repeated (the usual dynamic-provider convention: `outs` spreads the inputs), plus
 *     `observed`: an `ObservedLink` (engine/model/observed.ts) — the single place the pack reads observed state.
 *     Top-level conveniences such as `providerGrant` or `pendingManualSteps` may exist; the pack ignores them.
 * `pulumi-nodejs:dynamic/sourcelinks:OrgThirdPartyAccess`
 *   inputs: `org`, `provider` (`github`), `app` (`github|bitbucket`), `access` (`granted|denied`);
 *   outputs: the inputs plus `observed`: an `ObservedOrgAccess`.
 * `pulumi-nodejs:dynamic/sourcelinks:ReplacementBuild` (read by build-facts.ts)
 *   inputs: a `BuildSpec` (engine/model/build-spec.ts), flat: `image`, `provider`, `repository`, `link?`,
 *     `replacement?`, …; outputs: the inputs plus `state`, `reason`, `ref`, `pullRequest`, `lastRun`, `verifiedTags`.
 *
 * Which props arrive where (per @pulumi/policy's own docs): `validateResource` gets the resource's
 * INPUTS (so `observed` is normally absent there and only config checks apply), `validateStack` gets
 * every resource's OUTPUTS (so observed state is checked at stack analysis).
 *
 * Unknowns: during a preview the engine sends a not-yet-known value as a sentinel string (the
 * engine's `UnknownStringValue`, `04da6b54-80e4-46f7-96ec-b56ff0331ba9`; the SDK knows one per type).
 * The SDK's proxy throws when such a value is read, so this module reads raw values through property
 * descriptors (which the proxy does not intercept) and maps them: an unknown `observed` (or any unknown
 * inside it) becomes `observed: "unknown"`, an unknown desired input makes the whole resource `unknown-inputs`.
 */
import type { LinkSpec, LinkState, OrgAccessSpec, OrgAccessState, ProviderKind, RevokeAction } from "../engine/model/spec.js";
import type { ObservedLink, ObservedOrgAccess } from "../engine/model/observed.js";
import { TYPE_TOKENS } from "../engine/model/type-tokens.js";
import type { GithubWebhookFacts, GithubWebhookType, LinkFacts, OrgFacts } from "./rules/types.js";

/** Type token of the link resource (docs/identity-and-sharing.md). */
export const LINK_TYPE = TYPE_TOKENS.SourceProviderLink;
/** Type token of the org access resource (docs/identity-and-sharing.md). */
export const ORG_TYPE = TYPE_TOKENS.OrgThirdPartyAccess;
/** Type token of `@pulumi/github`'s RepositoryWebhook. */
export const REPOSITORY_WEBHOOK_TYPE = "github:index/repositoryWebhook:RepositoryWebhook";
/** Type token of `@pulumi/github`'s OrganizationWebhook. */
export const ORGANIZATION_WEBHOOK_TYPE = "github:index/organizationWebhook:OrganizationWebhook";

/**
 * The unknown sentinels of the Pulumi wire format (one per type in @pulumi/policy's proxy.js; the
 * engine itself sends the string one for every computed value).
 */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** The string the engine sends for an unknown value, for tests and for remediations that copy props. */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether a raw value is, or contains, a value unknown during preview. */
export function containsUnknown(value: unknown): boolean {
  if (typeof value === "string") return UNKNOWN_SENTINELS.has(value);
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * A property's raw value. Reading through the descriptor bypasses @pulumi/policy's unknown-checking
 * proxy (it traps `get` only), and nested values come back as the plain deserialized data.
 */
export function rawProperty(props: object, key: string): unknown {
  return Object.getOwnPropertyDescriptor(props, key)?.value;
}

/** A resource as both `ResourceValidationArgs` and `PolicyResource` present it. */
export interface PolicyResourceLike {
  type: string;
  name: string;
  props: Record<string, unknown>;
  /** The provider resource (stack analysis); its `owner` names the GitHub org or user. */
  provider?: { props: Record<string, unknown> } | undefined;
}

/** What a resource's properties say, or why they cannot say it yet. */
export type ResourceFacts =
  | { kind: "link"; facts: LinkFacts; webhookUrlPatterns: string[] }
  | { kind: "org"; facts: OrgFacts }
  /** Desired inputs unknown during preview: nothing about the resource can be decided yet. */
  | { kind: "unknown-inputs"; resource: string; properties: string[] }
  /** Properties that do not follow the contract above (the provider's `check()` should have refused them). */
  | { kind: "invalid"; resource: string; problems: string[] };

type Reader = { value<T>(key: string, guard: (v: unknown) => v is T, what: string, optional?: boolean): T | undefined };

/** Collects unknown and invalid properties while reading. */
function reader(props: object, unknown: string[], problems: string[]): Reader {
  return {
    value<T>(key: string, guard: (v: unknown) => v is T, what: string, optional = false): T | undefined {
      const v = rawProperty(props, key);
      if (containsUnknown(v)) {
        unknown.push(key);
        return undefined;
      }
      if ((v === undefined || v === null) && optional) return undefined;
      if (!guard(v)) {
        problems.push(`${key} must be ${what}`);
        return undefined;
      }
      return v;
    },
  };
}

const isString = (v: unknown): v is string => typeof v === "string";
const isBoolean = (v: unknown): v is boolean => typeof v === "boolean";
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const oneOf =
  <T extends string>(...values: T[]) =>
  (v: unknown): v is T =>
    typeof v === "string" && (values as string[]).includes(v);
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isOnRevoke = (v: unknown): v is { webhooks: RevokeAction; deployKeys: RevokeAction } =>
  isRecord(v) && oneOf("delete", "keep")(v["webhooks"]) && oneOf("delete", "keep")(v["deployKeys"]);
const isObservedLink = (v: unknown): v is ObservedLink =>
  isRecord(v) &&
  Array.isArray(v["repositories"]) &&
  isString(v["providerGrant"]) &&
  Array.isArray(v["pendingManualSteps"]) &&
  isString(v["state"]);
const isObservedOrg = (v: unknown): v is ObservedOrgAccess =>
  isRecord(v) && isString(v["access"]) && isString(v["observedVia"]) && Array.isArray(v["pendingManualSteps"]);

/** The `observed` output: absent, unknown during preview, or an object of the expected shape. */
function readObserved<T>(props: object, guard: (v: unknown) => v is T, problems: string[]): T | undefined | "unknown" {
  const v = rawProperty(props, "observed");
  if (v === undefined || v === null) return undefined;
  if (containsUnknown(v)) return "unknown";
  if (!guard(v)) {
    problems.push("observed does not have the shape of engine/model/observed.ts");
    return undefined;
  }
  return v;
}

/** Link facts from a SourceProviderLink's props. */
function linkFacts(resource: PolicyResourceLike): ResourceFacts {
  const unknown: string[] = [];
  const problems: string[] = [];
  const r = reader(resource.props, unknown, problems);
  const name = r.value("name", isString, "a string", true) ?? resource.name;
  const namespace = r.value("namespace", isString, "a string");
  const team = r.value("team", isString, "a string", true);
  const provider = r.value<ProviderKind>("provider", oneOf("github", "bitbucket"), "github or bitbucket");
  const account = r.value("account", isString, "a string");
  const serviceAccount = r.value("serviceAccount", isBoolean, "a boolean");
  const state = r.value<LinkState>("state", oneOf("linked", "disabled", "revoked"), "linked, disabled or revoked");
  const repositories = r.value("repositories", isStringArray, "a list of owner/name strings");
  const onRevoke = r.value("onRevoke", isOnRevoke, "{webhooks: delete|keep, deployKeys: delete|keep}");
  const buildService = rawProperty(resource.props, "buildService");
  const patterns = isRecord(buildService) && isStringArray(buildService["webhookUrlPatterns"]) ? buildService["webhookUrlPatterns"] : [];
  const observed = readObserved(resource.props, isObservedLink, problems);
  if (unknown.length > 0) return { kind: "unknown-inputs", resource: name, properties: unknown };
  if (
    problems.length > 0 ||
    namespace === undefined ||
    provider === undefined ||
    account === undefined ||
    serviceAccount === undefined ||
    state === undefined ||
    repositories === undefined ||
    onRevoke === undefined
  ) {
    return { kind: "invalid", resource: name, problems };
  }
  const desired: LinkSpec = { name, namespace, provider, account, serviceAccount, state, repositories, onRevoke };
  if (team !== undefined) desired.team = team;
  return { kind: "link", facts: { name, desired, observed }, webhookUrlPatterns: patterns };
}

/** Org facts from an OrgThirdPartyAccess's props. */
function orgFacts(resource: PolicyResourceLike): ResourceFacts {
  const unknown: string[] = [];
  const problems: string[] = [];
  const r = reader(resource.props, unknown, problems);
  const org = r.value("org", isString, "a string");
  const app = r.value<ProviderKind>("app", oneOf("github", "bitbucket"), "github or bitbucket");
  const access = r.value<OrgAccessState>("access", oneOf("granted", "denied"), "granted or denied");
  r.value("provider", oneOf("github"), "github");
  const observed = readObserved(resource.props, isObservedOrg, problems);
  if (unknown.length > 0) return { kind: "unknown-inputs", resource: resource.name, properties: unknown };
  if (problems.length > 0 || org === undefined || app === undefined || access === undefined) {
    return { kind: "invalid", resource: resource.name, problems };
  }
  const desired: OrgAccessSpec = { org, provider: "github", app, access };
  return { kind: "org", facts: { name: resource.name, desired, observed } };
}

/**
 * Rule facts of a sourcelinks resource, or undefined for any other type. Never throws on unknown
 * values; see the module comment for the property names.
 */
export function factsFromResource(resource: PolicyResourceLike): ResourceFacts | undefined {
  if (resource.type === LINK_TYPE) return linkFacts(resource);
  if (resource.type === ORG_TYPE) return orgFacts(resource);
  return undefined;
}

/**
 * Facts of a `@pulumi/github` RepositoryWebhook or OrganizationWebhook, or undefined for other types.
 * `repository` is the repository's NAME in @pulumi/github; the owner comes from the github provider's
 * `owner` when the stack analysis carries it, and a repository already written `owner/name` is kept.
 */
export function githubWebhookFromResource(resource: PolicyResourceLike): GithubWebhookFacts | undefined {
  if (resource.type !== REPOSITORY_WEBHOOK_TYPE && resource.type !== ORGANIZATION_WEBHOOK_TYPE) return undefined;
  const type: GithubWebhookType = resource.type;
  const ownerRaw = resource.provider ? rawProperty(resource.provider.props, "owner") : undefined;
  const owner = isString(ownerRaw) && ownerRaw !== "" && !containsUnknown(ownerRaw) ? ownerRaw : undefined;
  const configuration = rawProperty(resource.props, "configuration");
  const conf = isRecord(configuration) ? configuration : {};
  const url = isString(conf["url"]) && !containsUnknown(conf["url"]) ? conf["url"] : undefined;
  const facts: GithubWebhookFacts = { resourceName: resource.name, type, url };
  if (!containsUnknown(conf["secret"])) facts.hasSecret = isString(conf["secret"]) && conf["secret"] !== "";
  if (isBoolean(conf["insecureSsl"])) facts.insecureSsl = conf["insecureSsl"];
  if (type === REPOSITORY_WEBHOOK_TYPE) {
    const repo = rawProperty(resource.props, "repository");
    if (isString(repo) && !containsUnknown(repo)) {
      facts.repository = repo.includes("/") || owner === undefined ? repo : `${owner}/${repo}`;
    }
  } else if (owner !== undefined) {
    facts.org = owner;
  }
  return facts;
}
