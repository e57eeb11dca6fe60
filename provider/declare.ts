/**
 * Declares one resource per link and per org access entry of sourcelinks YAML files, for the root
 * program and for users' own Pulumi programs:
 *
 * ```ts
 * import { declareFromConfig } from "sourcelinks";
 * const { links } = await declareFromConfig(["sourcelinks.yaml"]);
 * export const legacyState = links["legacy-builds"].liveState;
 * ```
 */
import type * as pulumi from "@pulumi/pulumi";
import { loadConfigFiles } from "../config/index.js";
import type { SourcelinksConfig } from "../config/types.js";
import { OrgThirdPartyAccess, SourceProviderLink } from "./resources.js";

/** Options of `declareFromConfig`. */
export interface DeclareOptions {
  /** Applied to every declared resource (e.g. a parent component, `protect`, `retainOnDelete`). */
  resourceOptions?: pulumi.CustomResourceOptions;
}

/** The declared resources, keyed by link name and by `<org>-<app>`. */
export interface DeclaredResources {
  links: Record<string, SourceProviderLink>;
  orgAccess: Record<string, OrgThirdPartyAccess>;
}

/** The resource name of an org access entry: `<org>-<app>`, e.g. `acme-github`. */
export function orgAccessResourceName(entry: { org: string; app: string }): string {
  return `${entry.org}-${entry.app}`;
}

/**
 * Declares the resources of an already merged configuration. Each org access entry may act through
 * the declared links of its app's provider, and depends on them: a relink completes before the
 * org's access is read or set through it.
 */
export function declareFromLoadedConfig(config: SourcelinksConfig, options: DeclareOptions = {}): DeclaredResources {
  const world = { buildService: config.buildService, providers: config.providers };
  const links: Record<string, SourceProviderLink> = {};
  for (const link of config.links) {
    const args = {
      ...world,
      namespace: link.namespace,
      provider: link.provider,
      account: link.account,
      serviceAccount: link.serviceAccount,
      state: link.state,
      repositories: link.repositories,
      onRevoke: link.onRevoke,
      ...(link.team !== undefined ? { team: link.team } : {}),
    };
    links[link.name] = new SourceProviderLink(link.name, args, options.resourceOptions);
  }
  const orgAccess: Record<string, OrgThirdPartyAccess> = {};
  for (const entry of config.orgAccess) {
    const usable = config.links.filter((l) => l.provider === entry.app);
    const dependsOn = usable.flatMap((l) => (links[l.name] ? [links[l.name] as SourceProviderLink] : []));
    const name = orgAccessResourceName(entry);
    orgAccess[name] = new OrgThirdPartyAccess(
      name,
      { ...world, org: entry.org, app: entry.app, access: entry.access, links: usable },
      { ...options.resourceOptions, dependsOn: [...toArray(options.resourceOptions?.dependsOn), ...dependsOn] },
    );
  }
  return { links, orgAccess };
}

function toArray(value: pulumi.CustomResourceOptions["dependsOn"]): pulumi.Input<pulumi.Resource>[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value as pulumi.Input<pulumi.Resource>];
}

/** Loads and merges sourcelinks YAML files (errors name file, line and column) and declares their resources. */
export async function declareFromConfig(files: string[], options: DeclareOptions = {}): Promise<DeclaredResources> {
  const loaded = await loadConfigFiles(files);
  return declareFromLoadedConfig(loaded.config, options);
}
