/**
 * Loading the optional peer dependencies (@pulumi/pulumi, @pulumi/policy). The CLI never needs them, so
 * they are not installed with sourcelinks; the provider and the policy pack load them through here, so
 * that a user who lacks one is told what to install instead of getting a bare "Cannot find package".
 * Loaded with require(), synchronously, so `require("sourcelinks")` from a CommonJS program still works
 * (a top-level await would break it); both SDKs are CommonJS, so ESM importers share this instance.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** The optional peers and the ranges package.json's `peerDependencies` declares for them. */
export const PULUMI_PEERS = { "@pulumi/pulumi": "^3.248.0", "@pulumi/policy": "^1.21.0" } as const;

/** One of the optional peers. */
export type PulumiPeer = keyof typeof PULUMI_PEERS;

/** The error for a missing peer: what needs it and the `npm install` line that brings what it needs. */
export function missingPeerMessage(feature: string, needed: readonly PulumiPeer[]): string {
  const install = needed.map((name) => `${name}@${PULUMI_PEERS[name]}`).join(" ");
  return `${feature} needs ${needed.join(" and ")}, optional peer dependencies of sourcelinks that are not installed. Install them in your project: npm install ${install}`;
}

/** Whether `error` says that one of `names` itself (not some other module it requires) cannot be found. */
function isMissing(error: unknown, names: readonly string[]): boolean {
  const e = error as NodeJS.ErrnoException | undefined;
  return e?.code === "MODULE_NOT_FOUND" && names.some((name) => String(e.message).includes(`'${name}'`));
}

/**
 * `name`, required from `from` (an importing module's URL) or else from each of `fallbackDirs`, in
 * order; none having it (or it lacking another of `needed`) throws missingPeerMessage().
 */
export function requirePeer<T>(
  name: PulumiPeer,
  from: string,
  feature: string,
  needed: readonly PulumiPeer[],
  fallbackDirs: string[] = [],
): T {
  for (const base of [from, ...fallbackDirs.map((dir) => pathToFileURL(join(dir, "noop.js")).href)]) {
    try {
      return createRequire(base)(name) as T;
    } catch (error) {
      if (!isMissing(error, [name, ...needed])) throw error;
    }
  }
  throw new Error(missingPeerMessage(feature, needed));
}
