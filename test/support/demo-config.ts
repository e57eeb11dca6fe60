/**
 * Helpers for the integration tests: the example config against a sandbox of the demo world, and
 * readers of the sandbox world to assert what the operations left behind.
 */
import { fileURLToPath } from "node:url";
import { loadConfigFiles } from "../../engine/config/load.js";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import type { World } from "../../sandbox/world.js";

/** examples/basic/sourcelinks.yaml: the desired state for the demo world, loaded as the CLI loads it. */
export const EXAMPLE = fileURLToPath(new URL("../../examples/basic/sourcelinks.yaml", import.meta.url));

/** examples/basic/builds.yaml: the autobuilds the demo world's links ran, merged with EXAMPLE when both are given. */
export const BUILDS_EXAMPLE = fileURLToPath(new URL("../../examples/basic/builds.yaml", import.meta.url));

/** A fresh copy of the example config per call, so a test may edit its copy; `withBuilds` merges in the example's builds. */
export async function loadDemoConfig(withBuilds = false): Promise<() => SourcelinksConfig> {
  const { config } = await loadConfigFiles(withBuilds ? [EXAMPLE, BUILDS_EXAMPLE] : [EXAMPLE]);
  return () => structuredClone(config);
}

/** The GitHub repository `owner/name` of the world. */
export function githubRepo(world: World, fullName: string): World["github"]["repos"][number] {
  const [owner, name] = fullName.split("/");
  const repo = world.github.repos.find((r) => r.owner === owner && r.name === name);
  if (!repo) throw new Error(`no repository ${fullName} in the sandbox world`);
  return repo;
}

/** Live (not revoked) OAuth tokens the build service's GitHub app holds for `login`. */
export function liveAppTokens(world: World, login: string, clientId = "Iv1.5a9d0c3e7b214f68"): number {
  return world.github.tokens.filter((t) => t.kind === "oauth" && t.clientId === clientId && t.login === login && !t.revoked).length;
}

/** The build-service link records of a namespace as `account/team/state`. */
export function linkRecords(world: World, namespace = "acme"): string[] {
  return world.buildService.links
    .filter((l) => l.namespace === namespace)
    .map((l) => `${l.provider}:${l.account}/${l.team ?? "-"}/${l.state}`);
}
