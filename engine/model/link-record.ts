/**
 * A link as the build service records it, in the model's words: the client maps the service's wire
 * states to these (`enabled` is `linked`; `unlinked`, a record the service keeps listed after `DELETE`,
 * is `revoked`), so everything above the client compares a record's state with a declared one directly.
 */
import type { LinkState, ProviderKind } from "./spec.js";

/** One build-service link record. */
export interface LinkRecord {
  id: string;
  namespace: string;
  provider: ProviderKind;
  account: string;
  team: string | null;
  serviceAccount: boolean;
  state: LinkState;
  /** ISO 8601: the records of one service order by it as strings. */
  updatedAt: string;
}
