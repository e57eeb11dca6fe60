/**
 * The `reference` build service client (schema/build-service.openapi.yaml) over `fetch`:
 * Bearer auth, Docker Cloud style `meta.next` pagination, `{"detail": …}` errors as `HttpError`; its
 * answers are mapped to the model (wire.ts) before they leave it.
 * Each write sends the request a plan step carries (built by its kind, engine/reconcile/steps/), as the plan shows it.
 */
import type { OrgAccessState } from "../../model/spec.js";
import type { PlannedRequest } from "../../model/plan.js";
import { linksUrl, linkUrl, orgAccessUrl } from "../../model/requests.js";
import { plannedUrl } from "../planned-request.js";
import { HttpError } from "../http-error.js";
import { JsonHttp, assertSameOrigin } from "../json-http.js";
import { PageGuard } from "../page-guard.js";
import { Secret, SecretSet } from "../../model/secret.js";
import type { LinkRecord } from "../../model/link-record.js";
import type { LinkState } from "../../model/spec.js";
import type { BuildServiceClient, NewLink } from "../types.js";
import {
  type AutobuildRepositoryWire,
  type BuildServiceLinkWire,
  type BuildServiceListWire,
  type LinkCredentialsWire,
  type NamespaceWire,
  type OrgAccessWire,
  toLinkRecord,
  toWireState,
} from "./wire.js";

/** How to reach the build service. */
export interface BuildServiceClientOptions {
  /** Base URL up to and including `/api/build/v1`. */
  apiUrl: string;
  /** API token, sent as `Authorization: Bearer …`; null sends no credentials (every call will be 401). */
  token: Secret | null;
  /** Maximum requests in flight; default 8. */
  concurrency?: number;
  /** Page size asked of list endpoints; default 100 (the contract's maximum). */
  pageSize?: number;
  /** The world's other credentials (GitHub, Bitbucket), also removed from every answer and error. */
  otherSecrets?: readonly Secret[];
  /** The run's redaction set, read for every answer and error; the OAuth tokens this client reads join it. */
  secretSet?: SecretSet;
  /** Transport tuning: retries and the per-attempt timeout; tests also inject sleep and fetch. */
  transport?: {
    retries?: number;
    sleep?: (ms: number) => Promise<void>;
    fetch?: typeof fetch;
    timeoutMs?: number;
    maxResponseBytes?: number;
  };
}

/** Pages of one listing read at most when the service announces no smaller count: 100,000 items at the default page size. */
const MAX_PAGES = 1_000;

/** Creates a client for the `reference` build service. No I/O happens until a method is called. */
export function createBuildServiceClient(options: BuildServiceClientOptions): BuildServiceClient {
  return new ReferenceBuildServiceClient(options);
}

/** `BuildServiceClient` for the `reference` contract. */
export class ReferenceBuildServiceClient implements BuildServiceClient {
  readonly #base: string;
  readonly #http: JsonHttp;
  readonly #pageSize: number;
  readonly #secrets: SecretSet;

  constructor(options: BuildServiceClientOptions) {
    this.#base = options.apiUrl.replace(/\/+$/, "");
    this.#pageSize = options.pageSize ?? 100;
    this.#secrets = options.secretSet ?? new SecretSet();
    for (const secret of [options.token, ...(options.otherSecrets ?? [])]) this.#secrets.add(secret);
    this.#http = new JsonHttp({
      service: "build-service",
      authorization: options.token ? new Secret(`Bearer ${options.token.reveal()}`) : null,
      secrets: this.#secrets,
      errorDetail: drfDetail,
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...options.transport,
    });
  }

  /** Every link of the namespace, `unlinked` records included, across all pages. */
  async listLinks(namespace: string): Promise<LinkRecord[]> {
    const links = await this.#listAll<BuildServiceLinkWire>(
      `links of ${namespace}`,
      `${linksUrl(this.#base, namespace)}?limit=${this.#pageSize}`,
    );
    return links.map(toLinkRecord);
  }

  /**
   * `POST /{namespace}/links/`: 201 with the new link (the service issues the OAuth grant). Sent once:
   * when the outcome is unknown, the caller looks for the link before sending it again.
   */
  async createLink(request: PlannedRequest, link: NewLink): Promise<LinkRecord> {
    const method = "POST";
    const url = this.#planned(request, method);
    const body = { provider: link.provider, account: link.account, team: link.team, service_account: link.serviceAccount };
    return toLinkRecord((await this.#http.request<BuildServiceLinkWire>(method, url, body)).body);
  }

  /** `PATCH /{namespace}/links/{id}/` with `{state}`; it sets an absolute value, so resending it is safe. */
  async setLinkState(request: PlannedRequest, state: Exclude<LinkState, "revoked">): Promise<LinkRecord> {
    const method = "PATCH";
    const url = this.#planned(request, method);
    const body = { state: toWireState(state) };
    return toLinkRecord((await this.#http.request<BuildServiceLinkWire>(method, url, body, { idempotent: true })).body);
  }

  /** `DELETE /{namespace}/links/{id}/`; a 404 means it is already gone, which is what unlinking wants. */
  async unlink(request: PlannedRequest): Promise<void> {
    const method = "DELETE";
    const url = this.#planned(request, method);
    try {
      await this.#http.request(method, url);
    } catch (error) {
      if (error instanceof HttpError && error.isGone) return;
      throw error;
    }
  }

  /** The link's OAuth access token, or null when the service holds none or it was revoked (404). */
  async getCredentials(namespace: string, linkId: string): Promise<Secret | null> {
    try {
      const res = await this.#http.request<LinkCredentialsWire>("GET", `${linkUrl(this.#base, namespace, linkId)}credentials/`, undefined, {
        redact: false,
      });
      // A credential from now on: every answer and error of the run is redacted of it.
      return this.#secrets.derive(res.body.access_token);
    } catch (error) {
      if (error instanceof HttpError && error.isGone) return null;
      throw error;
    }
  }

  /** The link's autobuild source repositories (`owner/name`), across all pages. */
  async listAutobuildRepositories(namespace: string, linkId: string): Promise<string[]> {
    const listed = await this.#listAll<AutobuildRepositoryWire>(
      `autobuild repositories of link ${linkId}`,
      `${linkUrl(this.#base, namespace, linkId)}repositories/?limit=${this.#pageSize}`,
    );
    return listed.map((r) => r.repository);
  }

  /** `PUT …/repositories/{owner}/{name}/`: it sets a membership, so resending it is safe. */
  async addAutobuildRepository(request: PlannedRequest): Promise<void> {
    const method = "PUT";
    const url = this.#planned(request, method);
    await this.#http.request<AutobuildRepositoryWire>(method, url, undefined, { idempotent: true });
  }

  /** The effective access of the service's OAuth app in a GitHub org. */
  async getOrgAccess(namespace: string, linkId: string, org: string): Promise<OrgAccessState | "requested"> {
    const res = await this.#http.request<OrgAccessWire>("GET", orgAccessUrl(this.#base, namespace, linkId, org));
    return res.body.access;
  }

  /** `PUT …/orgs/{org}/access/` with `{access}`. */
  async setOrgAccess(request: PlannedRequest, access: OrgAccessState): Promise<void> {
    const method = "PUT";
    const url = this.#planned(request, method);
    await this.#http.request<OrgAccessWire>(method, url, { access });
  }

  /** `GET /namespaces/`: the namespaces the token may act on; null when the service answers 404 (the listing is optional). */
  async listNamespaces(): Promise<string[] | null> {
    try {
      return (await this.#listAll<NamespaceWire>("namespaces", `${this.#base}/namespaces/?limit=${this.#pageSize}`)).map((n) => n.name);
    } catch (error) {
      if (error instanceof HttpError && error.isGone) return null;
      throw error;
    }
  }

  /** The URL of a planned write, when it is a `method` on this service's API. */
  #planned(request: PlannedRequest, method: PlannedRequest["method"]): string {
    return plannedUrl("build-service", this.#base, request, method);
  }

  /**
   * Every object of a listing, bounded: a repeated `meta.next`, an `offset` that does not advance, or
   * more pages than the first page's `total_count` allows end it with an error.
   */
  async #listAll<T>(what: string, first: string): Promise<T[]> {
    const items: T[] = [];
    const guard = new PageGuard("build-service", what, MAX_PAGES, "the most this client reads");
    let url: string | null = first;
    let offset = -1;
    while (url !== null) {
      guard.visit(url);
      const page: BuildServiceListWire<T> = (
        await this.#http.request<BuildServiceListWire<T>>("GET", url, undefined, { shape: "object", check: listProblem })
      ).body;
      if (items.length === 0) guard.announce(page.meta.total_count, page.meta.limit, "total_count");
      if (page.meta.offset <= offset) {
        throw new HttpError({
          status: 0,
          service: "build-service",
          method: "GET",
          url: first,
          detail: `pagination of the ${what} never ends: the offset went from ${offset} to ${page.meta.offset}`,
          refused: true,
        });
      }
      offset = page.meta.offset;
      items.push(...page.objects);
      url = page.meta.next === null ? null : assertSameOrigin("build-service", this.#base, page.meta.next);
    }
    return items;
  }
}

/** Django REST framework's error text: `{"detail": "…"}`. */
function drfDetail(body: unknown): string | null {
  if (typeof body === "object" && body !== null && typeof (body as { detail?: unknown }).detail === "string") {
    return (body as { detail: string }).detail;
  }
  return null;
}

/** What is wrong with a page that should be the contract's list envelope, or null. */
function listProblem(body: unknown): string | null {
  const page = body as Partial<BuildServiceListWire<unknown>>;
  if (!Array.isArray(page.objects)) return "no `objects` list";
  const meta = page.meta;
  if (typeof meta !== "object" || meta === null) return "no `meta`";
  if (meta.next !== null && typeof meta.next !== "string") return "`meta.next` is neither a URL nor null";
  if (typeof meta.offset !== "number" || typeof meta.limit !== "number" || typeof meta.total_count !== "number")
    return "`meta` lacks offset, limit or total_count";
  return null;
}
