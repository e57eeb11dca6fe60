/** The source provider client (or its API URL) an operation needs, or a configuration error naming what to set. */
import type { ProviderKind } from "../model/spec.js";
import type { SourceProviderClient } from "../clients/types.js";
import type { OperationContext } from "./context.js";
import type { PlanSettings } from "./plan-settings.js";
import { ReconcileError } from "./errors.js";

/** The provider's client, or a configuration error naming what to set. */
export function providerClient(ctx: OperationContext, provider: ProviderKind): SourceProviderClient {
  const client = ctx.clients.providers[provider];
  if (!client) throw notConfigured(provider);
  return client;
}

/** The provider's API base URL, for building requests, or the same configuration error as `providerClient`. */
export function providerApiUrl(settings: PlanSettings, provider: ProviderKind): string {
  const url = settings.apis[provider];
  if (url === null) throw notConfigured(provider);
  return url;
}

function notConfigured(provider: ProviderKind): ReconcileError {
  return new ReconcileError("missing-client", `providers.${provider} is not configured: add it to the config to manage ${provider} links.`);
}
