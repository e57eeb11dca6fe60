/**
 * How the serialized providers load their implementation: by package name, resolved at call time
 * from the Pulumi project's directory (the engine starts the dynamic-provider host there). The state
 * then holds no file path, so refresh and destroy keep working after the project moves (a laptop
 * versus a CI runner, a pnpm store path) and run the version of sourcelinks the project has installed.
 * Everything is imported inside the function: the providers capture it by value.
 */

/** Imports `specifier` (e.g. `sourcelinks/provider/link-methods`) as the Pulumi project resolves it. */
export async function importFromProject(specifier: string): Promise<unknown> {
  const { createRequire } = await import("node:module");
  const { join } = await import("node:path");
  const { pathToFileURL } = await import("node:url");
  const from = join(process.cwd(), "package.json");
  let resolved: string;
  try {
    resolved = createRequire(from).resolve(specifier);
  } catch (error) {
    throw new Error(
      `sourcelinks: cannot resolve ${specifier} from the Pulumi project directory ${process.cwd()}; install sourcelinks in the project (its README, Install) and run pulumi from there`,
      { cause: error },
    );
  }
  return import(pathToFileURL(resolved).href);
}
