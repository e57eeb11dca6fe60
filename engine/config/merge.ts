/**
 * Merges validated files into one configuration. Links and org access entries concatenate;
 * `buildService` and each `providers` entry may appear in several files only with identical
 * (effective) values, and a conflict names both places.
 */
import type {
  BuildServiceSpec,
  LinkSpec,
  OrgAccessSpec,
  ProviderKind,
  ProvidersSpec,
  SourcelinksConfig,
  SweepSpec,
} from "../model/spec.js";
import type { BuildSpec } from "../model/build-spec.js";
import type { Diagnostic } from "./diagnostics.js";
import { toBuildServiceSpec } from "./defaults.js";
import { dotted, quoteValue } from "./labels.js";
import { Origins, type FileEntry, type SectionOwners } from "./origins.js";
import { isRecord, joinPointer } from "./pointer.js";

/** The merged config; `buildService` is undefined when no file defines one (a semantic error). */
export type MergedConfig = Omit<SourcelinksConfig, "buildService" | "sweeps" | "builds"> & {
  buildService: BuildServiceSpec | undefined;
  sweeps: SweepSpec[];
  builds: BuildSpec[];
};

/** The result of merging: the config, where its parts came from, and conflicts between files. */
export interface MergeResult {
  config: MergedConfig;
  origins: Origins;
  diagnostics: Diagnostic[];
}

/** Merges files in the order given. */
export function mergeFiles(entries: readonly FileEntry[]): MergeResult {
  const owners: SectionOwners = {
    buildService: undefined,
    providers: {},
    linkStarts: [],
    orgAccessStarts: [],
    sweepStarts: [],
    buildStarts: [],
  };
  const links: LinkSpec[] = [];
  const orgAccess: OrgAccessSpec[] = [];
  const sweeps: SweepSpec[] = [];
  const builds: BuildSpec[] = [];
  const providers: ProvidersSpec = {};
  let buildService: BuildServiceSpec | undefined;
  const conflicts: Conflict[] = [];

  entries.forEach((entry, file) => {
    const { data } = entry;
    owners.linkStarts.push(links.length);
    owners.orgAccessStarts.push(orgAccess.length);
    owners.sweepStarts.push(sweeps.length);
    owners.buildStarts.push(builds.length);
    // push(...spread) overflows the stack on very large arrays; a loop does not.
    for (const link of data.links ?? []) links.push(link);
    for (const access of data.orgAccess ?? []) orgAccess.push(access);
    for (const build of data.builds ?? []) builds.push(build);
    for (const sweep of data.sweeps ?? []) sweeps.push({ ...sweep, name: sweep.name ?? defaultSweepName(sweep.provider, sweep.owner) });

    if (data.buildService !== undefined) {
      const spec = toBuildServiceSpec(data.buildService);
      if (buildService === undefined || owners.buildService === undefined) {
        buildService = spec;
        owners.buildService = file;
      } else {
        const path = firstDifference(buildService, spec, []);
        if (path !== undefined) {
          // The typed form calls Bitbucket's consumer key `clientId`; the file calls it `key`.
          const written = path.join("/") === "oauthApps/bitbucket/clientId" ? ["oauthApps", "bitbucket", "key"] : path;
          const pointer = joinPointer(["buildService", ...written]);
          conflicts.push({
            file,
            other: owners.buildService,
            pointer,
            section: "buildService",
            path: written,
            here: valueAt(spec, path),
            there: valueAt(buildService, path),
          });
        }
      }
    }

    for (const kind of ["github", "bitbucket", "dockerHub"] as const satisfies readonly (keyof ProvidersSpec)[]) {
      const spec = data.providers?.[kind];
      if (spec === undefined) continue;
      const owner = owners.providers[kind];
      const existing = providers[kind];
      if (owner === undefined || existing === undefined) {
        setProvider(providers, kind, spec);
        owners.providers[kind] = file;
        continue;
      }
      const path = firstDifference(existing, spec, []);
      if (path === undefined) continue;
      const pointer = joinPointer(["providers", kind, ...path]);
      conflicts.push({
        file,
        other: owner,
        pointer,
        section: `providers.${kind}`,
        path,
        here: valueAt(spec, path),
        there: valueAt(existing, path),
      });
    }
  });

  const diagnostics = conflicts.map((c) => conflictDiagnostic(c, entries));
  const config: MergedConfig = { apiVersion: "sourcelinks/v1", buildService, providers, links, orgAccess, sweeps, builds };
  return { config, origins: new Origins(entries, owners), diagnostics };
}

/** The resource name of a sweep declared without one. */
export function defaultSweepName(provider: ProviderKind, owner: string): string {
  return `sweep-${provider}-${owner}`;
}

/** A section repeated in two files with different values. */
interface Conflict {
  /** The later file, where the diagnostic goes, and the file that defined the section first. */
  file: number;
  other: number;
  /** Pointer (the same in both files) of the first differing value. */
  pointer: string;
  section: string;
  /** Path of the difference inside the section, and the value in each file. */
  path: string[];
  here: unknown;
  there: unknown;
}

function conflictDiagnostic(c: Conflict, entries: readonly FileEntry[]): Diagnostic {
  const at = entries[c.file]?.sourceMap.locate(c.pointer) ?? { file: "", line: 1, column: 1 };
  const thereAt = entries[c.other]?.sourceMap.locate(c.pointer);
  const where = thereAt === undefined ? "another file" : `${thereAt.file}:${thereAt.line}:${thereAt.column}`;
  const label = dotted([...c.section.split("."), ...c.path]);
  const here = c.here === undefined ? "is not set here" : `is ${quoteValue(c.here)} here`;
  const there = c.there === undefined ? `not set at ${where}` : `${quoteValue(c.there)} at ${where}`;
  return {
    ...at,
    message: `${label} ${here} but ${there}: ${c.section} may be repeated across files only with identical values; keep one definition or make them equal`,
  };
}

function setProvider<K extends keyof ProvidersSpec>(providers: ProvidersSpec, kind: K, spec: NonNullable<ProvidersSpec[K]>): void {
  providers[kind] = spec;
}

/** The path of the first difference between two JSON-like values, or undefined when equal. */
function firstDifference(a: unknown, b: unknown, path: string[]): string[] | undefined {
  if (Object.is(a, b)) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const found = firstDifference(a[i], b[i], [...path, String(i)]);
      if (found !== undefined) return i < b.length ? found : path;
    }
    return undefined;
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const found = firstDifference(a[key], b[key], [...path, key]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return path;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>(
    (node, key) => (isRecord(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined),
    root,
  );
}
