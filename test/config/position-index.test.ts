import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CORE_SCHEMA, load } from "js-yaml";
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document } from "yaml";
import { describe, expect, test } from "vitest";
import { joinPointer } from "../../engine/config/pointer.js";
import { SourceMap } from "../../engine/config/source-map.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Where the `yaml` package's document says the node at `segments` starts: the reference the index must agree with. */
function yamlPosition(doc: Document.Parsed, lines: LineCounter, segments: readonly string[], anchor: "key" | "value"): string {
  let node: unknown = doc.contents;
  let offset = (node as { range?: number[] } | null)?.range?.[0] ?? 0;
  for (const segment of segments) {
    if (isAlias(node)) node = node.resolve(doc);
    let keyStart: number | undefined;
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (pair === undefined) break;
      keyStart = (pair.key as { range?: number[] }).range?.[0];
      next = pair.value;
    } else if (isSeq(node) && /^\d+$/.test(segment)) {
      next = node.items[Number(segment)];
      if (next === undefined) break;
    } else break;
    const valueStart = (next as { range?: number[] } | null)?.range?.[0];
    offset = (anchor === "key" ? (keyStart ?? valueStart) : (valueStart ?? keyStart)) ?? offset;
    node = next;
  }
  const { line, col } = lines.linePos(offset);
  return `${Math.max(line, 1)}:${Math.max(col, 1)}`;
}

/** Every pointer into `data` (each shared node once), plus a few that do not exist. */
function pointers(data: unknown): string[][] {
  const out: string[][] = [[], ["missing"], ["links", "99999"], ["links", "0", "missing"]];
  const seen = new Set<object>();
  const walk = (value: unknown, path: string[]): void => {
    if (value === null || typeof value !== "object" || seen.has(value)) return;
    seen.add(value);
    for (const key of Object.keys(value)) {
      out.push([...path, key]);
      walk((value as Record<string, unknown>)[key], [...path, key]);
    }
  };
  walk(data, []);
  return out;
}

const ODD = `# leading comment
apiVersion: sourcelinks/v1   # trailing
buildService:
  kind: &k docker-hub
  tokenEnv: !!str TOKEN
  oauthApps:
    github: {clientId: "Iv1.x", name: 'Docker Hub'}
  webhookUrlPatterns:
    - https://a.example/*
    -   "https://b.example/x"
    # comment between
    - >-
      folded
providers:
  github:
  bitbucket: {}
links:
  - &l1
    name: a
    repositories: [acme/a,
       acme/b]
  -
    name: b
    team: ~
  - name: c
    x: *k
"quoted key": 1
? explicit
: value
nested:
- - a
  - b
- []
empty:
last: |
  block
`;

const corpus: [string, string][] = [
  ["odd.yaml", ODD],
  ["crlf.yaml", "a: 1\r\nb:\r\n  - x\r\n  - {y: 2}\r\n"],
  ...readdirSync(join(ROOT, "test/fixtures/bad"))
    .filter((f) => f.endsWith(".yaml"))
    .map((f): [string, string] => [f, readFileSync(join(ROOT, "test/fixtures/bad", f), "utf8")]),
  ["examples/basic/sourcelinks.yaml", readFileSync(join(ROOT, "examples/basic/sourcelinks.yaml"), "utf8")],
  ["sandbox/worlds/demo.yaml", readFileSync(join(ROOT, "sandbox/worlds/demo.yaml"), "utf8")],
];

describe("SourceMap.locate (js-yaml's position index) agrees with the yaml package's ranges", () => {
  test.each(corpus)("on every key and value of %s", (file, text) => {
    let data: unknown;
    try {
      data = load(text, { schema: CORE_SCHEMA });
    } catch {
      return; // js-yaml refuses it: positions come from the yaml package itself
    }
    const lines = new LineCounter();
    const doc = parseDocument(text, {
      lineCounter: lines,
      schema: "core",
      merge: false,
      resolveKnownTags: false,
      logLevel: "error",
      uniqueKeys: false,
    });
    const map = new SourceMap(file, text);
    const mismatches: string[] = [];
    for (const segments of pointers(data)) {
      for (const anchor of ["key", "value"] as const) {
        const ours = map.locate(joinPointer(segments), anchor);
        const theirs = yamlPosition(doc, lines, segments, anchor);
        if (`${ours.line}:${ours.column}` !== theirs)
          mismatches.push(`${joinPointer(segments)} (${anchor}): ${ours.line}:${ours.column}, yaml ${theirs}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
