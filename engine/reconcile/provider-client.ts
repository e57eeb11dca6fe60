/** The source provider client an operation needs, or a configuration error naming what to set. */
import type { ProviderKind } from "../model/spec.js";
import type { SourceProviderClient } from "../clients/types.js";
import type { OperationContext } from "./context.js";
import { ReconcileError } from "./errors.js";

/** The provider's client, or a configuration error naming what to set. */
export function providerClient(ctx: OperationContext, provider: ProviderKind): SourceProviderClient {
  const client = ctx.clients.providers[provider];
  if (!client) throw new ReconcileError("missing-client", `providers.${provider} is not configured: add it to the config to manage ${provider} links.`);
  return client;
}
