import { describe, expect, it } from "vitest";
import { checkLayers, formatViolation, importsOf } from "./layer-rules.js";
import { productFiles } from "./product-files.js";

describe("layers", () => {
  const files = productFiles();

  it("no product file imports upward or into tools/ and test/", () => {
    // The walk found the tree (a wrong root would pass vacuously).
    expect(files.has("engine/model/spec.ts")).toBe(true);
    expect(files.has("engine/reconcile/plan-link.ts")).toBe(true);
    expect(files.size).toBeGreaterThan(150);
    expect(checkLayers(files).map(formatViolation)).toEqual([]);
  });

  it("engine/model imports nothing of the project", () => {
    const model = [...files].filter(([file]) => file.startsWith("engine/model/"));
    const outside = model.flatMap(([file, text]) =>
      importsOf(file, text)
        .filter((i) => i.specifier.startsWith(".") && !/^\.\/[^/]+$/.test(i.specifier))
        .map((i) => `${file}:${i.line}: ${i.specifier}`),
    );
    expect(outside).toEqual([]);
  });

  it("names file:line and the rule for every kind of upward import", () => {
    const fake = new Map<string, string>([
      ["engine/model/plan.ts", `import type { LinkSpec } from "../config/types.js";\n`],
      ["engine/config/runtime.ts", `\nimport { Secret } from "../clients/secret.js";\nimport type { A } from "../model/spec.js";\n`],
      [
        "engine/clients/types.ts",
        `export type { PlanStep } from "../reconcile/model.js";\ntype M = typeof import("../reconcile/plan-link.js");\n`,
      ],
      [
        "engine/reconcile/run.ts",
        `async function f() {\n  await import("../../provider/link-methods.js");\n  require("../../cli/run.js");\n}\n`,
      ],
      ["cli/commands/serve.ts", `const u = new URL("../../tools/bench/main.js", import.meta.url);\n`],
      [
        "provider/x.ts",
        `import { fixture } from "../test/support/ensure-built.js";\nimport { planLink } from "../engine/reconcile/plan-link.js";\n`,
      ],
      [
        "engine/reconcile/ok.ts",
        `import { a } from "../clients/index.js";\nimport { b } from "../model/plan.js";\nimport c from "node:fs";\nimport d from "./sibling.js";\n`,
      ],
      ["engine/config/schema.ts", `import schema from "../../schema/sourcelinks.schema.json" with { type: "json" };\n`],
      ["cli/commands/sandbox.ts", `await import("../../sandbox/command.js");\n`],
      ["tools/demo/main.ts", `import { x } from "../../engine/reconcile/execute.js";\nimport { y } from "../../cli/run.js";\n`],
    ]);
    expect(checkLayers(fake).map(formatViolation)).toEqual([
      `engine/model/plan.ts:1: imports engine/config/types.ts ("../config/types.js"): engine/model imports only downward (engine/model → engine/builds → engine/config → engine/clients → engine/reconcile), not engine/config`,
      `engine/config/runtime.ts:2: imports engine/clients/secret.ts ("../clients/secret.js"): engine/config imports only downward (engine/model → engine/builds → engine/config → engine/clients → engine/reconcile), not engine/clients`,
      `engine/clients/types.ts:1: imports engine/reconcile/model.ts ("../reconcile/model.js"): engine/clients imports only downward (engine/model → engine/builds → engine/config → engine/clients → engine/reconcile), not engine/reconcile`,
      `engine/clients/types.ts:2: imports engine/reconcile/plan-link.ts ("../reconcile/plan-link.js"): engine/clients imports only downward (engine/model → engine/builds → engine/config → engine/clients → engine/reconcile), not engine/reconcile`,
      `engine/reconcile/run.ts:2: imports provider/link-methods.ts ("../../provider/link-methods.js"): the engine never imports the faces (engine/reconcile imports a face)`,
      `engine/reconcile/run.ts:3: imports cli/run.ts ("../../cli/run.js"): the engine never imports the faces (engine/reconcile imports a face)`,
      `cli/commands/serve.ts:1: imports tools/bench/main.ts ("../../tools/bench/main.js"): product code never imports tools/ (only tools/ may import the product)`,
      `provider/x.ts:1: imports test/support/ensure-built.ts ("../test/support/ensure-built.js"): product code never imports test/ (only test/ may import the product)`,
    ]);
  });
});
