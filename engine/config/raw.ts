/**
 * The shape of one file's data once it has passed `schema/sourcelinks.schema.json` (with the
 * schema's defaults filled in), before merging. Only `buildService` differs from the typed
 * config: Bitbucket names its client id `key`, and some defaults depend on `kind`.
 */
import type { BuildSpec } from "../model/build-spec.js";
import type { BuildServiceKind, LinkSpec, OrgAccessSpec, ProvidersSpec, SweepSpec } from "../model/spec.js";

/** `buildService.oauthApps` as written. */
export interface RawOAuthApps {
  github?: { clientId: string; name: string; clientSecretEnv?: string };
  bitbucket?: { key: string; name: string };
}

/** `buildService` as written (plus schema defaults). */
export interface RawBuildService {
  kind: BuildServiceKind;
  apiUrl?: string;
  tokenEnv: string;
  webhookUrlPatterns?: string[];
  deployKeyTitlePatterns?: string[];
  oauthApps: RawOAuthApps;
}

/** One validated file. */
export interface RawConfigFile {
  apiVersion: "sourcelinks/v1";
  buildService?: RawBuildService;
  providers?: ProvidersSpec;
  links?: LinkSpec[];
  orgAccess?: OrgAccessSpec[];
  /** `name` is optional as written; the merge names unnamed sweeps. */
  sweeps?: (Omit<SweepSpec, "name"> & { name?: string })[];
  builds?: BuildSpec[];
}
