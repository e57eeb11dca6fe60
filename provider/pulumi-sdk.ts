/**
 * @pulumi/pulumi for the provider's modules, loaded through requirePeer() so that a program importing
 * sourcelinks without the SDK installed is told to install it. Import it as the SDK's namespace:
 * `import * as pulumi from "./pulumi-sdk.js"`; the SDK's types come through `export type *`, its
 * values (add one here when a module needs it) from the loaded SDK.
 */
import type * as Sdk from "@pulumi/pulumi";
import { requirePeer } from "./peer-dependency.js";

export type * from "@pulumi/pulumi";

const sdk = requirePeer<typeof Sdk>("@pulumi/pulumi", import.meta.url, "The sourcelinks Pulumi provider", ["@pulumi/pulumi"]);

export const { all, dynamic, interpolate, output, runtime, secret, unsecret } = sdk;
// A class or an interface with a constructor value is both a value and a type: export both.
export const ComponentResource = sdk.ComponentResource;
export type ComponentResource = Sdk.ComponentResource;
export const Config = sdk.Config;
export type Config = Sdk.Config;
export const Output = sdk.Output;
export type Output<T> = Sdk.Output<T>;

/** The SDK's `dynamic` types, which the `dynamic` value above would otherwise hide. */
export declare namespace dynamic {
  export type Resource = Sdk.dynamic.Resource;
  export type ResourceProvider<Inputs = Record<string, unknown>, Outputs = Record<string, unknown>> = Sdk.dynamic.ResourceProvider<
    Inputs,
    Outputs
  >;
  export type CheckResult<Inputs = Record<string, unknown>> = Sdk.dynamic.CheckResult<Inputs>;
  export type DiffResult = Sdk.dynamic.DiffResult;
  export type CreateResult<Outputs = Record<string, unknown>> = Sdk.dynamic.CreateResult<Outputs>;
  export type ReadResult<Outputs = Record<string, unknown>> = Sdk.dynamic.ReadResult<Outputs>;
  export type UpdateResult<Outputs = Record<string, unknown>> = Sdk.dynamic.UpdateResult<Outputs>;
}
