import { describe, expect, test } from "vitest";
import { ALIAS_ALLOWANCE, MAX_DEPTH, expansionBudget } from "../../engine/config/input-limits.js";
import { checkStructure } from "../../engine/config/structure.js";

/** Nested lists `depth` deep: `[[[...]]]`. */
function nested(depth: number): unknown {
  let node: unknown = "leaf";
  for (let i = 0; i < depth; i++) node = [node];
  return node;
}

describe("checkStructure", () => {
  test("a plain tree passes, however wide", () => {
    const links = Array.from({ length: 20_000 }, (_, i) => ({ name: `l${i}`, repositories: ["a/b", "a/c"] }));
    expect(checkStructure({ apiVersion: "sourcelinks/v1", links })).toBeUndefined();
  });

  test("a shared value (an alias) counts once per reference, within the budget", () => {
    const shared = Array.from({ length: ALIAS_ALLOWANCE / 10 - 10 }, (_, i) => `acme/r${i}`);
    // 10 references to ~1,000 values add ~9,000: under the allowance of 10,000.
    expect(checkStructure({ links: Array.from({ length: 10 }, () => ({ repositories: shared })) })).toBeUndefined();
  });

  test("past the budget, the reference where the running total crosses it is named", () => {
    const shared = Array.from({ length: 1_000 }, (_, i) => `acme/r${i}`);
    const data = { links: Array.from({ length: 20 }, () => ({ repositories: shared })) };
    // Written: root, links, 20 mappings, the list and its 1,000 strings = 1,023; each further reference adds 1,001.
    expect(expansionBudget(1_023)).toBe(11_023);
    expect(checkStructure(data)).toEqual({
      pointer: "/links/10/repositories",
      message:
        "YAML aliases (*name) would expand this file beyond 11,023 values from 1,023 written ones (an alias bomb?), so it is refused before anything reads it: write repeated values out instead of aliasing them",
    });
  });

  test("a cycle is named at the reference that closes it", () => {
    const list: unknown[] = ["acme/api"];
    list.push(list);
    expect(checkStructure({ links: [{ repositories: list }] })?.pointer).toBe("/links/0/repositories/1");
  });

  test(`nesting deeper than ${MAX_DEPTH} levels is named at the first node too deep`, () => {
    // Under `a` (depth 1), MAX_DEPTH lists reach depth MAX_DEPTH: the limit itself is fine.
    expect(checkStructure({ a: nested(MAX_DEPTH) })).toBeUndefined();
    const problem = checkStructure({ a: nested(MAX_DEPTH + 5) });
    expect(problem?.pointer).toBe("/a" + "/0".repeat(MAX_DEPTH));
    expect(problem?.message).toBe(
      `lists and mappings nest deeper than ${MAX_DEPTH} levels here; a sourcelinks file nests at most 5 (buildService.oauthApps.github.clientId)`,
    );
  });
});
