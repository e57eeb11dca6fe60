/**
 * Loading a configuration: parse each file, validate it against the JSON schema, merge, check
 * semantics, and either return the typed config or throw one `ConfigError` with every problem.
 */
import { dirname, isAbsolute, join } from "node:path";
import type { LoadedBuilds, LoadedConfig } from "./loaded-config.js";
import type { ProvidersSpec, SourcelinksConfig } from "../model/spec.js";
import { ConfigError, sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { MAX_REPORTED_PROBLEMS } from "./input-limits.js";
import { describeType, quoteValue } from "./labels.js";
import { mergeFiles, type MergeResult } from "./merge.js";
import type { FileEntry, Origins } from "./origins.js";
import { parseText } from "./parse-file.js";
import { isRecord } from "./pointer.js";
import { readConfigFile } from "./read-file.js";
import { findingsFromAjv } from "./schema-messages.js";
import { validateConfigFile } from "./schema-validator.js";
import { salvage } from "./salvage.js";
import { checkSemantics } from "./semantics.js";
import { InternalError } from "../model/errors.js";

/** The apiVersion this code reads. */
export const API_VERSION = "sourcelinks/v1";

/** One configuration file's name (as shown in messages) and text. */
export interface ConfigText {
  file: string;
  text: string;
}

/**
 * Loads configuration texts (no I/O): the merged, typed config, or a `ConfigError` listing every
 * problem as `FILE:LINE:COL: message`. `locate` maps pointers into the merged config to positions.
 */
export function loadConfigTexts(files: readonly ConfigText[]): LoadedConfig {
  const { merged, names } = loadMerged(files, true);
  // checkSemantics reports a missing buildService, so here it is defined.
  const { buildService } = merged.config;
  if (buildService === undefined) throw new InternalError("unreachable: a config without buildService passed the semantic checks");
  // A config without builds stays the value it was before builds existed (saved plans hold its digest).
  const { builds, ...rest } = merged.config;
  const config: SourcelinksConfig = {
    ...rest,
    ...(builds.length > 0 ? { builds } : {}),
    buildService,
    providers: withKeyFileResolved(merged.config.providers, merged.origins),
  };
  return { config, files: names, locate: (pointer) => merged.origins.locate(pointer) };
}

/**
 * Loads configuration texts for the `builds` commands: the same checks, but a file declaring only
 * builds needs no buildService (rendering CI talks to no build service).
 */
export function loadBuildTexts(files: readonly ConfigText[]): LoadedBuilds {
  const { merged, names } = loadMerged(files, false);
  return { builds: merged.config.builds, files: names, locate: (pointer) => merged.origins.locate(pointer) };
}

/** Reads and loads configuration files for the `builds` commands (see loadBuildTexts). */
export async function loadBuildFiles(paths: readonly string[]): Promise<LoadedBuilds> {
  return loadBuildTexts(await readTexts(paths));
}

/** Parses, validates, merges and checks; throws one `ConfigError` with every problem. */
function loadMerged(files: readonly ConfigText[], requireBuildService: boolean): { merged: MergeResult; names: string[] } {
  if (files.length === 0) throw new ConfigError([], "no configuration file given: pass at least one sourcelinks YAML file");
  const diagnostics: Diagnostic[] = [];
  const entries: FileEntry[] = [];
  let complete = true;
  let omitted = 0;

  for (const { file, text } of files) {
    const parsed = parseText(file, text);
    if (!parsed.ok) {
      diagnostics.push(...parsed.diagnostics);
      complete = false;
      continue;
    }
    const { data, sourceMap } = parsed;
    const rootProblem = checkRoot(data);
    if (rootProblem !== undefined) {
      diagnostics.push({ ...sourceMap.locate(rootProblem.pointer), message: rootProblem.message });
      complete = false;
      continue;
    }
    const result = validateConfigFile(data);
    if (result.valid) {
      entries.push({ file, data: result.data, original: data, kept: {}, sourceMap });
      continue;
    }
    // Only what can still be listed is described and located; the rest is counted.
    const { findings, omitted: unlisted } = findingsFromAjv(result.errors, data, Math.max(MAX_REPORTED_PROBLEMS - diagnostics.length, 0));
    omitted += unlisted;
    for (const finding of findings) {
      diagnostics.push({ ...sourceMap.locate(finding.pointer, finding.anchor), message: finding.message });
    }
    const valid = salvage(data, result.errors);
    entries.push({ file, data: valid.data, original: data, kept: valid.kept, sourceMap });
    complete &&= valid.complete;
  }

  const merged = mergeFiles(entries);
  diagnostics.push(...merged.diagnostics, ...checkSemantics(merged.config, merged.origins, complete, requireBuildService));
  const names = files.map((f) => f.file);
  if (diagnostics.length > 0) {
    const sorted = sortDiagnostics(diagnostics, names);
    const listed = sorted.slice(0, MAX_REPORTED_PROBLEMS);
    throw new ConfigError(listed, undefined, omitted + sorted.length - listed.length);
  }
  return { merged, names };
}

/**
 * Reads and loads configuration files; unreadable files (missing, a directory, over the size
 * limit, not UTF-8) are reported like any other problem.
 */
export async function loadConfigFiles(paths: readonly string[]): Promise<LoadedConfig> {
  return loadConfigTexts(await readTexts(paths));
}

async function readTexts(paths: readonly string[]): Promise<ConfigText[]> {
  const results = await Promise.all(paths.map(readConfigFile));
  const unreadable = results.filter((r): r is Diagnostic => "message" in r);
  if (unreadable.length > 0) throw new ConfigError(unreadable);
  return results.filter((r): r is ConfigText => "text" in r);
}

/**
 * `providers.github.auth.privateKeyFile` is written relative to the YAML file that names it (so a
 * config and its key can move together); the loaded config holds the path from where the command runs.
 */
function withKeyFileResolved(providers: ProvidersSpec, origins: Origins): ProvidersSpec {
  const github = providers.github;
  const file = github?.auth?.privateKeyFile;
  if (github?.auth === undefined || file === undefined || isAbsolute(file)) return providers;
  const declaredIn = origins.locate("/providers/github/auth/privateKeyFile")?.file;
  if (declaredIn === undefined) return providers;
  return { ...providers, github: { ...github, auth: { ...github.auth, privateKeyFile: join(dirname(declaredIn), file) } } };
}

/** Problems that make the rest of a file meaningless: no content, not a mapping, another apiVersion. */
function checkRoot(data: unknown): { pointer: string; message: string } | undefined {
  const start = `a sourcelinks file is a mapping that starts with apiVersion: ${API_VERSION}`;
  if (data === undefined || data === null) return { pointer: "", message: `the file is empty: ${start}` };
  if (!isRecord(data)) return { pointer: "", message: `the file holds ${describeType(data)}, not a mapping: ${start}` };
  const version = data["apiVersion"];
  if (version !== undefined && version !== API_VERSION) {
    return {
      pointer: "/apiVersion",
      message: `apiVersion ${quoteValue(version)} is not supported: this version of sourcelinks reads apiVersion: ${API_VERSION}`,
    };
  }
  return undefined;
}
