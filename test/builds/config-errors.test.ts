/**
 * A builds declaration Docker would refuse is refused at its line, with every problem listed, before
 * anything is rendered; so are CLI arguments that name no declared build or no full git ref.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli-harness.js";
import { scratch, writeConfig } from "./builds-harness.js";

/** A token-shaped value, made at run time so the source holds nothing that looks like a real token. */
const FAKE_TOKEN = `${"ghp"}_${"abcdefghijklmnopqrstuvwxyz0123456789"}`;

const BAD = `apiVersion: sourcelinks/v1
builds:
  - image: acme/api
    provider: github
    repository: acme/api
    rules:
      - { sourceType: tag, source: '/^v([0-9.]+$/', tag: latest }
      - { sourceType: tag, source: '/^v([0-9]+)\\.([0-9]+)$/', tag: '{\\1}.{\\2}.{\\3}' }
      - { sourceType: branch, source: main, tag: 'my tag' }
      - { sourceType: branch, source: main, tag: '{\\1}' }
      - { sourceType: branch, source: dev, tag: dev, dockerfile: ../Dockerfile }
    env: { NPM_TOKEN: ${FAKE_TOKEN} }
  - image: acme/api
    provider: github
    repository: ACME/api
    rules:
      - { sourceType: branch, source: main, tag: latest }
    registry: { login: oidc }
  - image: acme/mobile
    provider: bitbucket
    repository: acme-team/mobile
    rules:
      - { sourceType: branch, source: main, tag: latest }
    registry: { login: oidc }
`;

describe("a builds declaration Docker would refuse", () => {
  it("is refused at each problem's FILE:LINE:COL, with nothing rendered (exit 2)", async () => {
    const dir = scratch();
    const file = writeConfig(dir, "bad.yaml", BAD);
    const run = await runCli(["builds", "render", file, "--out", `${dir}/out`], {});
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split("\n");
    const at = (line: number): string[] => lines.filter((l) => l.startsWith(`${file}:${line}:`));
    expect(at(7)).toEqual([
      `${file}:7:36: builds[0] (acme/api): rules[0].source is not a valid regular expression (Invalid regular expression: /^v([0-9.]+$/: Unterminated group): fix it, or write a plain tag name without the slashes`,
    ]);
    expect(at(8)).toEqual([
      `${file}:8:68: builds[0] (acme/api): rules[1].tag "{\\1}.{\\2}.{\\3}" uses {\\3}, but the source's regular expression has 2 groups: use {\\1} … {\\2} or add a group`,
    ]);
    expect(at(9)[0]).toMatch(
      /^.*:9:50: builds\[0\] \(acme\/api\): rules\[2\]\.tag "my tag" is not a tag Docker accepts: it has the character " "/,
    );
    expect(at(10)[0]).toMatch(/:10:50: .*rules\[3\]\.tag "\{\\1\}" uses \{\\1\}, but the source is not a regular expression/);
    expect(at(11)[0]).toMatch(/:11:66: .*rules\[4\]\.dockerfile "\.\.\/Dockerfile" leaves the repository/);
    expect(at(12)[0]).toMatch(/:12:23: .*env\.NPM_TOKEN looks like a secret \(not shown\)/);
    expect(at(13)).toEqual([
      `${file}:13:12: builds[1] (acme/api) builds image acme/api from ACME/api again (first at ${file}:3:12): one build per image and repository; merge their rules into one entry`,
    ]);
    expect(at(24)[0]).toMatch(
      /:24:24: builds\[2\] \(acme\/mobile\): registry\.login is oidc, but Docker Hub's OIDC login is rendered for GitHub Actions only/,
    );
    expect(lines).toHaveLength(8);
    expect(run.stderr).not.toContain("ghp_");
    expect(existsSync(`${dir}/out`)).toBe(false);
  });

  it("is refused by validate too, where the rest of the configuration is judged", async () => {
    const dir = scratch();
    const file = writeConfig(
      dir,
      "bad.yaml",
      `apiVersion: sourcelinks/v1
buildService: { kind: docker-hub }
builds:
  - image: acme/api
    provider: github
    repository: acme/api
    rules:
      - { sourceType: tag, source: '/^(a)(b)$/', tag: 'v{\\3}' }
`,
    );
    const run = await runCli(["validate", file], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(
        `^${file}:8:55: builds\\[0\\] \\(acme/api\\): rules\\[0\\]\\.tag "v\\{\\\\3\\}" uses \\{\\\\3\\}, but the source's regular expression has 2 groups`,
      ),
    );
  });

  it("refuses organization secrets on Bitbucket, and a proposal branch git would refuse, at their lines", async () => {
    const dir = scratch();
    const file = writeConfig(
      dir,
      "bad.yaml",
      `apiVersion: sourcelinks/v1
builds:
  - image: acme/mobile
    provider: bitbucket
    repository: acme-team/mobile
    rules: [{ sourceType: branch, source: main, tag: latest }]
    secretScope: organization
  - image: acme/api
    provider: github
    repository: acme/api
    rules: [{ sourceType: branch, source: main, tag: latest }]
    proposal: { branch: "ci/../main" }
`,
    );
    const run = await runCli(["builds", "render", file, "--out", `${dir}/out`], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `${file}:7:18: builds[0] (acme/mobile): secretScope is organization, but organization secrets are GitHub's: on Bitbucket use secretScope: repository (secured repository variables)`,
    );
    expect(run.stderr).toMatch(new RegExp(`${file}:12:\\d+: .*proposal\\.branch`));
    expect(existsSync(`${dir}/out`)).toBe(false);
  });

  it("refuses a GitHub expression in a plain env value, at its line", async () => {
    const dir = scratch();
    const file = writeConfig(
      dir,
      "bad.yaml",
      `apiVersion: sourcelinks/v1
builds:
  - image: acme/api
    provider: github
    repository: acme/api
    rules: [{ sourceType: branch, source: main, tag: latest }]
    env:
      TOKEN: "\${{ secrets.GITHUB_TOKEN }}"
`,
    );
    const run = await runCli(["builds", "render", file, "--out", `${dir}/out`], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `${file}:8:14: builds[0] (acme/api): env.TOKEN holds "\${{", which GitHub Actions would evaluate as an expression: env values are plain; a secret goes under secrets\n`,
    );
  });

  it("refuses a verification branch no rule pushes from, at its line", async () => {
    const dir = scratch();
    const file = writeConfig(
      dir,
      "bad.yaml",
      `apiVersion: sourcelinks/v1
builds:
  - image: acme/web
    provider: github
    repository: acme/web
    rules:
      - { sourceType: branch, source: '/^release-/', tag: '{sourceref}' }
      - { sourceType: branch, source: main, tag: edge, autobuild: false }
    verify: { branch: main }
`,
    );
    const run = await runCli(["builds", "render", file, "--out", `${dir}/out`], {});
    expect(run.code).toBe(2);
    expect(existsSync(`${dir}/out`)).toBe(false);
    expect(run.stderr).toBe(
      `${file}:9:23: builds[0] (acme/web): verify.branch is "main", but no rule of acme/web pushes a tag for that branch, so no run there can verify it: name a branch a rule with autobuild pushes from\n`,
    );
    const fixed = writeConfig(dir, "good.yaml", readFileSync(file, "utf8").replace("branch: main }", "branch: release-2026.12 }"));
    expect((await runCli(["builds", "render", fixed, "--out", `${dir}/out`], {})).code).toBe(0);
  });

  it("a schema problem (an unknown key, a misspelt sourceType) is located like any other", async () => {
    const dir = scratch();
    const file = writeConfig(
      dir,
      "bad.yaml",
      `apiVersion: sourcelinks/v1
builds:
  - image: acme/api
    provider: github
    repository: acme/api
    rules:
      - { sourceType: branches, source: main, tag: latest, dockerFile: Dockerfile }
`,
    );
    const run = await runCli(["builds", "tags", file, "--image", "acme/api", "--ref", "refs/heads/main"], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}:7:23: builds[0] (acme/api): rules[0].sourceType must be branch or tag, not "branches"`);
    expect(run.stderr).toContain(`${file}:7:60: builds[0] (acme/api): rules[0] has unknown key "dockerFile": did you mean "dockerfile"?`);
  });
});

describe("builds tags refuses arguments it cannot answer (exit 2)", () => {
  const config = `apiVersion: sourcelinks/v1
builds:
  - image: acme/api
    provider: github
    repository: acme/api
    rules:
      - { sourceType: branch, source: main, tag: latest }
`;
  const cases: [string, string[], RegExp][] = [
    ["a ref that is not a full git ref", ["--image", "acme/api", "--ref", "main"], /is not a full git ref: write refs\/heads\/BRANCH/],
    ["a pull request without its base branch", ["--image", "acme/api", "--ref", "refs/pull/7/merge"], /--base BRANCH/],
    [
      "an image no build declares",
      ["--image", "acme/web", "--ref", "refs/heads/main"],
      /no build of image acme\/web is declared .*declared images: acme\/api/,
    ],
  ];
  for (const [title, args, message] of cases) {
    it(title, async () => {
      const file = writeConfig(scratch(), "ok.yaml", config);
      const run = await runCli(["builds", "tags", file, ...args], {});
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe("");
    });
  }

  it("documents both commands (--help exits 0 with examples)", async () => {
    for (const command of ["tags", "render"]) {
      const run = await runCli(["builds", command, "--help"], {});
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Usage: sourcelinks builds ${command}`);
      expect(run.stdout).toContain("Examples:");
    }
  });

  it("prints the rules a ref builds as text", async () => {
    const file = writeConfig(scratch(), "ok.yaml", config);
    const run = await runCli(["builds", "tags", file, "--image", "acme/api", "--ref", "refs/heads/main"], {});
    expect(run).toEqual({
      code: 0,
      stdout: "acme/api at refs/heads/main:\n  rule 1: latest (built, tested and pushed); Dockerfile Dockerfile, context .\n",
      stderr: "",
    });
  });
});
