/** Docker's rule semantics as pure functions: paths from the repository root, groups, tags, and what Docker refuses. */
import { describe, expect, it } from "vitest";
import { matchAutobuildRules, parseSource, ruleProblems, rulePaths, ruleTable } from "../../engine/builds/index.js";
import type { BuildRuleSpec, BuildSpec } from "../../engine/model/build-spec.js";

const rule = (fields: Partial<BuildRuleSpec>): BuildRuleSpec => ({
  sourceType: "branch",
  source: "main",
  tag: "latest",
  dockerfile: "Dockerfile",
  context: "/",
  autobuild: true,
  cache: false,
  ...fields,
});

const build = (rules: BuildRuleSpec[]): BuildSpec => ({
  image: "acme/api",
  provider: "github",
  repository: "acme/api",
  autotest: "off",
  rules,
  env: {},
  secrets: {},
  registry: { login: "token" },
  secretScope: "repository",
});

describe("rulePaths", () => {
  const cases: [string, string, { dockerfile: string; context: string }][] = [
    ["Dockerfile", "/", { dockerfile: "Dockerfile", context: "." }],
    ["Dockerfile", ".", { dockerfile: "Dockerfile", context: "." }],
    ["build/Dockerfile", "/srv//app/", { dockerfile: "srv/app/build/Dockerfile", context: "srv/app" }],
    ["./Dockerfile", "./app", { dockerfile: "app/Dockerfile", context: "app" }],
    ["Dockerfile", "", { dockerfile: "Dockerfile", context: "." }],
    ["/services/web/Dockerfile.web", "", { dockerfile: "services/web/Dockerfile.web", context: "services/web" }],
  ];
  for (const [dockerfile, context, expected] of cases) {
    it(`dockerfile ${JSON.stringify(dockerfile)} in context ${JSON.stringify(context)}`, () => {
      expect(rulePaths({ dockerfile, context })).toEqual(expected);
    });
  }
});

describe("sources and tags", () => {
  it("counts a regex's groups, named and nested ones included", () => {
    expect(parseSource("/^(a)(?<b>b)((c)d)(?:e)$/")).toEqual({ kind: "regex", pattern: "^(a)(?<b>b)((c)d)(?:e)$", groups: 4 });
    expect(parseSource("release/1.0")).toEqual({ kind: "literal", name: "release/1.0" });
  });

  it("refuses ten groups, and accepts nine", () => {
    const ten = `/^${"(x)".repeat(10)}$/`;
    expect(ruleProblems(rule({ source: ten, tag: "t" })).map((p) => p.field)).toEqual(["source"]);
    expect(ruleProblems(rule({ source: `/^${"(x)".repeat(9)}$/`, tag: "{\\9}" }))).toEqual([]);
  });

  it("refuses a placeholder Docker does not know, a tag starting with '.', and an empty tag list", () => {
    expect(ruleProblems(rule({ tag: "{branch}" }))[0]?.message).toContain("a placeholder Docker does not know");
    expect(ruleProblems(rule({ tag: ".hidden" }))[0]?.message).toContain("starts with '.' or '-'");
    expect(ruleProblems(rule({ tag: " , " }))[0]?.message).toContain("names no tag");
  });

  it("fills a group that took no part with nothing, and lists a repeated tag once", () => {
    const table = ruleTable(build([rule({ source: "/^v([0-9]+)(-rc)?$/", sourceType: "tag", tag: "{\\1}{\\2},{\\1}{\\2},latest" })]));
    expect(matchAutobuildRules(table, { ref: "refs/tags/v7" })).toEqual([
      { rule: 1, tags: ["7", "latest"], push: true, dockerfile: "Dockerfile", context: "." },
    ]);
    expect(matchAutobuildRules(table, { ref: "refs/tags/v7-rc" })[0]?.tags).toEqual(["7-rc", "latest"]);
  });

  it("reads only branches and tags: other refs build nothing", () => {
    const table = ruleTable(build([rule({ source: "/./" })]));
    expect(matchAutobuildRules(table, { ref: "refs/notes/commits" })).toEqual([]);
    expect(matchAutobuildRules(table, { ref: "main" })).toEqual([]);
  });
});
