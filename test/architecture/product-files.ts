/** The product's source files, read for the tests that check rules on source text. */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { isProductFile } from "./layer-rules.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Every product .ts file of the repository (not node_modules), repository-relative with `/`. */
export function productFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules") continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const rel = relative(ROOT, path).split(sep).join("/");
        if (isProductFile(rel)) files.set(rel, readFileSync(path, "utf8"));
      }
    }
  };
  for (const folder of ["engine", "provider", "policies", "cli", "sandbox"]) walk(join(ROOT, folder));
  files.set("pulumi-program.ts", readFileSync(join(ROOT, "pulumi-program.ts"), "utf8"));
  return files;
}
