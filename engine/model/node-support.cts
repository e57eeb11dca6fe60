/**
 * The Node.js versions sourcelinks runs on. The CLI and the policy pack check it before loading anything
 * else: on Node 22.0–22.11 (and before 20.19) `require()` of an ES module fails, so the pack (loaded with
 * require() by Pulumi) and CommonJS programs would crash with ERR_REQUIRE_ESM instead of saying why.
 * CommonJS (.cts), so that policies/pack.cjs can require it on any Node.
 */

/** package.json `engines.node`. */
export const SUPPORTED_NODE = "^20.19.0 || >=22.12.0";

/** Whether `version` (`process.versions.node`, e.g. `22.11.0`) is in SUPPORTED_NODE. */
export function isSupportedNode(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  if (major === 20) return minor >= 19;
  if (major === 22) return minor >= 12;
  return major > 22;
}

/** The message to stop with on an unsupported Node, naming the supported versions; undefined when `version` is supported. */
export function unsupportedNodeMessage(what: string, version: string): string | undefined {
  if (isSupportedNode(version)) return undefined;
  return `${what} needs Node.js ${SUPPORTED_NODE}; this is Node.js ${version}. Install a supported Node.js (22.12 or later, or 20.19 or later on 20) and run it again.`;
}
