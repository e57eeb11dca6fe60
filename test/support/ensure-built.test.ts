/**
 * The test build helper on a small project of its own: a type error fails every caller loudly with
 * tsc's messages, also a caller that waited on another's build and a later one that finds the
 * (emitted, so fresh-looking) output of the failed build; a fixed tree builds again.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BuildError, ensureBuiltAt } from "./ensure-built.js";

const root = mkdtempSync(join(tmpdir(), "sourcelinks-ensure-built-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Without the standard library (tsc's startup is mostly parsing it); the few global types tsc
// requires are declared empty, so each build costs half a second of CPU instead of five.
const TSCONFIG = { compilerOptions: { noLib: true, types: [], strict: true, outDir: "dist" }, include: ["**/*.ts"], exclude: ["dist"] };
const GLOBALS = [
  "Array<T>",
  "Boolean",
  "CallableFunction",
  "Function",
  "IArguments",
  "NewableFunction",
  "Number",
  "Object",
  "RegExp",
  "String",
]
  .map((t) => `interface ${t} {}`)
  .join("\n");

describe("ensureBuiltAt", () => {
  it("fails every caller with tsc's errors while the tree does not compile, and builds once it does", async () => {
    writeFileSync(join(root, "tsconfig.json"), JSON.stringify(TSCONFIG));
    writeFileSync(join(root, "globals.d.ts"), `${GLOBALS}\n`);
    writeFileSync(join(root, "main.ts"), 'export const port: number = "8080";\n');

    const [first, second] = await Promise.allSettled([ensureBuiltAt(root, ["dist/main.js"]), ensureBuiltAt(root, ["dist/main.js"])]);
    for (const result of [first, second]) {
      expect(result.status).toBe("rejected");
      const reason = (result as PromiseRejectedResult).reason as Error;
      expect(reason).toBeInstanceOf(BuildError);
      expect(reason.message).toMatch(/main\.ts\(1,14\): error TS2322: Type 'string' is not assignable to type 'number'/);
    }
    // tsc emitted anyway: a later caller must not take that output for a good build.
    await expect(ensureBuiltAt(root, ["dist/main.js"])).rejects.toThrow(/TS2322/);

    writeFileSync(join(root, "main.ts"), "export const port: number = 8080;\n");
    await expect(ensureBuiltAt(root, ["dist/main.js"])).resolves.toBeUndefined();
  }, 120_000);
});
