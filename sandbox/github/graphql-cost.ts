/**
 * GitHub's static GraphQL limits, computed before a query runs
 * (https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api):
 * - every connection needs `first` or `last`, 1 to 100;
 * - node count: for each connection, `first`/`last` times the sizes of the connections above it;
 *   at most 500,000 per query;
 * - cost: for each connection, the requests needed to fill it (the product of the sizes of the
 *   connections above it, 1 at the top), summed, divided by 100 and rounded; at least 1.
 */
import {
  getNamedType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromASTUntyped,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";

/** GitHub's maximum `first`/`last` on a connection. */
export const MAX_PAGE = 100;
/** GitHub's maximum nodes one query may request. */
export const MAX_NODES = 500_000;

/** One of GitHub's static-limit errors, shaped as GitHub sends it. */
export interface GraphqlLimitError {
  type: "MISSING_PAGINATION_BOUNDARIES" | "EXCESSIVE_PAGINATION" | "MAX_NODE_LIMIT_EXCEEDED";
  path: string[];
  locations: { line: number; column: number }[];
  message: string;
}

/** What a query would cost, or the static errors that stop it. */
export interface QueryCost {
  cost: number;
  nodeCount: number;
  errors: GraphqlLimitError[];
}

/** Computes the cost and node count of `selection` (an operation's root selection set) over `schema`. */
export function queryCost(
  schema: GraphQLSchema,
  selection: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): QueryCost {
  const errors: GraphqlLimitError[] = [];
  let nodeCount = 0;
  let requests = 0;
  const root = schema.getQueryType();
  if (!root) return { cost: 1, nodeCount: 0, errors };

  const walk = (set: SelectionSetNode, type: GraphQLNamedType, multiplier: number, path: string[]): void => {
    for (const node of set.selections) {
      if (node.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(node.name.value);
        if (fragment) walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? type, multiplier, path);
        continue;
      }
      if (node.kind === Kind.INLINE_FRAGMENT) {
        walk(node.selectionSet, node.typeCondition ? (schema.getType(node.typeCondition.name.value) ?? type) : type, multiplier, path);
        continue;
      }
      field(node, type, multiplier, path);
    }
  };

  const field = (node: FieldNode, parent: GraphQLNamedType, multiplier: number, path: string[]): void => {
    if (!isObjectType(parent) && !isInterfaceType(parent)) return;
    const definition = parent.getFields()[node.name.value];
    if (!definition || !node.selectionSet) return;
    const type = getNamedType(definition.type);
    const here = [...path, node.alias?.value ?? node.name.value];
    if (!type.name.endsWith("Connection")) {
      walk(node.selectionSet, type, multiplier, here);
      return;
    }
    const size = pageSize(node, variables);
    const location = { line: node.loc?.startToken.line ?? 1, column: node.loc?.startToken.column ?? 1 };
    if (size === null) {
      errors.push({
        type: "MISSING_PAGINATION_BOUNDARIES",
        path: here,
        locations: [location],
        message: `You must provide a \`first\` or \`last\` value to properly paginate the \`${node.name.value}\` connection.`,
      });
      return;
    }
    if (size.value > MAX_PAGE || size.value < 0) {
      errors.push({
        type: "EXCESSIVE_PAGINATION",
        path: here,
        locations: [location],
        message: `Requesting ${size.value} records on the \`${node.name.value}\` connection exceeds the \`${size.argument}\` limit of ${MAX_PAGE} records.`,
      });
      return;
    }
    requests += multiplier;
    nodeCount += multiplier * size.value;
    if (nodeCount > MAX_NODES && !errors.some((e) => e.type === "MAX_NODE_LIMIT_EXCEEDED")) {
      errors.push({
        type: "MAX_NODE_LIMIT_EXCEEDED",
        path: here,
        locations: [location],
        message: `By the time this query traverses to the ${node.name.value} connection, it is requesting up to ${nodeCount.toLocaleString("en-US")} possible nodes which exceeds the maximum limit of ${MAX_NODES.toLocaleString("en-US")}.`,
      });
    }
    walk(node.selectionSet, type, multiplier * size.value, here);
  };

  walk(selection, root, 1, []);
  return { cost: Math.max(1, Math.round(requests / 100)), nodeCount, errors };
}

/** The `first` or `last` argument of a connection field, resolved through variables; null when neither is given. */
function pageSize(node: FieldNode, variables: Record<string, unknown>): { argument: "first" | "last"; value: number } | null {
  for (const name of ["first", "last"] as const) {
    const arg = node.arguments?.find((a) => a.name.value === name);
    if (!arg) continue;
    const value = valueFromASTUntyped(arg.value, variables);
    if (typeof value === "number") return { argument: name, value };
  }
  return null;
}
