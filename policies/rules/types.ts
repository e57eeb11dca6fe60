/**
 * The vocabulary of the policy rules: the facts they read, the violations they return and the
 * shape of a rule. Pure data; no I/O and no Pulumi imports, so the CLI and the pack share it.
 */
import type { BuildServiceKind, LinkSpec, OrgAccessSpec, SweepSpec } from "../../engine/model/spec.js";
import type { BuildSpec } from "../../engine/model/build-spec.js";
import type { ReplacementVerdict } from "../../engine/model/replacement-run.js";
import type { SweepObservation } from "../../engine/model/sweep.js";
import type { ObservedLink, ObservedOrgAccess } from "../../engine/model/observed.js";

/** How a rule's violations are enforced: `mandatory` blocks (CLI exit 3), `advisory` warns, `disabled` skips the rule. */
export type Enforcement = "mandatory" | "advisory" | "disabled";

/** Marks observed state that exists but cannot be known yet (a Pulumi preview of a create or update). */
export type Unknown = "unknown";

/** One finding, with the enforcement it carries after configuration. */
export interface Violation {
  /** A rule id of the registry, e.g. `revoked-link-has-no-webhooks`. */
  ruleId: RuleId;
  /** Never `disabled`: a disabled rule does not run. */
  enforcement: Exclude<Enforcement, "disabled">;
  /** The link name, the org access entry's name, or the `@pulumi/github` resource name. */
  resource: string;
  /** The repository (`owner/name`), org or provider account the violation is about. */
  subject: string;
  /** The whole sentence: what is wrong, where, and the fix after a colon. */
  message: string;
  /** The fix alone, for formats that show it apart (markdown, SARIF help). */
  fix: string;
  /** JSON pointer into the merged config (e.g. `/links/1/state`), for SARIF locations; absent when not from config. */
  pointer?: string;
}

/**
 * What a rule reports before enforcement is applied. `undecided` marks a finding that depends on a
 * value unknown during preview: it is always reported as advisory ("cannot be checked until apply").
 */
export interface Finding {
  resource: string;
  subject: string;
  message: string;
  fix: string;
  pointer?: string;
  undecided?: true;
}

/** Everything known about one declared link. */
export interface LinkFacts {
  /** The link's name (also its resource name). */
  name: string;
  desired: LinkSpec;
  /** Observed state; `undefined` when only the config is checked, `"unknown"` during a preview. */
  observed: ObservedLink | undefined | Unknown;
  /** JSON pointer of the link in the merged config, e.g. `/links/1`. */
  pointer?: string;
}

/** Everything known about one declared org access entry. */
export interface OrgFacts {
  /** The entry's resource name (the CLI uses the org name). */
  name: string;
  desired: OrgAccessSpec;
  observed: ObservedOrgAccess | undefined | Unknown;
  /** JSON pointer of the entry in the merged config, e.g. `/orgAccess/0`. */
  pointer?: string;
}

/** Everything known about one declared sweep. */
export interface SweepFacts {
  /** The sweep's resource name. */
  name: string;
  desired: SweepSpec;
  /** What it found; `undefined` when only the config is checked, `"unknown"` during a preview. */
  observed: SweepObservation | undefined | Unknown;
  /** JSON pointer of the sweep in the merged config, e.g. `/sweeps/0`. */
  pointer?: string;
}

/** Everything known about one declared build (`builds:`). */
export interface BuildFacts {
  desired: BuildSpec;
  /** What verification found; `undefined` when only the config is checked, `"unknown"` during a preview. */
  observed: ReplacementVerdict | undefined | Unknown;
  /** JSON pointer of the build in the merged config, e.g. `/builds/0`. */
  pointer?: string;
}

/** Type tokens of the `@pulumi/github` webhook resources the stack rules inspect. */
export type GithubWebhookType = "github:index/repositoryWebhook:RepositoryWebhook" | "github:index/organizationWebhook:OrganizationWebhook";

/** A webhook that a `@pulumi/github` resource in the same stack manages. */
export interface GithubWebhookFacts {
  resourceName: string;
  type: GithubWebhookType;
  /** RepositoryWebhook: `owner/name` when the owner is known, else the bare name as written. */
  repository?: string;
  /** OrganizationWebhook: the org, when the github provider's `owner` is known. */
  org?: string;
  /** `configuration.url`; `undefined` when unknown during preview. */
  url: string | undefined;
  /** `configuration.secret` is set (false when absent or empty). */
  hasSecret?: boolean;
  /** `configuration.insecureSsl` is true. */
  insecureSsl?: boolean;
}

/** The whole stack (or the whole config with `sourcelinks check`): input of the cross-resource rules. */
export interface StackFacts {
  links: LinkFacts[];
  orgs: OrgFacts[];
  /** Declared sweeps; absent where none are known. */
  sweeps?: SweepFacts[];
  /** Declared builds, in the merged config's order; absent where none are known. */
  builds?: BuildFacts[];
  githubWebhooks: GithubWebhookFacts[];
  /** Globs recognising the build service's webhooks by URL (`*` stays within one path segment). */
  webhookUrlPatterns: string[];
  /** Repositories (globs, e.g. `acme/*`) allowed to carry build-service webhooks without a declaring link. */
  allowedRepositories: string[];
  /** Orgs no `orgAccess` entry declares but a live link builds from, as observed (keyed by lower-case login). */
  undeclaredOrgs?: ReadonlyMap<string, ObservedOrgAccess>;
  /** What apply can do on this build service, so fixes name only what will happen; absent where unknown (the pack). */
  capabilities?: Capabilities;
}

/** What `apply` can do, from the configuration: a fix names apply only where apply changes the thing. */
export interface Capabilities {
  buildServiceKind: BuildServiceKind;
  /** `buildService.oauthApps.github.clientSecretEnv` is declared (grants revocable by API on a service with a link API). */
  githubClientSecret: boolean;
}

/** Settings every rule can read. */
export interface RuleContext {
  webhookUrlPatterns: string[];
  allowedRepositories: string[];
  capabilities?: Capabilities;
}

/** The ids of the rules; the registry is checked against this list at compile time. */
export type RuleId =
  | "revoked-link-has-no-webhooks"
  | "disabled-link-webhooks-inactive"
  | "team-link-uses-service-account"
  | "revocation-is-two-sided"
  | "org-access-matches-declared"
  | "linked-repos-have-org-access"
  | "webhook-hygiene"
  | "live-link-has-grant"
  | "live-link-builds-declared-repositories"
  | "pending-manual-steps"
  | "no-orphaned-build-service-artifacts"
  | "declared-repository-exists"
  | "recorded-steps-match-observed"
  | "replacement-before-revocation";

/** Fields every rule has. */
interface RuleBase {
  id: RuleId;
  defaultEnforcement: Exclude<Enforcement, "disabled">;
  /** One paragraph: what the rule guarantees and why. */
  description: string;
  /** A cross-resource part evaluated once per stack (e.g. `@pulumi/github` webhooks), if the rule has one. */
  evaluateStack?: (stack: StackFacts, ctx: RuleContext) => Finding[];
}

/** A rule evaluated once per declared link. */
export interface LinkRule extends RuleBase {
  scope: "link";
  evaluate: (link: LinkFacts, ctx: RuleContext) => Finding[];
}

/** A rule evaluated once per declared org access entry. */
export interface OrgRule extends RuleBase {
  scope: "org";
  evaluate: (org: OrgFacts, ctx: RuleContext) => Finding[];
}

/** A rule that needs the whole stack (several resources at once). */
export interface StackRule extends RuleBase {
  scope: "stack";
  evaluate: (stack: StackFacts, ctx: RuleContext) => Finding[];
}

/** Any rule of the registry. */
export type Rule = LinkRule | OrgRule | StackRule;
