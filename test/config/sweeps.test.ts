import { describe, expect, test } from "vitest";
import { loadConfigTexts } from "../../engine/config/index.js";
import { basicYaml, errorLines } from "./helpers.js";

/** The basic fixture plus a `sweeps:` section written as given. */
function withSweeps(section: string): string {
  return `${basicYaml.trimEnd()}\nsweeps:\n${section}`;
}

const lines = basicYaml.trimEnd().split("\n").length;

describe("sweeps: loading", () => {
  test("a sweep loads with its default name and an empty exclude list; a named one keeps its name and globs", () => {
    const loaded = loadConfigTexts([
      {
        file: "a.yaml",
        text: withSweeps(
          "  - { provider: github, owner: acme }\n  - { name: team-space, provider: bitbucket, owner: acme-team, exclude: [acme-team/sandbox-*] }\n",
        ),
      },
    ]);
    expect(loaded.config.sweeps).toEqual([
      { name: "sweep-github-acme", provider: "github", owner: "acme", exclude: [] },
      { name: "team-space", provider: "bitbucket", owner: "acme-team", exclude: ["acme-team/sandbox-*"] },
    ]);
    expect(loaded.locate("/sweeps/1/exclude/0")).toEqual({ file: "a.yaml", line: lines + 3, column: 74 });
  });

  test("sweeps of several files concatenate, each located in its own file", () => {
    const loaded = loadConfigTexts([
      { file: "a.yaml", text: withSweeps("  - { provider: github, owner: acme }\n") },
      { file: "b.yaml", text: "apiVersion: sourcelinks/v1\nsweeps:\n  - { provider: github, owner: contractor-co }\n" },
    ]);
    expect(loaded.config.sweeps?.map((s) => s.name)).toEqual(["sweep-github-acme", "sweep-github-contractor-co"]);
    expect(loaded.locate("/sweeps/1/owner")).toEqual({ file: "b.yaml", line: 3, column: 32 });
  });
});

describe("sweeps: bad inputs give exact FILE:LINE:COL messages", () => {
  test("the same owner twice (case-insensitively) names the first place", () => {
    expect(errorLines(withSweeps("  - { provider: github, owner: acme }\n  - { provider: github, owner: ACME, name: again }\n"))).toEqual([
      `a.yaml:${lines + 3}:32: sweeps[1] (ACME) sweeps github owner "ACME" again (first at a.yaml:${lines + 2}:32): declare each owner once and merge the exclude lists`,
    ]);
  });

  test("the same owner on the other provider is another sweep", () => {
    expect(() =>
      loadConfigTexts([
        { file: "a.yaml", text: withSweeps("  - { provider: github, owner: acme }\n  - { provider: bitbucket, owner: acme }\n") },
      ]),
    ).not.toThrow();
  });

  test("two sweeps with one name are refused", () => {
    expect(
      errorLines(withSweeps("  - { name: s, provider: github, owner: acme }\n  - { name: s, provider: github, owner: contractor-co }\n")),
    ).toEqual([
      `a.yaml:${lines + 3}:5: sweeps[1] (contractor-co) is named "s", as is sweeps[0] (acme) at a.yaml:${lines + 2}:5: sweep names must be unique (each is a resource name); set name on one of them`,
    ]);
  });

  test("an exclude glob that is not OWNER/NAME, or names another owner, is refused", () => {
    expect(errorLines(withSweeps("  - provider: github\n    owner: acme\n    exclude: [sandbox-*, other/x*, acme/ok-*]\n"))).toEqual([
      `a.yaml:${lines + 4}:15: sweeps[0] (acme): exclude[0] "sandbox-*" is not a repository glob: write OWNER/NAME with * for any run of name characters, e.g. "acme/sandbox-*"`,
      `a.yaml:${lines + 4}:26: sweeps[0] (acme): exclude[1] "other/x*" names owner "other", but this sweep covers "acme", so it would exclude nothing: write "acme/x*"`,
    ]);
  });

  test("an unknown key and a bad provider are schema errors located in the sweep", () => {
    const out = errorLines(withSweeps("  - { provider: gitlab, owner: acme, orgs: true }\n"));
    expect(out.every((line) => line.startsWith(`a.yaml:${lines + 2}:`))).toBe(true);
    expect(out.join("\n")).toContain("orgs");
    expect(out.join("\n")).toContain("gitlab");
  });

  test("a sweep of an unconfigured provider says how to configure it", () => {
    const text = "apiVersion: sourcelinks/v1\nbuildService: { kind: docker-hub }\nsweeps:\n  - { provider: bitbucket, owner: acme-team }\n";
    expect(errorLines(text)).toEqual([
      "a.yaml:4:17: sweeps[0] (acme-team) sweeps provider bitbucket, but providers.bitbucket is not configured: add providers: { bitbucket: {} } to one file (defaults: apiUrl https://api.bitbucket.org/2.0, usernameEnv BITBUCKET_EMAIL, tokenEnv BITBUCKET_API_TOKEN)",
    ]);
  });
});
