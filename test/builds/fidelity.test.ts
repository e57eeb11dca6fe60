/**
 * Docker's documented build-rule behaviour, asserted three ways that must agree: `builds tags`, the
 * rendered GitHub router step run as actions/github-script runs it, and the rendered Bitbucket gate
 * run with bash. The rule sets follow Docker Hub's "Automated builds" and "Advanced options" pages.
 */
import { describe, expect, it } from "vitest";
import {
  bitbucketVariables,
  gateCommand,
  printedTags,
  render,
  routerStepScript,
  runGate,
  runRouter,
  scratch,
  writeConfig,
  type GitHubEvent,
  type PrintedBuild,
} from "./builds-harness.js";

interface Case {
  title: string;
  /** The `rules:` list and, when not off, Autotest, as YAML. */
  rules: string;
  autotest?: "internal" | "external";
  event: GitHubEvent;
  expected: PrintedBuild[];
}

const root = { dockerfile: "Dockerfile", context: "." };

const CASES: Case[] = [
  {
    title: "a literal branch builds latest",
    rules: `- { sourceType: branch, source: master, tag: latest }`,
    event: { ref: "refs/heads/master" },
    expected: [{ rule: 1, tags: ["latest"], push: true, ...root }],
  },
  {
    title: "a tag regex with one group fills {\\1}",
    rules: `- { sourceType: tag, source: '/^v([0-9.]+)$/', tag: '{\\1}' }`,
    event: { ref: "refs/tags/v1.2.3" },
    expected: [{ rule: 1, tags: ["1.2.3"], push: true, ...root }],
  },
  {
    title: "the example of Docker's migration guide: tag v{\\1} from the regex ^v([0-9.]+)$",
    rules: [
      `- { sourceType: branch, source: main, tag: latest, dockerfile: Dockerfile, context: / }`,
      `- { sourceType: tag, source: '/^v([0-9.]+)$/', tag: 'v{\\1}', dockerfile: Dockerfile, context: / }`,
    ].join("\n"),
    event: { ref: "refs/tags/v1.2.3" },
    expected: [{ rule: 2, tags: ["v1.2.3"], push: true, ...root }],
  },
  {
    title: "a tag regex with two groups fills {\\1} and {\\2}, several tags separated by commas",
    rules: `- { sourceType: tag, source: '/^release-([0-9]+)\\.([0-9]+)$/', tag: 'v{\\1}.{\\2}, v{\\1}' }`,
    event: { ref: "refs/tags/release-2.4" },
    expected: [{ rule: 1, tags: ["v2.4", "v2"], push: true, ...root }],
  },
  {
    title: "{sourceref} is the whole branch name when the regex matches only a prefix",
    rules: `- { sourceType: branch, source: '/^feature-/', tag: '{sourceref}' }`,
    event: { ref: "refs/heads/feature-login-form" },
    expected: [{ rule: 1, tags: ["feature-login-form"], push: true, ...root }],
  },
  {
    title: "autobuild: false builds and tests but never pushes",
    rules: `- { sourceType: tag, source: '/^([0-9.]+)-rc[0-9]+$/', tag: '{\\1}-rc', autobuild: false }`,
    event: { ref: "refs/tags/3.1-rc2" },
    expected: [{ rule: 1, tags: ["3.1-rc"], push: false, ...root }],
  },
  {
    title: "the Dockerfile is relative to the context, and paths are printed from the repository root",
    rules: `- { sourceType: branch, source: main, tag: latest, dockerfile: Dockerfile.prod, context: /app/ }`,
    event: { ref: "refs/heads/main" },
    expected: [{ rule: 1, tags: ["latest"], push: true, dockerfile: "app/Dockerfile.prod", context: "app" }],
  },
  {
    title: "an empty context is the Dockerfile's folder, the Dockerfile then written from the root",
    rules: `- { sourceType: branch, source: main, tag: web, dockerfile: /docker/web/Dockerfile, context: '' }`,
    event: { ref: "refs/heads/main" },
    expected: [{ rule: 1, tags: ["web"], push: true, dockerfile: "docker/web/Dockerfile", context: "docker/web" }],
  },
  {
    title: "./ and / both mean the repository root",
    rules: `- { sourceType: branch, source: main, tag: latest, dockerfile: ./Dockerfile, context: ./ }`,
    event: { ref: "refs/heads/main" },
    expected: [{ rule: 1, tags: ["latest"], push: true, ...root }],
  },
  {
    title: "every matching rule builds, in rule order, and a tag rule ignores branches of the same name",
    rules: [
      `- { sourceType: branch, source: main, tag: latest }`,
      `- { sourceType: tag, source: main, tag: never }`,
      `- { sourceType: branch, source: '/^(ma)in$/', tag: '{\\1}-{sourceref}' }`,
    ].join("\n"),
    event: { ref: "refs/heads/main" },
    expected: [
      { rule: 1, tags: ["latest"], push: true, ...root },
      { rule: 3, tags: ["ma-main"], push: true, ...root },
    ],
  },
  {
    title: "a ref no rule matches builds nothing",
    rules: [`- { sourceType: branch, source: master, tag: latest }`, `- { sourceType: tag, source: '/^v([0-9.]+)$/', tag: '{\\1}' }`].join(
      "\n",
    ),
    event: { ref: "refs/heads/develop" },
    expected: [],
  },
  {
    title: "Autotest internal: a pull request into a rule's branch is built and tested, never pushed",
    rules: `- { sourceType: branch, source: master, tag: latest }`,
    autotest: "internal",
    event: { ref: "refs/pull/7/merge", pullRequest: { base: "master", fork: false } },
    expected: [{ rule: 1, tags: ["latest"], push: false, ...root }],
  },
];

/** A config with one build of acme/api from a repository on `provider`. */
function config(c: Case, provider: "github" | "bitbucket"): string {
  const rules = c.rules
    .split("\n")
    .map((line) => `      ${line}`)
    .join("\n");
  return [
    "apiVersion: sourcelinks/v1",
    "builds:",
    "  - image: acme/api",
    `    provider: ${provider}`,
    `    repository: ${provider === "github" ? "acme/api" : "acme-team/api"}`,
    ...(c.autotest === undefined ? [] : [`    autotest: ${c.autotest}`]),
    "    rules:",
    rules,
    "",
  ].join("\n");
}

/** The CLI arguments that describe a pull request event. */
function pullArgs(event: GitHubEvent): string[] {
  return "pullRequest" in event ? ["--base", event.pullRequest.base, ...(event.pullRequest.fork ? ["--fork"] : [])] : [];
}

describe("Docker's build rules agree through builds tags, the GitHub router step and the Bitbucket gate", () => {
  for (const c of CASES) {
    it(c.title, async () => {
      const dir = scratch();
      const github = writeConfig(dir, "github.yaml", config(c, "github"));
      const bitbucket = writeConfig(dir, "bitbucket.yaml", config(c, "bitbucket"));

      const printed = await printedTags(github, "acme/api", c.event.ref, pullArgs(c.event));
      expect(printed).toEqual({ image: "acme/api", ref: c.event.ref, builds: c.expected });

      const workflows = await render(github, `${dir}/out-github`);
      const workflow = workflows.get("github/acme/api/.github/workflows/docker-hub-acme-api.yml");
      expect(workflow).toBeDefined();
      const router = routerStepScript(workflow ?? "");
      expect(router.uses).toMatch(/^actions\/github-script@v\d+$/);
      expect(await runRouter(router.script, c.event)).toEqual(printed.builds);

      const pipelines = await render(bitbucket, `${dir}/out-bitbucket`);
      const file = pipelines.get("bitbucket/acme-team/api/bitbucket-pipelines.yml");
      expect(file).toBeDefined();
      expect(await runGate(gateCommand(file ?? ""), bitbucketVariables(c.event))).toEqual(printed.builds);
    });
  }

  it("Autotest: a fork's pull request builds only with external, and a pull request into an unlisted branch builds nothing", async () => {
    const dir = scratch();
    const base: Case = {
      title: "",
      rules: `- { sourceType: branch, source: master, tag: latest }`,
      event: { ref: "refs/heads/master" },
      expected: [],
    };
    const fork: GitHubEvent = { ref: "refs/pull/9/merge", pullRequest: { base: "master", fork: true } };
    const elsewhere: GitHubEvent = { ref: "refs/pull/9/merge", pullRequest: { base: "develop", fork: false } };
    const expectations: [Case["autotest"], GitHubEvent, PrintedBuild[]][] = [
      ["internal", fork, []],
      ["external", fork, [{ rule: 1, tags: ["latest"], push: false, ...root }]],
      ["external", elsewhere, []],
      [undefined, { ref: "refs/pull/9/merge", pullRequest: { base: "master", fork: false } }, []],
    ];
    for (const [i, [autotest, event, expected]] of expectations.entries()) {
      const path = writeConfig(dir, `github-${i}.yaml`, config({ ...base, ...(autotest === undefined ? {} : { autotest }) }, "github"));
      const printed = await printedTags(path, "acme/api", event.ref, pullArgs(event));
      expect(printed.builds).toEqual(expected);
      const workflow = [...(await render(path, `${dir}/out-${i}`)).values()][0] ?? "";
      expect(await runRouter(routerStepScript(workflow).script, event)).toEqual(expected);
    }
  });
});
