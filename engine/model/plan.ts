/**
 * What plans are made of below the step kinds (engine/reconcile/steps/): the request a step sends, and
 * what a revocation keeps on purpose.
 */
import type { ProviderKind } from "./spec.js";

/** An HTTP request a step will send, for previews that show the exact call without sending it. */
export interface PlannedRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Absolute URL. */
  url: string;
}

/** Something a revocation or a relink leaves in place on purpose, and why (another live link still uses it, or a relink keeps it). */
export type KeptItem =
  | { kind: "webhook"; provider: ProviderKind; repository: string; hookId: string; url: string; keptFor: string[] }
  | { kind: "deploy-key"; provider: ProviderKind; repository: string; keyId: string; title: string; keptFor: string[] }
  /**
   * `reason`: `shared` (absent in older plans) when other live links use the account; `relink` when a
   * team moved off the account and the link does not ask to revoke its grant (`keptFor` may then be empty).
   */
  | { kind: "grant"; provider: ProviderKind; account: string; keptFor: string[]; reason?: "shared" | "relink" };
