/**
 * Wire types of the `reference` build service (schema/build-service.openapi.yaml documents them; the
 * sandbox serves them) and their mapping to the model: nothing above this client sees a wire shape.
 */
import type { LinkRecord } from "../../model/link-record.js";
import type { LinkState, OrgAccessState, ProviderKind } from "../../model/spec.js";

/** A link as the build service returns it. */
export interface BuildServiceLinkWire {
  id: string;
  resource_uri: string;
  namespace: string;
  provider: ProviderKind;
  account: string;
  team: string | null;
  service_account: boolean;
  /** `unlinked` records stay listed after `DELETE`: the service keeps the grant and leaves webhooks. */
  state: "enabled" | "disabled" | "unlinked";
  created_at: string;
  updated_at: string;
}

/** The list envelope, modeled on Docker Cloud's API. */
export interface BuildServiceListWire<T> {
  meta: { limit: number; offset: number; next: string | null; previous: string | null; total_count: number };
  objects: T[];
}

/** A namespace the caller's token may act on (`GET /namespaces/`). */
export interface NamespaceWire {
  name: string;
}

/** An autobuild source repository of a link. */
export interface AutobuildRepositoryWire {
  repository: string;
  provider: ProviderKind;
  webhook_url: string;
}

/** The OAuth grant the build service holds for a link (namespace owners only). */
export interface LinkCredentialsWire {
  provider: ProviderKind;
  client_id: string;
  access_token: string;
}

/** An org's third-party access for the service's OAuth app, via a link. */
export interface OrgAccessWire {
  org: string;
  access: OrgAccessState | "requested";
}

/** A wire link as a model record. */
export function toLinkRecord(wire: BuildServiceLinkWire): LinkRecord {
  return {
    id: wire.id,
    namespace: wire.namespace,
    provider: wire.provider,
    account: wire.account,
    team: wire.team,
    serviceAccount: wire.service_account,
    state: wire.state === "enabled" ? "linked" : wire.state === "disabled" ? "disabled" : "revoked",
    updatedAt: wire.updated_at,
  };
}

/** The wire state a `PATCH` sets for a live model state. */
export function toWireState(state: Exclude<LinkState, "revoked">): "enabled" | "disabled" {
  return state === "linked" ? "enabled" : "disabled";
}
