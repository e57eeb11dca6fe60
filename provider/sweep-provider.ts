/**
 * The dynamic provider of `OrphanSweep`, as `dynamic.Resource` serializes it into each resource's
 * `__provider` input: sweep-methods.js by package name (dynamic-provider.ts).
 */
import { dynamicProvider } from "./dynamic-provider.js";
import type { OrphanSweepInputs, OrphanSweepOutputs } from "./sweep-properties.js";

/** The `OrphanSweep` provider object. */
export const sweepProvider = dynamicProvider<OrphanSweepInputs, OrphanSweepOutputs>("sourcelinks/provider/sweep-methods");
