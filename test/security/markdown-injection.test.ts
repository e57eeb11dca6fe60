/**
 * Repository data in pull-request comments: deploy key titles, webhook URLs and repository names a
 * hostile repository admin chose reach `plan`, `check` and `report --format markdown`. Rendered by a
 * CommonMark renderer, no link, image, HTML element, mention, reference or bare URL in any of them
 * comes from that data (the only links are the manual steps' own), and the data still reads as
 * written: a backtick run in a title stays inside its code span.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoSeedPath, startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { EXAMPLE, runCli } from "../support/cli-harness.js";
import { auditMarkdown, type MarkdownAudit } from "../support/markdown-audit.js";

/** A deploy key another live link keeps (a "Kept" line of the plan): a link, a tracking image and a team mention. */
const KEPT_TITLE = "Docker Hub Builder [Approve this PR](https://evil.example/a) ![pixel](https://evil.example/p.png) @acme/owners";
/** A leftover deploy key: backtick runs, raw HTML, a mention, a bare domain, an e-mail, a reference, math and a link definition. */
const LEFT_TITLE =
  "Docker Hub Builder ``` `` `x` <details><summary>open</summary> @octocat www.evil.example/w mail@evil.example #1 $x$ [a]: https://evil.example/ref";
/** A leftover webhook whose one free path segment holds HTML, a link and a mention. */
const HOOK = "https://cloud.docker.com/api/build/v1/vcs/<img src=x>[go](https:evil.example)@acme-owners`x`/trigger/call/";
/** A repository (a valid GitHub name) that only the sweep finds, with the build service's webhook on it. */
const REPO = "acme/www.evil.example";

/** The tags the formats write themselves. */
const OWN_TAGS = new Set(["<details>", "</details>", "<summary>", "</summary>", "<sub>", "</sub>"]);
/** The hosts of the manual steps' links. */
const OWN_HOSTS = new Set(["github.com", "bitbucket.org", "hub.docker.com"]);

let sandbox: SandboxHandle;
const env = (): Record<string, string> => ({ ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" });

beforeAll(async () => {
  const demo = readFileSync(demoSeedPath(), "utf8");
  const hostile = demo
    .replace("        - { title: Docker Hub Builder (acme/ci) }", `        - { title: ${JSON.stringify(KEPT_TITLE)} }`)
    .replace(
      "      deployKeys:\n        - { title: Docker Hub Builder }",
      `      deployKeys:\n        - { title: ${JSON.stringify(LEFT_TITLE)} }`,
    )
    .replace("https://cloud.docker.com/api/build/v1/vcs/a3b5c7d9-1e2f-4a6b-8c0d-e1f2a3b4c5d6/trigger/call/", HOOK)
    .replace(
      "    # An org that denies the app",
      `    - name: ${REPO}\n      hooks:\n        - url: https://cloud.docker.com/api/build/v1/vcs/0a0b0c0d/trigger/call/\n          events: [push]\n    # An org that denies the app`,
    );
  for (const text of [KEPT_TITLE, LEFT_TITLE, REPO]) expect(hostile).toContain(JSON.stringify(text).slice(1, -1));
  expect(hostile).toContain(HOOK);
  sandbox = await startSandbox({ seed: hostile });
}, 120_000);
afterAll(async () => {
  await sandbox?.close();
});

/** Asserts that nothing in the rendered comment acts, except the formats' own tags and manual-step links. */
function expectInert(audit: MarkdownAudit): void {
  expect(audit.images).toEqual([]);
  expect(audit.tags.filter((t) => !OWN_TAGS.has(t))).toEqual([]);
  expect(audit.links.filter((href) => !URL.canParse(href) || !OWN_HOSTS.has(new URL(href).hostname))).toEqual([]);
  expect(audit.linkable).toEqual([]);
  // Every <details> the comment opens is its own, and each is closed.
  expect(audit.tags.filter((t) => t === "<details>").length).toBe(audit.tags.filter((t) => t === "</details>").length);
}

describe("repository data in markdown comments", () => {
  it("plan: the Kept line and the steps show the titles and URLs as text, and nothing of theirs links, loads, renders or pings", async () => {
    const run = await runCli(["plan", EXAMPLE, "--format", "markdown"], env());
    expect(run.code, run.stderr).toBe(0);
    const audit = auditMarkdown(run.stdout);
    expectInert(audit);
    expect(audit.visible).toContain(`keep deploy key 1007 "${KEPT_TITLE}" on acme/api`);
    expect(audit.visible).toContain(`"${LEFT_TITLE}" on acme/legacy-api`);
    expect(audit.visible).toContain(`on acme/legacy-web (${HOOK})`);
    expect(audit.visible).toContain(`on ${REPO} (`);
  });

  it("check: violations name the titles, URLs and repository as text only", async () => {
    const run = await runCli(["check", EXAMPLE, "--live", "--format", "markdown"], env());
    expect(run.code, run.stderr).toBe(3);
    const audit = auditMarkdown(run.stdout);
    expectInert(audit);
    expect(audit.visible).toContain(`("${LEFT_TITLE}")`);
    expect(audit.visible).toContain(`(${HOOK})`);
    expect(audit.visible).toContain(REPO);
  });

  it("report: a title with backticks stays inside its code span, and its <details> does not render", async () => {
    const run = await runCli(["report", EXAMPLE, "--format", "markdown", "--as-of", "2026-12-01"], env());
    expect(run.code, run.stderr).toBe(0);
    const audit = auditMarkdown(run.stdout);
    expectInert(audit);
    expect(audit.codeSpans).toContain(LEFT_TITLE);
    expect(audit.codeSpans).toContain(HOOK);
    expect(audit.codeSpans).toContain(REPO);
  });
});
