/**
 * @pulumi/policy for the pack's modules, loaded through requirePeer() so that a pack run without it is
 * told what to install. It is looked for from sourcelinks' own location, then from the working folder:
 * Pulumi runs a policy pack in its folder, where `npm install` puts the SDK when the pack folder
 * (policies/, or node_modules/sourcelinks/policies) was installed on its own.
 */
import type * as Sdk from "@pulumi/policy";
import { requirePeer } from "../provider/peer-dependency.js";

/** The loaded @pulumi/policy. */
export const policySdk: typeof Sdk = requirePeer<typeof Sdk>(
  "@pulumi/policy",
  import.meta.url,
  "The sourcelinks policy pack",
  ["@pulumi/policy", "@pulumi/pulumi"],
  [process.cwd()],
);
