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
import * as pulumi from "./pulumi-sdk.js";
import { loadConfigFiles } from "../engine/config/index.js";
import type { LinkSpec, SourcelinksConfig } from "../engine/model/spec.js";
import { OrgThirdPartyAccess, OrphanSweep, SourceProviderLink } from "./resources.js";
import { sweepLinksOf } from "./sweep-properties.js";

/** Options of `declareFromConfig`. */
export interface DeclareOptions {
  /** Applied to every declared resource (e.g. a parent component, `protect`, `retainOnDelete`). */
  resourceOptions?: pulumi.CustomResourceOptions;
}

/** The declared resources, keyed by link name, by `<org>-<app>` and by sweep name. */
export interface DeclaredResources {
  links: Record<string, SourceProviderLink>;
  orgAccess: Record<string, OrgThirdPartyAccess>;
  sweeps: Record<string, OrphanSweep>;
}

/** The resource name of an org access entry: `<org>-<app>`, e.g. `acme-github`. */
export function orgAccessResourceName(entry: { org: string; app: string }): string {
  return `${entry.org}-${entry.app}`;
}

/**
 * The declared links an org access entry may act through: those of its app's provider with a
 * repository in the org, or all of that provider's links when none has one (any live link can set the
 * access). Carrying only these keeps an edit of another org's link from updating this resource.
 */
export function orgAccessLinks(config: SourcelinksConfig, entry: { org: string; app: string }): LinkSpec[] {
  const usable = config.links.filter((l) => l.provider === entry.app);
  const inOrg = usable.filter((l) => l.repositories.some((r) => r.split("/")[0]?.toLowerCase() === entry.org.toLowerCase()));
  return (inOrg.length > 0 ? inOrg : usable).map(withoutResourceOptions);
}

/** A link as an org access input: without `aliases` and `onDelete`, which concern only the link's own resource. */
function withoutResourceOptions(link: LinkSpec): LinkSpec {
  const { aliases: _aliases, onDelete: _onDelete, ...rest } = link;
  return rest;
}

/**
 * Declares the resources of an already merged configuration. A link's `aliases` become Pulumi
 * aliases (its earlier names), so renaming it moves the state instead of deleting and creating. Each
 * org access entry may act through the links `orgAccessLinks` picks, and depends on them: a relink
 * completes before the org's access is read or set through it.
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
      onDelete: link.onDelete ?? "release",
      ...(link.onRelink !== undefined ? { onRelink: link.onRelink } : {}),
      ...(link.team !== undefined ? { team: link.team } : {}),
    };
    // An earlier name under the current parent, and under each earlier parent the options alias.
    const parentAliases = (options.resourceOptions?.aliases ?? []).filter(
      (a): a is pulumi.Alias => typeof a === "object" && a !== null && !pulumi.Output.isInstance(a),
    );
    const aliases = [
      ...(options.resourceOptions?.aliases ?? []),
      ...(link.aliases ?? []).flatMap((name) => [{ name }, ...parentAliases.map((a) => ({ ...a, name }))]),
    ];
    links[link.name] = new SourceProviderLink(link.name, args, { ...options.resourceOptions, ...(aliases.length > 0 ? { aliases } : {}) });
  }
  const orgAccess: Record<string, OrgThirdPartyAccess> = {};
  for (const entry of config.orgAccess) {
    const usable = orgAccessLinks(config, entry);
    const dependsOn = usable.flatMap((l) => (links[l.name] ? [links[l.name] as SourceProviderLink] : []));
    const name = orgAccessResourceName(entry);
    orgAccess[name] = new OrgThirdPartyAccess(
      name,
      { ...world, org: entry.org, app: entry.app, access: entry.access, links: usable },
      { ...options.resourceOptions, dependsOn: [...toArray(options.resourceOptions?.dependsOn), ...dependsOn] },
    );
  }
  // A sweep classifies against every declared link and runs after them: a revocation cleans up its own first.
  // It takes only the part of each link its classification reads, so an unrelated edit is no change.
  const sweeps: Record<string, OrphanSweep> = {};
  const allLinks = sweepLinksOf(config.links);
  for (const entry of config.sweeps ?? []) {
    sweeps[entry.name] = new OrphanSweep(
      entry.name,
      { ...world, provider: entry.provider, owner: entry.owner, exclude: entry.exclude, links: allLinks },
      { ...options.resourceOptions, dependsOn: [...toArray(options.resourceOptions?.dependsOn), ...Object.values(links)] },
    );
  }
  return { links, orgAccess, sweeps };
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
