/**
 * The slice of GitHub's public GraphQL schema the sandbox serves: a repository's deploy keys and the
 * `rateLimit` object. Names, arguments and nullability are GitHub's (test/sandbox/graphql-routes.test.ts
 * checks every field here against the schema `@octokit/graphql-schema` ships), so a query valid here
 * is valid on api.github.com.
 */
import { buildSchema, type GraphQLSchema } from "graphql";

/** The SDL of the subset. GitHub's `DeployKey` has no `databaseId`: the REST id is in the node id (node-id.ts). */
export const GRAPHQL_SUBSET_SDL = `
scalar DateTime

interface Node {
  id: ID!
}

type Query {
  repository(owner: String!, name: String!, followRenames: Boolean = true): Repository
  rateLimit(dryRun: Boolean = false): RateLimit
}

type RateLimit {
  cost: Int!
  limit: Int!
  nodeCount: Int!
  remaining: Int!
  resetAt: DateTime!
  used: Int!
}

type Repository implements Node {
  id: ID!
  databaseId: Int
  name: String!
  nameWithOwner: String!
  isPrivate: Boolean!
  deployKeys(after: String, before: String, first: Int, last: Int): DeployKeyConnection!
}

type DeployKeyConnection {
  edges: [DeployKeyEdge]
  nodes: [DeployKey]
  pageInfo: PageInfo!
  totalCount: Int!
}

type DeployKeyEdge {
  cursor: String!
  node: DeployKey
}

type DeployKey implements Node {
  createdAt: DateTime!
  id: ID!
  key: String!
  readOnly: Boolean!
  title: String!
  verified: Boolean!
}

type PageInfo {
  endCursor: String
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
}
`;

let built: GraphQLSchema | null = null;

/** The subset as an executable-shape schema, built once. */
export function graphqlSubsetSchema(): GraphQLSchema {
  built ??= buildSchema(GRAPHQL_SUBSET_SDL);
  return built;
}
