/** What the replacement build's step kinds share: the client and API root of a step's provider. */
import type { ReplacementClient } from "../../clients/types.js";
import type { ProviderKind } from "../../model/spec.js";
import type { OperationContext } from "../context.js";
import { replacementClient } from "../observe-replacement.js";

/** The provider's API root of this run, or null when the provider is not configured. */
export function apiOf(ctx: OperationContext, provider: ProviderKind): string | null {
  return ctx.apis[provider];
}

/** The client the step is sent through. */
export function clientOf(ctx: OperationContext, provider: ProviderKind): ReplacementClient {
  return replacementClient(ctx, provider);
}
