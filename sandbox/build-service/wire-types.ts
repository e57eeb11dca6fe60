/**
 * The JSON shapes the sandbox's `reference` build service serves (schema/build-service.openapi.yaml,
 * which test/sandbox/build-service-openapi.test.ts checks the answers against). The sandbox owns them:
 * a fake that borrowed the types of the client it fakes would change whenever the client did.
 */

/** Which source provider a link or repository is on. */
export type ProviderWire = "github" | "bitbucket";

/** A link as the build service returns it. */
export interface BuildServiceLinkWire {
  id: string;
  resource_uri: string;
  namespace: string;
  provider: ProviderWire;
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
  provider: ProviderWire;
  webhook_url: string;
}

/** The OAuth grant the build service holds for a link (namespace owners only). */
export interface LinkCredentialsWire {
  provider: ProviderWire;
  client_id: string;
  access_token: string;
}

/** An org's third-party access for the service's OAuth app, via a link. */
export interface OrgAccessWire {
  org: string;
  access: "granted" | "denied" | "requested";
}
