/** `GET /namespaces/` of the sandbox's `reference` build service: the namespaces the caller's token may act on. */
import type { NamespaceWire } from "./wire-types.js";
import type { RouteHandler } from "../router.js";
import { json } from "../router.js";
import { authenticate } from "./auth.js";
import { listEnvelope, pageParams } from "./wire.js";

/** The token's namespaces in the order the world lists them, paginated like links. */
export const listNamespaces: RouteHandler = (ctx) => {
  const caller = authenticate(ctx);
  if ("status" in caller) return caller;
  const page = pageParams(ctx);
  if ("status" in page) return page;
  const names: NamespaceWire[] = caller.namespaces.map((name) => ({ name }));
  return json(200, listEnvelope(ctx, names, page));
};
