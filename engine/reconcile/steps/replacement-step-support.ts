/** What the replacement build's step kinds share: the client and API root of a step's provider, and the refusal of a request the plan did not show. */
import type { ReplacementClient } from "../../clients/types.js";
import type { PlannedRequest } from "../../model/plan.js";
import type { ProviderKind } from "../../model/spec.js";
import type { OperationContext } from "../context.js";
import { ReconcileError } from "../errors.js";
import { replacementClient } from "../observe-replacement.js";

/** The provider's API root of this run, or null when the provider is not configured. */
export function apiOf(ctx: OperationContext, provider: ProviderKind): string | null {
  return ctx.apis[provider];
}

/** The refusal of a step whose request is not the one its builder makes now (another API, a changed config), or null. */
export function mismatch(
  kind: string,
  planned: PlannedRequest,
  rebuilt: (api: string) => PlannedRequest,
  ctx: OperationContext,
  provider: ProviderKind,
): ReconcileError | null {
  const api = apiOf(ctx, provider);
  if (api === null)
    return new ReconcileError("missing-client", `${kind}: providers.${provider} is not configured in this run: add it to send this step`);
  const expected = rebuilt(api);
  if (expected.method === planned.method && expected.url === planned.url) return null;
  return new ReconcileError(
    "request-mismatch",
    `${kind}: the plan says ${planned.method} ${planned.url}, but this run would send ${expected.method} ${expected.url}; plan again`,
  );
}

/** The client the step is sent through. */
export function clientOf(ctx: OperationContext, provider: ProviderKind): ReplacementClient {
  return replacementClient(ctx, provider);
}
