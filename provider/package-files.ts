/**
 * Files of the sourcelinks package found from the running module, so the same code works from the
 * sources (provider/) and from the build (dist/provider/), and inside the dynamic-provider host.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The absolute path of `relative` in the nearest ancestor folder of this module that has it. */
export function packageFile(relative: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`sourcelinks: cannot find ${relative} above ${fileURLToPath(import.meta.url)}; reinstall the package`);
    dir = parent;
  }
}

/** The installed sourcelinks version (package.json), recorded as each resource's `providerVersion`. */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(packageFile("package.json"), "utf8")) as { name?: string; version?: string };
  return manifest.version ?? "0.0.0";
}
