/**
 * The REST id inside a GraphQL node id. GitHub's GraphQL `DeployKey` has no `databaseId` field (the
 * schema `@octokit/graphql-schema` ships), while REST's `DELETE /repos/{owner}/{repo}/keys/{key_id}`
 * needs the numeric id, so it is read from the node id, in either of GitHub's two formats
 * (https://docs.github.com/graphql/guides/migrating-graphql-global-node-ids):
 * - current (sent for every object with `X-Github-Next-Global-ID: 1`): a type prefix, `_`, and the
 *   URL-safe base64 of a MessagePack array whose first element is the format version 0 and whose last
 *   is the object's database id (`U_kgDOADP9xw` is `[0, 3407303]`);
 * - legacy: base64 of `<length of the type name>:<type name><database id>` (`MDQ6VXNlcjM0MDczMDM=` is
 *   `04:User3407303`).
 * Anything else is refused: a guessed id could delete another key.
 */
import { decode } from "@msgpack/msgpack";
import { SourcelinksError } from "../../model/errors.js";

/** A node id that holds no REST id of the expected type. */
export class UndecodableNodeIdError extends SourcelinksError {
  override readonly name = "UndecodableNodeIdError";
  readonly kind = "operational";
  constructor(nodeId: string, typeName: string) {
    super(
      `github: the GraphQL node id "${nodeId}" of a ${typeName} holds no REST id in either of GitHub's formats (https://docs.github.com/graphql/guides/migrating-graphql-global-node-ids)`,
    );
  }
}

/** The database (REST) id of a `typeName` object from its node id, as a decimal string. */
export function restIdFromNodeId(nodeId: string, typeName: string): string {
  const current = /^[A-Za-z]+_([A-Za-z0-9_-]+)$/.exec(nodeId);
  if (current) {
    const id = lastDatabaseId(Buffer.from(current[1]!, "base64url"));
    if (id !== null) return id;
  }
  const legacy = /^0?(\d+):([A-Za-z]+)(\d+)$/.exec(Buffer.from(nodeId, "base64").toString("latin1"));
  if (legacy && legacy[2] === typeName && Number(legacy[1]) === typeName.length) return legacy[3]!;
  throw new UndecodableNodeIdError(nodeId, typeName);
}

/** The last element of a MessagePack array `[0, …, id]` of non-negative integers, or null. */
function lastDatabaseId(bytes: Uint8Array): string | null {
  let value: unknown;
  try {
    value = decode(bytes, { useBigInt64: true });
  } catch {
    // Not MessagePack: not a current-format id (the legacy form is tried next).
    return null;
  }
  if (!Array.isArray(value) || value.length < 2 || !value.every(isNonNegativeInteger) || BigInt(value[0] as number | bigint) !== 0n)
    return null;
  return String(value[value.length - 1]);
}

function isNonNegativeInteger(v: unknown): v is number | bigint {
  return (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) || (typeof v === "bigint" && v >= 0n);
}
