/**
 * `sourcelinks:index:Links`: a component that groups the resources of sourcelinks YAML so a stack
 * shows them as one tree (`pulumi stack --show-urns`, the console's resource graph). The children
 * keep their names; each carries an alias to its root-level URN, so moving a stack that declared
 * them at the root (declareFromConfig, the root program before this component) into a `Links` moves
 * the state instead of replacing a link.
 */
import * as pulumi from "./pulumi-sdk.js";
import { loadConfigFiles } from "../engine/config/index.js";
import type { SourcelinksConfig } from "../engine/model/spec.js";
import { type DeclaredResources, declareFromLoadedConfig } from "./declare.js";
import type { OrgThirdPartyAccess, OrphanSweep, ReplacementBuild, SourceProviderLink } from "./resources.js";

/** The component's type token. */
export const LINKS_TYPE = "sourcelinks:index:Links";

/** Arguments of `Links`: an already loaded (and merged) configuration. */
export interface LinksArgs {
  config: SourcelinksConfig;
}

/** The resources of one sourcelinks configuration, as children of one component. */
export class Links extends pulumi.ComponentResource {
  /** The links, by name. */
  readonly links: Record<string, SourceProviderLink>;
  /** The org access entries, by `<org>-<app>`. */
  readonly orgAccess: Record<string, OrgThirdPartyAccess>;
  /** The sweeps, by name. */
  readonly sweeps: Record<string, OrphanSweep>;
  /** The replacement builds, by `buildResourceName`. */
  readonly builds: Record<string, ReplacementBuild>;

  /** Declares the configuration's resources under the component `name`. */
  constructor(name: string, args: LinksArgs, opts?: pulumi.ComponentResourceOptions) {
    super(LINKS_TYPE, name, {}, opts);
    // `parent: rootStackResource` is Pulumi's spelling of "had no parent": today's root-level URN.
    const declared: DeclaredResources = declareFromLoadedConfig(args.config, {
      resourceOptions: { parent: this, aliases: [{ parent: pulumi.rootStackResource() }] },
    });
    this.links = declared.links;
    this.orgAccess = declared.orgAccess;
    this.sweeps = declared.sweeps;
    this.builds = declared.builds;
    this.registerOutputs({});
  }

  /** Loads sourcelinks YAML files (errors name file, line and column) and declares them as one `Links`. */
  static async fromFiles(name: string, files: string[], opts?: pulumi.ComponentResourceOptions): Promise<Links> {
    const loaded = await loadConfigFiles(files);
    return new Links(name, { config: loaded.config }, opts);
  }
}
