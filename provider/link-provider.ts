/**
 * The dynamic provider of `SourceProviderLink`, as `dynamic.Resource` serializes it into each
 * resource's `__provider` input: link-methods.js by package name (dynamic-provider.ts).
 */
import { dynamicProvider } from "./dynamic-provider.js";
import type { SourceProviderLinkInputs, SourceProviderLinkOutputs } from "./properties.js";

/** The `SourceProviderLink` provider object. */
export const linkProvider = dynamicProvider<SourceProviderLinkInputs, SourceProviderLinkOutputs>("sourcelinks/provider/link-methods");
