/**
 * The root Pulumi program (Pulumi.yaml `main: dist/pulumi-program.js`): declares the links and org access of
 * the sourcelinks YAML files named by stack config `sourcelinks:configFiles` (one path, a
 * comma-separated list, or a JSON array; default `examples/basic/sourcelinks.yaml` and `examples/basic/builds.yaml`), relative to the
 * project directory, grouped under one `sourcelinks:index:Links` component. Exports each resource's
 * live state as stack outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { Links } from "./provider/index.js";

// Only the default export: Pulumi refuses an entry module with both a default and named exports.

/** The demo configuration, used when `sourcelinks:configFiles` is not set. */
const DEFAULT_CONFIG_FILES = ["examples/basic/sourcelinks.yaml", "examples/basic/builds.yaml"];

/** Reads `sourcelinks:configFiles`: a JSON array, or one or more comma-separated paths. */
function configFilesFrom(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === "") return DEFAULT_CONFIG_FILES;
  if (raw.trim().startsWith("[")) return (JSON.parse(raw) as unknown[]).map(String);
  return raw
    .split(",")
    .map((f) => f.trim())
    .filter((f) => f !== "");
}

/** The program: Pulumi calls the default export and turns its result into stack outputs. */
export default async function program(): Promise<Record<string, unknown>> {
  const files = configFilesFrom(new pulumi.Config("sourcelinks").get("configFiles"));
  // One tree in the stack; the resources keep their names and alias their earlier root-level URNs.
  const declared = await Links.fromFiles("sourcelinks", files);
  const links = Object.fromEntries(
    Object.entries(declared.links).map(([name, link]) => [
      name,
      { liveState: link.liveState, providerGrant: link.providerGrant, pendingManualSteps: link.pendingManualSteps },
    ]),
  );
  const orgAccess = Object.fromEntries(
    Object.entries(declared.orgAccess).map(([name, entry]) => [
      name,
      { observedAccess: entry.observedAccess, observedVia: entry.observedVia, pendingManualSteps: entry.pendingManualSteps },
    ]),
  );
  const builds = Object.fromEntries(
    Object.entries(declared.builds).map(([name, build]) => [
      name,
      { state: build.state, pullRequest: build.pullRequest, lastRun: build.lastRun, verifiedTags: build.verifiedTags },
    ]),
  );
  return { configFiles: files, links, orgAccess, builds };
}
