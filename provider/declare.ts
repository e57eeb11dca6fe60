/**
 * Declares one resource per link, org access entry, sweep and build of sourcelinks YAML files, for the root
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
import type { BuildSpec } from "../engine/model/build-spec.js";
import { gatingBuilds } from "../engine/builds/continuity.js";
import { OrgThirdPartyAccess, OrphanSweep, ReplacementBuild, SourceProviderLink } from "./resources.js";
import { sweepLinksOf } from "./sweep-properties.js";

/** Options of `declareFromConfig`. */
export interface DeclareOptions {
  /** Applied to every declared resource (e.g. a parent component, `protect`, `retainOnDelete`). */
  resourceOptions?: pulumi.CustomResourceOptions;
}

/** The declared resources, keyed by link name, by `<org>-<app>`, by sweep name and by `buildResourceName`. */
export interface DeclaredResources {
  links: Record<string, SourceProviderLink>;
  orgAccess: Record<string, OrgThirdPartyAccess>;
  sweeps: Record<string, OrphanSweep>;
  builds: Record<string, ReplacementBuild>;
}

/**
 * The resource name of a build: its image, and its repository after `@` when another build of the
 * same image exists (an image may be built from several repositories), e.g. `acme/api` or `acme/api@acme/api-v2`.
 */
export function buildResourceName(build: Pick<BuildSpec, "image" | "repository">, all: readonly Pick<BuildSpec, "image">[]): string {
  return all.filter((b) => b.image === build.image).length > 1 ? `${build.image}@${build.repository}` : build.image;
}

/** The builds rendered into the same CI file as `build`: itself on GitHub, every build of its repository on Bitbucket. */
export function fileBuildsOf(build: BuildSpec, all: readonly BuildSpec[]): BuildSpec[] {
  if (build.provider === "github") return [build];
  return all.filter((b) => b.provider === "bitbucket" && b.repository.toLowerCase() === build.repository.toLowerCase());
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
  // Builds first: a link waits for the builds its revocation waits for (gatingBuilds), so a revoke
  // runs after their create or update has proposed and verified them.
  const allBuilds = config.builds ?? [];
  const builds: Record<string, ReplacementBuild> = {};
  const buildResources: ReplacementBuild[] = [];
  for (const build of allBuilds) {
    const name = buildResourceName(build, allBuilds);
    const resource = new ReplacementBuild(
      name,
      { ...world, ...build, fileBuilds: fileBuildsOf(build, allBuilds) },
      options.resourceOptions,
    );
    builds[name] = resource;
    buildResources.push(resource);
  }
  const links: Record<string, SourceProviderLink> = {};
  for (const link of config.links) {
    const waitsFor = gatingBuilds(link, allBuilds).map(({ index }) => buildResources[index] as ReplacementBuild);
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
    links[link.name] = new SourceProviderLink(link.name, args, {
      ...options.resourceOptions,
      ...(aliases.length > 0 ? { aliases } : {}),
      ...(waitsFor.length > 0 ? { dependsOn: [...toArray(options.resourceOptions?.dependsOn), ...waitsFor] } : {}),
    });
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
      {
        ...world,
        provider: entry.provider,
        owner: entry.owner,
        exclude: entry.exclude,
        ...(entry.verifyEvery === undefined ? {} : { verifyEvery: entry.verifyEvery }),
        ...(entry.verifySlices === undefined ? {} : { verifySlices: entry.verifySlices }),
        links: allLinks,
      },
      { ...options.resourceOptions, dependsOn: [...toArray(options.resourceOptions?.dependsOn), ...Object.values(links)] },
    );
  }
  return { links, orgAccess, sweeps, builds };
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
