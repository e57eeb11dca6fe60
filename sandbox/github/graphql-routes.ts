/**
 * `POST /graphql` (under the GitHub mount, as `https://api.github.com/graphql`): the GraphQL subset of
 * graphql-schema.ts with GitHub's semantics
 * (https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api):
 * - 401 without a valid token; a request the endpoint cannot read answers 200 with `errors` only;
 * - static limits before anything runs: pagination bounds, 500,000 nodes (graphql-cost.ts), no charge;
 * - the query's cost from GraphQL's own hourly budget, `RATE_LIMITED` (nothing run) when it does not fit
 *   and the sandbox enforces limits; `rateLimit { cost limit nodeCount remaining resetAt used }`;
 * - a repository that does not exist or that the token cannot see: that alias `null` with a `NOT_FOUND`
 *   error naming it, the other aliases answered.
 * Errors carry GitHub's top-level `type`, `path`, `locations` and `message`.
 */
import { encode } from "@msgpack/msgpack";
import {
  execute,
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from "graphql";
import type { Caller as LimitCaller, GitHubLimiter } from "../limits.js";
import type { RouteContext, RouteResponse, Router } from "../router.js";
import type { GitHubDeployKeyState, GitHubRepoState, World } from "../world.js";
import { bearerToken, callerFor, findRepo, isAffiliated, oauthRestriction, renamedRepo, type Caller } from "./auth.js";
import { queryCost } from "./graphql-cost.js";
import { graphqlSubsetSchema } from "./graphql-schema.js";

/** What the GraphQL endpoint needs from the server: its limiter and who a request is charged to. */
export interface GraphqlDeps {
  limiter: GitHubLimiter;
  /** The limiter's caller for an `Authorization` header (the server's `identify`). */
  callerOf(authorization: string | undefined): LimitCaller;
}

const GRAPHQL_DOCS = "https://docs.github.com/graphql";

/** One error as GitHub's GraphQL API sends it. */
interface GitHubGraphqlError {
  type?: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
  message: string;
}

/** Registers `POST /graphql`. */
export function registerGraphqlRoutes(router: Router, deps: GraphqlDeps): void {
  router.add("POST", "/graphql", (ctx) => answer(ctx, deps));
}

function answer(ctx: RouteContext, deps: GraphqlDeps): RouteResponse {
  const raw = bearerToken(ctx.headers.authorization);
  // GitHub's GraphQL API has no anonymous access.
  if (raw === null)
    return {
      status: 401,
      body: {
        message: "This endpoint requires you to be authenticated.",
        documentation_url: `${GRAPHQL_DOCS}/guides/forming-calls-with-graphql#authenticating-with-graphql`,
      },
    };
  // GraphQL has one path for every query: an installation's permissions are not checked per route here.
  const caller = callerFor(ctx, raw, false);
  if ("status" in caller)
    return caller.status === 401 ? { status: 401, body: { message: "Bad credentials", documentation_url: GRAPHQL_DOCS } } : caller;

  const body = typeof ctx.body === "object" && ctx.body !== null ? (ctx.body as Record<string, unknown>) : {};
  if (typeof body.query !== "string") return errorsOnly([{ message: "A query attribute must be specified and must be a string." }]);
  const variables = typeof body.variables === "object" && body.variables !== null ? (body.variables as Record<string, unknown>) : {};
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (error) {
    if (error instanceof GraphQLError) return errorsOnly([shape(error)]);
    throw error;
  }
  const schema = graphqlSubsetSchema();
  const invalid = validate(schema, document);
  if (invalid.length > 0) return errorsOnly(invalid.map(shape));

  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operationName = typeof body.operationName === "string" ? body.operationName : undefined;
  const operation = operationName === undefined ? operations[0] : operations.find((o) => o.name?.value === operationName);
  if (!operation || (operationName === undefined && operations.length > 1))
    return errorsOnly([{ message: "An operation name is required" }]);
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );

  const { cost, nodeCount, errors } = queryCost(schema, operation.selectionSet, fragments, variables);
  if (errors.length > 0) return errorsOnly(errors);

  const limitCaller = deps.callerOf(ctx.headers.authorization);
  if (!deps.limiter.spendGraphql(limitCaller, cost)) {
    const user = ctx.world.github.accounts.find((a) => a.login === caller.login);
    return errorsOnly([{ type: "RATE_LIMITED", message: `API rate limit exceeded for user ID ${user?.id ?? 0}.` }]);
  }
  const budget = deps.limiter.graphqlBudget(limitCaller);
  const rootValue = {
    rateLimit: () => ({
      cost,
      limit: budget.limit,
      nodeCount,
      remaining: budget.remaining,
      resetAt: isoSeconds(budget.resetAtMs),
      used: budget.used,
    }),
    repository: (args: { owner: string; name: string; followRenames?: boolean }) =>
      repository(ctx.world, caller, args.owner, args.name, args.followRenames !== false),
  };
  const result = execute({
    schema,
    document,
    rootValue,
    variableValues: variables,
    ...(operationName === undefined ? {} : { operationName }),
  }) as ExecutionResult;
  const out: { data: unknown; errors?: GitHubGraphqlError[] } = { data: result.data ?? null };
  if (result.errors && result.errors.length > 0) out.errors = result.errors.map(shape);
  return { status: 200, body: out };
}

/**
 * A repository for the caller (by an old name too, unless `followRenames` is false, as on GitHub), or
 * GitHub's NOT_FOUND (missing or invisible) / FORBIDDEN (OAuth restriction) error.
 */
function repository(world: World, caller: Caller, owner: string, name: string, followRenames: boolean): object {
  const repo = findRepo(world, owner, name) ?? (followRenames ? renamedRepo(world, owner, name) : undefined);
  const affiliated = repo !== undefined && isAffiliated(world, caller.login, repo.owner);
  if (!repo || (repo.private && !affiliated)) {
    throw new GraphQLError(`Could not resolve to a Repository with the name '${owner}/${name}'.`, { extensions: { type: "NOT_FOUND" } });
  }
  const restricted = oauthRestriction(world, caller, repo.owner);
  if (restricted) throw new GraphQLError((restricted.body as { message: string }).message, { extensions: { type: "FORBIDDEN" } });
  return {
    id: nodeId("R_", [0, repo.id]),
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: `${repo.owner}/${repo.name}`,
    isPrivate: repo.private,
    deployKeys: (args: ConnectionArgs) => {
      // Deploy keys are an admin's to see, as on REST (`GET /repos/{owner}/{repo}/keys` answers 404 otherwise).
      if (!affiliated) throw new GraphQLError("Resource not accessible by personal access token", { extensions: { type: "FORBIDDEN" } });
      return connection(repo.keys, args, (key) => deployKeyNode(repo, key));
    },
  };
}

interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/** A cursor-paginated slice of `items`, as GitHub's connections page (first/after, last/before). */
function connection<T>(items: readonly T[], args: ConnectionArgs, node: (item: T) => object): object {
  const start = args.after ? cursorIndex(args.after) + 1 : 0;
  const end = args.before ? cursorIndex(args.before) : items.length;
  let from = start;
  let to = Math.max(start, end);
  if (typeof args.first === "number") to = Math.min(to, from + args.first);
  if (typeof args.last === "number") from = Math.max(from, to - args.last);
  const slice = items.slice(from, to).map((item, i) => ({ cursor: cursorOf(from + i), node: node(item) }));
  return {
    edges: slice,
    nodes: slice.map((e) => e.node),
    totalCount: items.length,
    pageInfo: {
      startCursor: slice[0]?.cursor ?? null,
      endCursor: slice.at(-1)?.cursor ?? null,
      hasNextPage: to < Math.min(end, items.length),
      hasPreviousPage: from > start,
    },
  };
}

function cursorOf(index: number): string {
  return Buffer.from(`cursor:v2:${index}`).toString("base64");
}

function cursorIndex(cursor: string): number {
  const match = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, "base64").toString("utf8"));
  if (!match)
    throw new GraphQLError(`\`${cursor}\` does not appear to be a valid cursor.`, { extensions: { type: "INVALID_CURSOR_ARGUMENTS" } });
  return Number(match[1]);
}

function deployKeyNode(repo: GitHubRepoState, key: GitHubDeployKeyState): object {
  return {
    id: nodeId("DK_", [0, repo.id, key.id]),
    createdAt: key.created_at,
    key: key.key,
    readOnly: key.read_only,
    title: key.title,
    verified: key.verified,
  };
}

/**
 * A node id in GitHub's current format: a type prefix and the URL-safe base64 of a MessagePack array
 * (a format version, 0, then the database ids; the object's own id last), as GitHub sends with
 * `X-Github-Next-Global-ID: 1` (https://docs.github.com/graphql/guides/migrating-graphql-global-node-ids).
 */
function nodeId(prefix: string, parts: readonly number[]): string {
  return `${prefix}${Buffer.from(encode(parts)).toString("base64url")}`;
}

function shape(error: GraphQLError | GitHubGraphqlError): GitHubGraphqlError {
  if (!(error instanceof GraphQLError)) return error;
  const out: GitHubGraphqlError = { message: error.message };
  const type = error.extensions?.type;
  if (typeof type === "string") out.type = type;
  if (error.path) out.path = error.path;
  if (error.locations) out.locations = error.locations;
  return out;
}

/** GitHub's `DateTime` (whole seconds), rounded up so waiting until then is never early. */
function isoSeconds(ms: number): string {
  return new Date(Math.ceil(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** An answer with `errors` and no `data`: GitHub answers 200 to a query it refuses to run. */
function errorsOnly(errors: GitHubGraphqlError[]): RouteResponse {
  return { status: 200, body: { errors } };
}
