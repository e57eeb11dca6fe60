/**
 * The dynamic provider of `ReplacementBuild`, as `dynamic.Resource` serializes it into each resource's
 * `__provider` input: build-methods.js by package name (dynamic-provider.ts).
 */
import { dynamicProvider } from "./dynamic-provider.js";
import type { ReplacementBuildInputs, ReplacementBuildOutputs } from "./build-properties.js";

/** The `ReplacementBuild` provider object. */
export const buildProvider = dynamicProvider<ReplacementBuildInputs, ReplacementBuildOutputs>("sourcelinks/provider/build-methods");
