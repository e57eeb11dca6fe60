/**
 * Every error class of the product extends the one base of engine/model/errors.ts, so the faces
 * report it by its kind: a class extending `Error` itself would be reported as an internal error.
 * Checked on source text with the TypeScript parser, as the layer rules are.
 */
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { productFiles } from "./product-files.js";

/** JavaScript's own error classes, which only the base may extend. */
const BUILT_IN_ERRORS = new Set(["Error", "TypeError", "RangeError", "SyntaxError", "AggregateError"]);

/** `file:line: class Name extends Error` for every class of `text` that extends a built-in error. */
function builtInErrorSubclasses(file: string, text: string): string[] {
  // Parsing is the slow part: only files that may hold such a class are parsed.
  if (!/\bextends\s+[A-Za-z]*Error\b/.test(text)) return [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassLike(node)) {
      const base = node.heritageClauses
        ?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)
        ?.types[0]?.expression.getText(source);
      if (base !== undefined && BUILT_IN_ERRORS.has(base)) {
        const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
        found.push(`${file}:${line}: class ${node.name?.text ?? "(anonymous)"} extends ${base}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("error classes", () => {
  it("every product error class extends the one base, except the base itself", () => {
    const files = productFiles();
    expect(files.has("engine/model/errors.ts")).toBe(true);
    const found = [...files].flatMap(([file, text]) => builtInErrorSubclasses(file, text));
    expect(found).toEqual(["engine/model/errors.ts:15: class SourcelinksError extends Error"]);
  });

  it("finds a class extending a built-in error, exported or not", () => {
    const text = `export class A extends Error {}\nclass B extends TypeError {}\nclass C extends A {}\nconst D = class extends RangeError {};\n`;
    expect(builtInErrorSubclasses("x.ts", text)).toEqual([
      "x.ts:1: class A extends Error",
      "x.ts:2: class B extends TypeError",
      "x.ts:4: class (anonymous) extends RangeError",
    ]);
  });
});
