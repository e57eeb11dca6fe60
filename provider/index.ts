/**
 * The package's main entry (`import { SourceProviderLink, declareFromConfig } from "sourcelinks"`):
 * the two dynamic resources, the YAML-driven declaration helper, and their property types.
 */
export {
  SourceProviderLink,
  OrgThirdPartyAccess,
  OrphanSweep,
  SOURCE_PROVIDER_LINK_TYPE,
  ORG_THIRD_PARTY_ACCESS_TYPE,
  ORPHAN_SWEEP_TYPE,
  TOKEN_MODULE,
} from "./resources.js";
export type { SourceProviderLinkArgs, OrgThirdPartyAccessArgs, OrphanSweepArgs, WorldArgs } from "./resources.js";
export { sweepResourceId } from "./sweep-properties.js";
export type { OrphanSweepInputs, OrphanSweepOutputs } from "./sweep-properties.js";
export type * from "../engine/model/sweep.js";
export { declareFromConfig, declareFromLoadedConfig, orgAccessResourceName } from "./declare.js";
export { Links, LINKS_TYPE } from "./links.js";
export type { LinksArgs } from "./links.js";
export type { DeclareOptions, DeclaredResources } from "./declare.js";
export { CREDENTIAL_CONFIG_KEYS } from "./credentials.js";
export { linkResourceId, orgAccessResourceId } from "./properties.js";
export type {
  SourceProviderLinkInputs,
  SourceProviderLinkOutputs,
  OrgThirdPartyAccessInputs,
  OrgThirdPartyAccessOutputs,
  RepositoryWebhook,
  RepositoryDeployKey,
  WorldSettings,
} from "./properties.js";
export type * from "../engine/model/spec.js";
export type * from "../engine/config/loaded-config.js";
export type * from "../engine/model/observed.js";
export type * from "../engine/model/plan.js";
export type * from "../engine/reconcile/steps/plan-step.js";
export type * from "../engine/model/manual-step.js";
