/**
 * The dynamic provider of `OrgThirdPartyAccess`, serialized into each resource's `__provider`:
 * org-access-methods.js by package name (dynamic-provider.ts).
 */
import { dynamicProvider } from "./dynamic-provider.js";
import type { OrgThirdPartyAccessInputs, OrgThirdPartyAccessOutputs } from "./properties.js";

/** The `OrgThirdPartyAccess` provider object. */
export const orgAccessProvider = dynamicProvider<OrgThirdPartyAccessInputs, OrgThirdPartyAccessOutputs>(
  "sourcelinks/provider/org-access-methods",
);
