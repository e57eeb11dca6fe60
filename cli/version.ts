/** The package's name and version, read from the package.json above this module (source or dist). */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** What `--version` and SARIF's `tool.driver` report. */
export interface PackageInfo {
  name: string;
  version: string;
}

let cached: PackageInfo | undefined;

/** Walks up from this file to the first package.json (cli/ in source, dist/cli/ when built). */
export function packageInfo(): PackageInfo {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "sourcelinks" && typeof pkg.version === "string") return (cached = { name: pkg.name, version: pkg.version });
    } catch (error) {
      // ENOENT just means "not here": keep walking up; anything else (a corrupt package.json) is a real error.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    const parent = dirname(dir);
    if (parent === dir) return (cached = { name: "sourcelinks", version: "0.0.0" });
    dir = parent;
  }
}
