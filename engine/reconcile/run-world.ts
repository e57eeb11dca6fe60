/**
 * What one run reads of the build service beyond a single link, read once per run and shared by every
 * link it observes: each namespace's records (listed once, however many links name it) and, only when a
 * revocation needs them, the autobuild repositories of live records. The namespaces a run sees are every
 * namespace the build-service token may act on (`GET /namespaces/`, optional in the `reference`
 * contract) and every namespace the declared links name (all a service without that listing shows).
 */
import type { LinkSpec } from "../model/spec.js";
import type { BuildServiceClient } from "../clients/types.js";
import type { LinkRecord } from "../model/link-record.js";
import { mapLimit } from "./map-limit.js";
import { recordKey } from "./sharing.js";

/** Autobuild repository listings read at once. */
const LISTING_CONCURRENCY = 8;

/** The build-service reads of one run, memoized. */
export class RunWorld {
  readonly #bs: BuildServiceClient;
  readonly #declared: readonly LinkSpec[];
  readonly #listings = new Map<string, Promise<LinkRecord[]>>();
  readonly #repositories = new Map<string, Promise<string[]>>();
  #visible: Promise<string[] | null> | null = null;

  /** `declared`: every link of the run's files; their namespaces are the ones the run sees. */
  constructor(bs: BuildServiceClient, declared: readonly LinkSpec[]) {
    this.#bs = bs;
    this.#declared = declared;
  }

  /** Every record of `namespace`, `unlinked` ones included, listed once per run. */
  records(namespace: string): Promise<LinkRecord[]> {
    let listing = this.#listings.get(namespace);
    if (!listing) {
      listing = this.#bs.listLinks(namespace);
      this.#listings.set(namespace, listing);
    }
    return listing;
  }

  /** The records of every namespace the run sees: the token's, the declared links' and `extra` (if any). */
  async allRecords(extra?: string): Promise<LinkRecord[]> {
    this.#visible ??= this.#bs.listNamespaces();
    const visible = (await this.#visible) ?? [];
    const namespaces = [...new Set([...(extra === undefined ? [] : [extra]), ...this.#declared.map((d) => d.namespace), ...visible])];
    return (await Promise.all(namespaces.map((ns) => this.records(ns)))).flat();
  }

  /** The autobuild repositories each of `records` lists, each record read once per run. */
  async repositoriesOf(records: readonly LinkRecord[]): Promise<Map<string, string[]>> {
    const listed = await mapLimit(records, LISTING_CONCURRENCY, (r) => this.#repositoriesOf(r));
    return new Map(records.map((r, i) => [recordKey(r), listed[i]!]));
  }

  #repositoriesOf(record: LinkRecord): Promise<string[]> {
    const key = recordKey(record);
    let listing = this.#repositories.get(key);
    if (!listing) {
      listing = this.#bs.listAutobuildRepositories(record.namespace, record.id);
      this.#repositories.set(key, listing);
    }
    return listing;
  }
}
