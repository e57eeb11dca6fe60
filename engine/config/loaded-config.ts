/** A loaded configuration and where each of its values was written, for `FILE:LINE:COL` messages. */
import type { BuildSpec } from "../model/build-spec.js";
import type { SourcelinksConfig } from "../model/spec.js";

/** Where a value came from in the YAML, for `FILE:LINE:COL` messages. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** A loaded configuration plus where each link and org entry was declared. */
export interface LoadedConfig {
  config: SourcelinksConfig;
  files: string[];
  /** Location of a JSON pointer into the merged config, e.g. `/links/3/repositories/0`. */
  locate(pointer: string): SourceLocation | undefined;
}

/** The declared builds of a configuration (the `builds` commands need no buildService), with their locations. */
export interface LoadedBuilds {
  builds: BuildSpec[];
  files: string[];
  /** Location of a JSON pointer into the merged config, e.g. `/builds/0/rules/1/tag`. */
  locate(pointer: string): SourceLocation | undefined;
}
