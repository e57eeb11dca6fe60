/**
 * The contracts between the clients (I/O) and everything above them (reconcile, provider, CLI), in the
 * model's types: each client maps its wire shapes (build-service/wire.ts, bitbucket/wire.ts, github/mapping.ts).
 */
import type { LinkRecord } from "../model/link-record.js";
import type { LinkState, OrgAccessState, ProviderKind } from "../model/spec.js";
import type { ObservedDeployKey, ObservedWebhook } from "../model/observed.js";
import type { ReplacementRun } from "../model/replacement-run.js";
import type { DockerHubTag } from "./docker-hub/wire.js";
import type { PlannedRequest } from "../model/plan.js";
import type { Secret } from "../model/secret.js";
import type { BranchCommit, ProposalPullRequest } from "../model/replacement.js";

/** Input for creating a link. */
export interface NewLink {
  provider: ProviderKind;
  account: string;
  team: string | null;
  serviceAccount: boolean;
}

/** Operations on the build service (the `reference` contract). */
export interface BuildServiceClient {
  /** Every record of the namespace, unlinked ones (`revoked`) included. */
  listLinks(namespace: string): Promise<LinkRecord[]>;
  /** Sends a planned `POST /{namespace}/links/` (a `link` step's request). */
  createLink(request: PlannedRequest, link: NewLink): Promise<LinkRecord>;
  /** Sends a planned `PATCH /{namespace}/links/{id}/` (a `set-state` step's request). */
  setLinkState(request: PlannedRequest, state: Exclude<LinkState, "revoked">): Promise<LinkRecord>;
  /** Sends a planned `DELETE /{namespace}/links/{id}/`. Idempotent: an already unlinked or missing link is not an error. */
  unlink(request: PlannedRequest): Promise<void>;
  /** The link's OAuth access token, or null when the service holds none (404). */
  getCredentials(namespace: string, linkId: string): Promise<Secret | null>;
  /** The `owner/name` of each autobuild source repository of the link. */
  listAutobuildRepositories(namespace: string, linkId: string): Promise<string[]>;
  /** Sends a planned `PUT …/repositories/{owner}/{name}/`, making the repository an autobuild source of the link; idempotent. */
  addAutobuildRepository(request: PlannedRequest): Promise<void>;
  getOrgAccess(namespace: string, linkId: string, org: string): Promise<OrgAccessState | "requested">;
  /** Sends a planned `PUT …/orgs/{org}/access/` with `access`. */
  setOrgAccess(request: PlannedRequest, access: OrgAccessState): Promise<void>;
  /** The namespaces the token may act on, or null when the service does not offer the listing (404). */
  listNamespaces(): Promise<string[] | null>;
}

/** A repository's webhooks and deploy keys as a provider returns them, before matching. */
export interface RepositoryListing<T> {
  /** False on 404: the repository is gone or invisible to the token. */
  exists: boolean;
  items: T[];
  /**
   * Which repository answered, when the read says (GitHub's GraphQL, which follows renames): its id
   * and current name, which differs from the name asked for when the repository was renamed since.
   */
  identity?: RepositoryIdentity;
}

/** A repository by what stays (`id`) and what it is called now. */
export interface RepositoryIdentity {
  id: string;
  /** The current `owner/name`. */
  repository: string;
}

/** One repository of an owner, as its listing shows it. */
export interface OwnerRepository {
  /** `owner/name` or `workspace/slug`. */
  repository: string;
  /**
   * What stays when the repository is renamed (GitHub's numeric id, Bitbucket's uuid), so a sweep
   * matches the repositories links name by identity, not by a name that may be an old one.
   */
  id: string;
  /** GitHub refuses writes to an archived repository (403), so its leftovers can only be reported. */
  archived: boolean;
  private: boolean;
}

/** Operations shared by GitHub and Bitbucket clients. */
export interface SourceProviderClient {
  readonly kind: ProviderKind;
  listWebhooks(repository: string): Promise<RepositoryListing<ObservedWebhook>>;
  /**
   * Sends a planned webhook delete of `repository` (whose owner picks the credentials); `gone` when
   * the hook was already deleted (404): deletes are idempotent.
   */
  deleteWebhook(repository: string, request: PlannedRequest): Promise<"deleted" | "gone">;
  listDeployKeys(repository: string): Promise<RepositoryListing<ObservedDeployKey>>;
  /** Sends a planned deploy key delete of `repository`; `gone` when already deleted. */
  deleteDeployKey(repository: string, request: PlannedRequest): Promise<"deleted" | "gone">;
  /**
   * The deploy keys of many repositories at once, keyed by the names given (GitHub: batched GraphQL
   * queries, clients/github/deploy-keys-graphql.ts). Optional: without it, `listDeployKeys` per repository.
   */
  readDeployKeys?(repositories: readonly string[]): Promise<Map<string, RepositoryListing<ObservedDeployKey>>>;
  /**
   * Whether a user or org login exists (GitHub `GET /users/{username}`: 404 → false). Optional: a
   * provider without it (Bitbucket, test fakes) leaves account names unchecked before writes.
   */
  accountExists?(login: string): Promise<boolean>;
}

/**
 * Every repository of an owner (GitHub org or user, Bitbucket workspace), archived included, one
 * listing page at a time, so a caller reads a page's repositories while the next page is listed.
 */
export interface OwnerPages {
  /** `org`: an organization, whose own webhooks are swept too; `user` and `workspace` have none here. */
  ownerType: "org" | "user" | "workspace";
  pages: AsyncIterable<OwnerRepository[]>;
  /**
   * True when the listing can show public repositories only (a GitHub user the token is not, listed
   * with `GET /users/{username}/repos`): the owner's private repositories were not read.
   */
  publicOnly?: boolean;
}

/** What a sweep reads beyond single repositories: an owner's repositories and an org's own webhooks. */
export interface OwnerClient {
  readonly kind: ProviderKind;
  /**
   * The owner's repositories, page by page; null when the owner does not exist (404). The first page
   * is read before this resolves, so a missing owner is known before anything else is read.
   */
  repositoryPages(owner: string): Promise<OwnerPages | null>;
  /** `GET /orgs/{org}/hooks`, every page (GitHub orgs only). */
  listOrgWebhooks(org: string): Promise<ObservedWebhook[]>;
  /** Sends a planned `DELETE /orgs/{org}/hooks/{hook_id}`: `gone` when already deleted. */
  deleteOrgWebhook(org: string, request: PlannedRequest): Promise<"deleted" | "gone">;
}

/** GitHub's OAuth-app endpoints, authenticated with the app owner's client credentials. */
export interface OAuthGrantClient {
  /** `POST /applications/{client_id}/token`: whether the access token is still valid. */
  checkGrant(clientId: string, clientSecret: Secret, accessToken: Secret): Promise<"active" | "revoked">;
  /** Sends a planned `DELETE /applications/{client_id}/grant` as `clientId`: idempotent, `gone` when already revoked. */
  revokeGrant(request: PlannedRequest, clientId: string, clientSecret: Secret, accessToken: Secret): Promise<"revoked" | "gone">;
}

/** GitHub org access observation without the build service. */
export interface OrgAccessProbe {
  /** Probes with the app's token: a 403 containing "has enabled OAuth App access restrictions" means denied. */
  probe(org: string, appToken: Secret): Promise<"granted" | "denied">;
  /** GitHub Enterprise Cloud audit log, or null when the endpoint is unavailable (404/403). */
  fromAuditLog(org: string, clientId: string): Promise<OrgAccessState | "requested" | null>;
}

/** A file as a branch or commit holds it. */
export interface RepositoryFile {
  text: string;
  /** GitHub's blob sha of the file (what `PUT …/contents` must name to replace it); null on Bitbucket. */
  sha: string | null;
}

/** Whether an org secret exists and is available to one repository. */
export interface OrgSecretAccess {
  exists: boolean;
  selected: boolean;
}

/**
 * What a replacement build reads of its source repository and sends to it (branches, the CI file,
 * pull requests, CI secrets, Pipelines): one per provider. Writes send the request a step planned.
 */
export interface ReplacementClient {
  readonly kind: ProviderKind;
  /** A one-way fingerprint of the credential reads go out with (never the credential): whose answers a stored verification holds. */
  credentialScope(): string;
  /** The default (main) branch and its head commit. */
  defaultBranch(repository: string): Promise<{ name: string; sha: string }>;
  /** A branch's head commit, or null when there is no such branch. */
  branchHead(repository: string, branch: string): Promise<string | null>;
  /** A branch's head commit with its message (whose trailer tells sourcelinks' own commits), or null when there is no such branch. */
  branchCommit(repository: string, branch: string): Promise<BranchCommit | null>;
  /** A file at a ref (a branch name or a commit), or null when there is none. */
  readFile(repository: string, ref: string, path: string): Promise<RepositoryFile | null>;
  /** Pull requests from `branch` into `base`, open, merged or closed unmerged, newest first, each with its head commit. */
  pullRequests(repository: string, branch: string, base: string): Promise<ProposalPullRequest[]>;
  /** The names of the repository's CI secrets (GitHub Actions secrets, Bitbucket repository variables). */
  secretNames(repository: string): Promise<string[]>;
  /** GitHub: an org secret of the repository's owner and whether it is available to the repository. */
  orgSecret(repository: string, name: string): Promise<OrgSecretAccess>;
  /** GitHub: the repository's numeric id (what an org secret's selection names). */
  repositoryId(repository: string): Promise<number>;
  /** Bitbucket: whether Pipelines is enabled; null where the provider has no such switch. */
  pipelinesEnabled(repository: string): Promise<boolean | null>;
  /** Sends a planned write with its body (`form`: as form fields, Bitbucket's `POST …/src`). */
  send(request: PlannedRequest, body: Record<string, unknown>, options?: { form?: boolean }): Promise<void>;
  /**
   * Sets a CI secret to `value`: GitHub reads the sealing key at `keyUrl` and sends a libsodium sealed
   * box with `fields`; Bitbucket sends a secured variable. The value joins the run's redaction set first.
   */
  putSecret(request: PlannedRequest, keyUrl: string | null, value: Secret, fields: Record<string, unknown>): Promise<void>;
}

/** Reads the CI runs of a replacement build's file on one commit (GitHub Actions, Bitbucket Pipelines). */
export interface ReplacementRunReader {
  /** The runs of the CI file at `path` on commit `sha`, in any order; none when the service knows no such file yet. */
  runs(repository: string, path: string, sha: string): Promise<ReplacementRun[]>;
}

/** Reads the tags an image holds on Docker Hub. */
export interface RegistryTagReader {
  /** The most recently pushed tags of `image`, newest first; null when the image does not exist. */
  recentTags(image: string, limit?: number): Promise<DockerHubTag[] | null>;
  /** One tag, or null when it (or the image) does not exist. */
  tag(image: string, tag: string): Promise<DockerHubTag | null>;
}

/** What verifying replacement builds reads: each provider's runs, and Docker Hub. */
export interface ReplacementReaders {
  runs: Partial<Record<ProviderKind, ReplacementRunReader>>;
  /** Docker Hub; anonymous (public images only) when no access token is configured. */
  registry: RegistryTagReader;
}

/** One event of an org's audit log, as far as a refresh reads it. */
export interface AuditLogEvent {
  /** GitHub's `_document_id`: the same event read twice (an overlap) is one event. */
  id: string;
  action: string;
  /** Epoch ms. */
  at: number;
  /** `owner/name` of the repository the event is about, when GitHub says. */
  repo: string | null;
  /** The repository's name before a `repo.rename` or `repo.transfer`. */
  oldName: string | null;
}

/** What reading an org's audit log gave: its events, or the status that refused it (0: no answer). */
export type AuditLogRead =
  | {
      ok: true;
      /** Oldest first. */
      events: AuditLogEvent[];
      /** The server's time of the first answer (its `Date` header), the cursor the next read starts from. */
      serverTime: number;
      /** Pages read. */
      pages: number;
    }
  /** `reason`: why an answered log (`status` 200) still cannot be used. */
  | { ok: false; status: number; reason?: string };

/** A GitHub Enterprise Cloud org's audit log, read for what changed on its repositories since a time. */
export interface AuditLogClient {
  /** Who the requests about `owner` act as: `app:ID/installation:ID` for a GitHub App, else `user:LOGIN` (`GET /user`, read once). */
  actingAs(owner: string): Promise<string>;
  /**
   * Hook, deploy key and repository events created at or after `since` (epoch ms), every page; with
   * `since` null, one event only: enough to learn the server's time and whether the log answers.
   */
  eventsSince(org: string, since: number | null): Promise<AuditLogRead>;
  /** One repository as an owner's listing shows it; null when it does not exist (404). */
  repository(name: string): Promise<OwnerRepository | null>;
}

/** The clients of one world, built by `createClients` (clients/index.ts). */
export interface Clients {
  /** Null for `docker-hub`, which has no public API for links. */
  buildService: BuildServiceClient | null;
  providers: Partial<Record<ProviderKind, SourceProviderClient>>;
  /** Owner listings for sweeps, per configured provider; optional so test fakes need not implement it. */
  owners?: Partial<Record<ProviderKind, OwnerClient>>;
  /** Null when GitHub is not configured. */
  githubGrants: OAuthGrantClient | null;
  githubOrgAccess: OrgAccessProbe | null;
  /** Replacement builds' reads and writes per configured provider; optional so test fakes need not implement it. */
  replacements?: Partial<Record<ProviderKind, ReplacementClient>>;
  /** What verifying replacement builds reads; optional so test fakes need not implement it. */
  verification?: ReplacementReaders;
  /** GitHub's org audit log, for incremental refreshes; absent without GitHub (and in test fakes). */
  githubAuditLog?: AuditLogClient | null;
  /**
   * Writes client-side caches back (the ETag cache file of `options.etagCacheFile`); call once a run ends.
   * Resolves to warnings for the caller to print (a cache file that could not be read or written:
   * the run went on without it). Optional so test fakes need not implement it.
   */
  flush?(): Promise<string[]>;
}
