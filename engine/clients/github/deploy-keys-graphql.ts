/**
 * Deploy keys of many GitHub repositories through GraphQL (`Repository.deployKeys`), a batch of
 * repositories per query as aliases, where REST needs one `GET /repos/{owner}/{repo}/keys` each.
 *
 * GitHub's GraphQL limits (https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api):
 * a query's cost is its connections' requests / 100, rounded, at least 1, from a budget of its own
 * (5,000 points an hour, apart from REST's); at most 100 per `first`; at most 500,000 nodes. A batch of
 * `repositoriesPerQuery` aliases with `deployKeys(first: 100)` costs repositories / 100 points whatever the
 * batch size, so batches only save round trips; 100 repositories per query (cost 1, 10,000 nodes) keeps
 * the worst answer (100 × 100 keys) far below the client's 8 MiB body cap and GitHub's 10-second timeout.
 * Repositories with more than 100 keys are paged with `after`, batched the same way.
 *
 * The REST ids come from the node ids (node-id.ts): `DeployKey` has no `databaseId`. Each repository's
 * own `databaseId` and `nameWithOwner` come along at no cost (scalars): `repository()` follows renames, so
 * they say which repository an old name now is (`RepositoryListing.identity`), what a sweep matches by.
 * Each query asks `rateLimit { cost remaining resetAt }`: costs are counted, and a query whose cost no
 * longer fits in what remains waits for `resetAt` instead of being refused.
 */
import pLimit from "p-limit";
import type { ObservedDeployKey } from "../../model/observed.js";
import { systemClock, type PacerClock } from "../pacer.js";
import type { RepositoryIdentity, RepositoryListing } from "../types.js";
import { UnobservableRepositoryError } from "../unobservable-repository-error.js";
import { splitGitHubRepository as splitRepository } from "../../model/requests.js";
import type { GitHubContext } from "./context.js";
import { MissingGitHubTokenError } from "./errors.js";
import { restIdFromNodeId } from "./node-id.js";
import { SourcelinksError } from "../../model/errors.js";

/** GitHub's maximum `first` on a connection. */
const KEYS_PER_PAGE = 100;
/** Repositories (aliases) per query by default; see the module comment. */
export const DEFAULT_REPOSITORIES_PER_QUERY = 100;
/**
 * Queries in flight at once, across every read of this reader. GitHub's secondary limits include server
 * CPU time (at most 60 s of GraphQL CPU per minute), and its best practices ask for few concurrent
 * requests: a read of 5,000 repositories is 50 queries, sent two at a time in the order asked, so the
 * first batches answer first and the REST reads beside them are not held up behind the rest.
 */
const QUERIES_IN_FLIGHT = 2;
/** Pages of one repository's keys read at most (5,000 keys), as the REST listing's guard. */
const MAX_PAGES = 50;

/** GraphQL's spending so far, from the `rateLimit` object of each answer. */
export interface GraphqlUsage {
  queries: number;
  /** Sum of the `rateLimit.cost` GitHub reported. */
  points: number;
  /** What the last answer said remains of the hour's budget, or null before any answer. */
  remaining: number | null;
}

/** A GraphQL answer's error, as GitHub sends it (`type` at the top level). */
interface GraphqlErrorWire {
  type?: string;
  path?: (string | number)[];
  message: string;
}

interface DeployKeyNodeWire {
  id: string;
  title: string;
  readOnly: boolean;
}

interface RepositoryWire {
  databaseId: number | null;
  nameWithOwner: string;
  deployKeys: { nodes: (DeployKeyNodeWire | null)[] | null; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

interface RateLimitWire {
  cost: number;
  remaining: number;
  resetAt: string;
}

/** A failure of a whole GraphQL query (not of one repository in it). */
export class GitHubGraphqlError extends SourcelinksError {
  override readonly name = "GitHubGraphqlError";
  readonly kind = "operational";
  constructor(readonly errors: readonly GraphqlErrorWire[]) {
    super(`github: GraphQL query refused: ${errors.map((e) => `${e.type ?? "ERROR"}: ${e.message}`).join("; ")}`);
  }
}

/** One repository still to read: where its keys go and the cursor of its next page. */
interface Pending {
  repository: string;
  after: string | null;
  pages: number;
  keys: ObservedDeployKey[];
  /** From the first page: GraphQL follows renames, so the name asked for may be an old one. */
  identity?: RepositoryIdentity;
}

/** Reads the deploy keys of many repositories with as few GraphQL queries as the limits allow. */
export class GitHubDeployKeyReader {
  readonly #ctx: GitHubContext;
  readonly #perQuery: number;
  readonly #clock: PacerClock;
  #usage: GraphqlUsage = { queries: 0, points: 0, remaining: null };
  /** The budget the last answer reported, less the cost of queries sent since. */
  #budget: { remaining: number; resetAtMs: number } | null = null;
  readonly #inFlight = pLimit(QUERIES_IN_FLIGHT);

  constructor(ctx: GitHubContext, options: { repositoriesPerQuery?: number; clock?: PacerClock } = {}) {
    this.#ctx = ctx;
    // Not capped: above 5,000 GitHub refuses the query (500,000 nodes), and that error is reported as such.
    this.#perQuery = Math.max(1, Math.floor(options.repositoriesPerQuery ?? DEFAULT_REPOSITORIES_PER_QUERY));
    this.#clock = options.clock ?? ctx.settings.pacing?.clock ?? systemClock;
  }

  /** What the queries so far cost. */
  usage(): GraphqlUsage {
    return { ...this.#usage };
  }

  /**
   * The deploy keys of each `owner/name`, keyed as given: `exists: false` for a repository GitHub
   * answers NOT_FOUND (gone, or invisible to the token); an error naming the repository when its keys
   * may not be read (FORBIDDEN: the token does not administer it).
   */
  async read(repositories: readonly string[]): Promise<Map<string, RepositoryListing<ObservedDeployKey>>> {
    const result = new Map<string, RepositoryListing<ObservedDeployKey>>();
    let pending: Pending[] = [...new Set(repositories)].map((repository) => {
      splitRepository(repository);
      return { repository, after: null, pages: 0, keys: [] };
    });
    // With a GitHub App each owner's repositories go through that owner's installation, so a query
    // never mixes owners; with a token one query may.
    const groupOf =
      this.#ctx.app() === null ? (): string => "" : (item: Pending): string => splitRepository(item.repository).owner.toLowerCase();
    while (pending.length > 0) {
      const groups = new Map<string, Pending[]>();
      for (const item of pending) {
        const key = groupOf(item);
        const group = groups.get(key);
        if (group) group.push(item);
        else groups.set(key, [item]);
      }
      const batches: Pending[][] = [];
      for (const group of groups.values()) {
        for (let i = 0; i < group.length; i += this.#perQuery) batches.push(group.slice(i, i + this.#perQuery));
      }
      const next = await Promise.all(batches.map((batch) => this.#inFlight(() => this.#query(batch, result))));
      pending = next.flat();
    }
    return result;
  }

  /** One query for `batch`; records finished repositories in `result` and returns those with more pages. */
  async #query(batch: Pending[], result: Map<string, RepositoryListing<ObservedDeployKey>>): Promise<Pending[]> {
    const octokit = await this.#ctx.forOwner(splitRepository(batch[0]!.repository).owner);
    if (!octokit) throw new MissingGitHubTokenError(`reading deploy keys of ${batch[0]!.repository}`);
    const cost = Math.max(1, Math.round(batch.length / 100));
    await this.#fit(cost);

    const query = deployKeysQuery(batch.length);
    const variables: Record<string, string | null> = {};
    batch.forEach((item, i) => {
      const { owner, repo } = splitRepository(item.repository);
      variables[`o${i}`] = owner;
      variables[`n${i}`] = repo;
      variables[`a${i}`] = item.after;
    });

    const request = { method: "POST", url: this.#ctx.url("/graphql") };
    const { data, errors } = await this.#ctx.call(request, async () => {
      try {
        // The current node-id format for every object, so REST ids decode the same way whatever a key's age.
        const data = await octokit.graphql<Record<string, unknown>>(query, { ...variables, headers: { "x-github-next-global-id": "1" } });
        return { data, errors: [] as GraphqlErrorWire[] };
      } catch (error) {
        // @octokit/graphql throws on any `errors`, with the partial `data` beside them: a missing
        // repository is one alias's NOT_FOUND, and the others' answers stand.
        if (isGraphqlResponseError(error)) return { data: error.data ?? {}, errors: error.errors };
        throw error;
      }
    });
    const rate = data["rateLimit"] as RateLimitWire | null | undefined;
    // No rateLimit: the query did not run (a static limit such as 500,000 nodes, or RATE_LIMITED), whatever its errors' paths.
    if (!rate) throw new GitHubGraphqlError(errors.length > 0 ? errors : [{ message: "the answer has no rateLimit object" }]);
    this.#observe(rate);
    const general = errors.filter((e) => !e.path || typeof e.path[0] !== "string" || !/^r\d+$/.test(e.path[0]));
    if (general.length > 0) throw new GitHubGraphqlError(general);

    const more: Pending[] = [];
    batch.forEach((item, i) => {
      const alias = `r${i}`;
      const own = errors.filter((e) => e.path?.[0] === alias);
      const repo = data[alias] as RepositoryWire | null | undefined;
      if (own.some((e) => e.type === "NOT_FOUND" && e.path?.length === 1)) {
        result.set(item.repository, { exists: false, items: [] });
        return;
      }
      if (own.length > 0 || !repo) throw this.#unreadable(item.repository, own);
      if (item.identity === undefined && repo.databaseId !== null)
        item.identity = { id: String(repo.databaseId), repository: repo.nameWithOwner };
      for (const node of repo.deployKeys.nodes ?? []) {
        if (node) item.keys.push({ id: restIdFromNodeId(node.id, "DeployKey"), title: node.title, readOnly: node.readOnly });
      }
      item.pages++;
      const { hasNextPage, endCursor } = repo.deployKeys.pageInfo;
      if (hasNextPage && endCursor !== null) {
        if (item.pages >= MAX_PAGES)
          throw new Error(
            `github: deploy keys of ${item.repository}: more than ${MAX_PAGES} pages of ${KEYS_PER_PAGE}, far more than GitHub lets a repository hold; refusing to read on`,
          );
        more.push({ ...item, after: endCursor });
      } else {
        result.set(item.repository, { exists: true, items: item.keys, ...(item.identity ? { identity: item.identity } : {}) });
      }
    });
    return more;
  }

  /** An error naming the repository whose keys GitHub would not show, and what the token needs. */
  #unreadable(repository: string, errors: readonly GraphqlErrorWire[]): Error {
    const forbidden = errors.find((e) => e.type === "FORBIDDEN");
    if (forbidden) {
      return new UnobservableRepositoryError({
        service: "github",
        repository,
        what: "deploy keys",
        status: 403,
        permission: `admin access to the repository (a classic token with the repo scope, or a fine-grained token with Administration: read); GitHub said: ${forbidden.message}`,
      });
    }
    return new GitHubGraphqlError(errors.length > 0 ? errors : [{ message: `no answer for ${repository}` }]);
  }

  /** Waits, when the last known budget cannot pay `cost`, until it resets; then reserves the cost. */
  async #fit(cost: number): Promise<void> {
    for (;;) {
      const budget = this.#budget;
      const now = this.#clock.now();
      if (budget === null || now >= budget.resetAtMs || budget.remaining >= cost) break;
      await new Promise<void>((resolve) => this.#clock.setTimeout(resolve, budget.resetAtMs - now));
      if (this.#budget === budget) this.#budget = null;
    }
    if (this.#budget) this.#budget.remaining -= cost;
  }

  /** Counts an answer's cost and keeps the lowest remaining budget reported for its window. */
  #observe(rate: RateLimitWire): void {
    this.#usage.queries++;
    this.#usage.points += rate.cost;
    this.#usage.remaining = rate.remaining;
    const resetAtMs = Date.parse(rate.resetAt);
    if (!Number.isFinite(resetAtMs)) return;
    const current = this.#budget;
    if (current === null || resetAtMs > current.resetAtMs) this.#budget = { remaining: rate.remaining, resetAtMs };
    else if (resetAtMs === current.resetAtMs) current.remaining = Math.min(current.remaining, rate.remaining);
  }
}

/**
 * The query for `count` repositories: aliases `r0…` with variables `$oN`/`$nN` (owner, name) and `$aN`
 * (the cursor after which to read, null for the first page), and `rateLimit`.
 */
export function deployKeysQuery(count: number): string {
  const declarations: string[] = [];
  const fields: string[] = [];
  for (let i = 0; i < count; i++) {
    declarations.push(`$o${i}: String!, $n${i}: String!, $a${i}: String`);
    fields.push(
      `r${i}: repository(owner: $o${i}, name: $n${i}) { databaseId nameWithOwner deployKeys(first: ${KEYS_PER_PAGE}, after: $a${i}) { nodes { id title readOnly } pageInfo { hasNextPage endCursor } } }`,
    );
  }
  return `query DeployKeys(${declarations.join(", ")}) {\n  rateLimit { cost remaining resetAt }\n  ${fields.join("\n  ")}\n}`;
}

/** @octokit/graphql's `GraphqlResponseError`, duck-typed (the class is a transitive package). */
function isGraphqlResponseError(error: unknown): error is { data?: Record<string, unknown>; errors: GraphqlErrorWire[] } {
  return error instanceof Error && error.name === "GraphqlResponseError" && Array.isArray((error as { errors?: unknown }).errors);
}
