/**
 * The layer rules of docs/architecture.md "Layers", checked on source text: every import a file makes (static
 * `import`/`export … from`, `import x = require(…)`, `require(…)`, dynamic `import(…)`, `typeof
 * import(…)` types and `new URL(…, import.meta.url)` module URLs) is found with the TypeScript parser,
 * its relative specifier resolved, and the pair of folders judged:
 * - in the engine, `model → config → clients → reconcile` bottom first: a folder imports only itself
 *   and the folders before it, and nothing above the engine (faces, tools, tests);
 * - the faces (`provider/`, `policies/`, `cli/`, `sandbox/`, `pulumi-program.ts`) import the engine and each other;
 * - no product file imports `tools/` or `test/`.
 * `tools/` may import anything of the product and is not checked. Package specifiers are not judged.
 */
import { posix } from "node:path";
import ts from "typescript";

/** The engine's folders, bottom first: each may import only itself and the ones before it. */
export const ENGINE_LAYERS = ["engine/model", "engine/builds", "engine/config", "engine/clients", "engine/reconcile"] as const;

/** The folders and files users see, above the engine. */
export const FACES = ["provider", "policies", "cli", "sandbox", "pulumi-program.ts"] as const;

/** Folders no product file may import. */
const OFF_LIMITS = ["tools", "test"] as const;

/** One import that breaks a rule. */
export interface LayerViolation {
  /** Repository-relative path of the importing file, `/`-separated. */
  file: string;
  line: number;
  specifier: string;
  /** Repository-relative path of the imported module (`.js` read as `.ts`). */
  target: string;
  rule: string;
}

/** `file:line: imports target ("specifier"): rule`, for test failures a reader can act on. */
export function formatViolation(v: LayerViolation): string {
  return `${v.file}:${v.line}: imports ${v.target} ("${v.specifier}"): ${v.rule}`;
}

/** Whether a repository-relative path is product code the rules cover (tools and tests are not). */
export function isProductFile(path: string): boolean {
  return path.endsWith(".ts") && (areaOf(path) !== null || FACES.some((face) => path === face || path.startsWith(`${face}/`)));
}

/** Every rule broken by the imports of `files` (repository-relative path → source text); files that are not product code are skipped. */
export function checkLayers(files: ReadonlyMap<string, string>): LayerViolation[] {
  const violations: LayerViolation[] = [];
  for (const [file, text] of files) {
    if (!isProductFile(file)) continue;
    for (const found of importsOf(file, text)) {
      if (!found.specifier.startsWith("./") && !found.specifier.startsWith("../")) continue;
      const target = posix.normalize(posix.join(posix.dirname(file), found.specifier)).replace(/\.js$/, ".ts");
      const rule = brokenRule(file, target);
      if (rule !== null) violations.push({ file, line: found.line, specifier: found.specifier, target, rule });
    }
  }
  return violations;
}

/** The rule that an import of `target` from `file` breaks, or null. */
function brokenRule(file: string, target: string): string | null {
  const offLimits = OFF_LIMITS.find((folder) => target === folder || target.startsWith(`${folder}/`));
  if (offLimits !== undefined) return `product code never imports ${offLimits}/ (only ${offLimits}/ may import the product)`;
  const from = areaOf(file);
  if (from === null) return null; // a face: it may import the engine and the other faces
  const to = areaOf(target);
  if (to === null) {
    if (FACES.some((face) => target === face || target.startsWith(`${face}/`)))
      return `the engine never imports the faces (${from} imports a face)`;
    return null; // data outside the code layers, e.g. schema/*.json
  }
  if (ENGINE_LAYERS.indexOf(to) > ENGINE_LAYERS.indexOf(from)) {
    return `${from} imports only downward (${ENGINE_LAYERS.join(" → ")}), not ${to}`;
  }
  return null;
}

/** The engine layer a path belongs to, or null outside the engine. */
function areaOf(path: string): (typeof ENGINE_LAYERS)[number] | null {
  return ENGINE_LAYERS.find((layer) => path.startsWith(`${layer}/`)) ?? null;
}

/** Every module specifier `text` refers to, with its 1-based line. */
export function importsOf(file: string, text: string): { specifier: string; line: number }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: { specifier: string; line: number }[] = [];
  const add = (node: ts.Node | undefined): void => {
    if (node !== undefined && ts.isStringLiteralLike(node)) {
      found.push({ specifier: node.text, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1 });
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node.moduleReference.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || isIdentifier(node.expression, "require"))
    )
      add(node.arguments[0]);
    else if (
      ts.isNewExpression(node) &&
      isIdentifier(node.expression, "URL") &&
      node.arguments?.length === 2 &&
      isImportMetaUrl(node.arguments[1])
    )
      add(node.arguments[0]);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function isIdentifier(node: ts.Node, name: string): boolean {
  return ts.isIdentifier(node) && node.text === name;
}

/** `import.meta.url`. */
function isImportMetaUrl(node: ts.Node | undefined): boolean {
  return (
    node !== undefined &&
    ts.isPropertyAccessExpression(node) &&
    node.name.text === "url" &&
    ts.isMetaProperty(node.expression) &&
    node.expression.keywordToken === ts.SyntaxKind.ImportKeyword
  );
}
