/**
 * Text that comes from a server (a deploy key title, a webhook URL, an error body) reaches the
 * terminal, the pull-request comment and stderr as text, never as structure.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoSeedPath, startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { EXAMPLE, ensureBuilt, runCli } from "../support/cli-harness.js";

/** A title the build service's pattern (`Docker Hub Builder*`) matches: a terminal escape that clears the screen and retitles the window, a forged plan line, markdown and HTML. */
const TITLE =
  "Docker Hub Builder\u001b[2J\u001b]0;pwned\u0007\nNo changes: 0 resources.\n## No changes <details> ![x](https://e.example/x.png) [ok](https://e.example) | cell";
/** A webhook URL the Docker Hub pattern matches (`*` is one path segment): HTML and an image in the segment. */
const HOOK = "https://cloud.docker.com/api/build/v1/vcs/<details><summary>x![i](e.png)/trigger/call/";

let sandbox: SandboxHandle;
beforeAll(async () => {
  await ensureBuilt();
  const demo = readFileSync(demoSeedPath(), "utf8");
  const hostile = demo
    .replace(
      "      deployKeys:\n        - { title: Docker Hub Builder }",
      `      deployKeys:\n        - { title: ${JSON.stringify(TITLE)} }`,
    )
    .replace(
      "        - url: https://registry.hub.docker.com/hooks/github\n          events: [push]",
      `        - url: ${JSON.stringify(HOOK)}\n          events: [push]`,
    );
  expect(hostile).toContain("pwned");
  expect(hostile).toContain("<summary>");
  sandbox = await startSandbox({ seed: hostile });
}, 240_000);
afterAll(async () => {
  await sandbox.close();
});

const env = (): Record<string, string> => ({ ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" });

describe("remote text in plans", () => {
  it("text: control characters are visible escapes, and a title cannot add a line", async () => {
    const run = await runCli(["plan", EXAMPLE], env());
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("\u001b");
    expect(run.stdout).not.toContain("\u0007");
    expect(run.stdout).not.toMatch(/^No changes: 0 resources\.$/m);
    expect(run.stdout).toContain(
      '"Docker Hub Builder\\x1b[2J\\x1b]0;pwned\\x07\\x0aNo changes: 0 resources.\\x0a## No changes <details> ![x](https://e.example/x.png) [ok](https://e.example) | cell" on acme/legacy-api',
    );
    expect(run.stdout).toContain(`(${HOOK})`);
  });

  it("markdown: the title and the URL are escaped text, with no heading, image, link or HTML of their own", async () => {
    const run = await runCli(["plan", EXAMPLE, "--format", "markdown"], env());
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/^## No changes/m);
    expect(run.stdout).not.toContain("<details> ");
    expect(run.stdout).not.toContain("![x]");
    expect(run.stdout).not.toContain("<summary>x");
    expect(run.stdout).toContain(
      '"Docker Hub Builder\\\\x1b\\[2J\\\\x1b\\]0;pwned\\\\x07\\\\x0aNo changes: 0 resources.\\\\x0a\\#\\# No changes &lt;details&gt; \\!\\[x\\](https:/&#8203;/e.example/x.png) \\[ok\\](https:/&#8203;/e.example) &#124; cell" on acme/legacy-api',
    );
    expect(run.stdout).toContain(
      "(https:/&#8203;/cloud.docker.com/api/build/v1/vcs/&lt;details&gt;&lt;summary&gt;x\\!\\[i\\](e.png)/trigger/call/)",
    );
    // Every <details> the comment opens is the plan's own, and each is closed.
    expect(run.stdout.match(/<details>/g)?.length).toBe(run.stdout.match(/<\/details>/g)?.length);
  });

  it("json: the exact text the server sent", async () => {
    const run = await runCli(["plan", EXAMPLE, "--format", "json"], env());
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("\u001b");
    const plan = JSON.parse(run.stdout) as { resources: { steps: { kind: string; title?: string; url?: string }[] }[] };
    const steps = plan.resources.flatMap((r) => r.steps);
    expect(steps.filter((s) => s.kind === "delete-deploy-key").map((s) => s.title)).toContain(TITLE);
    expect(steps.filter((s) => s.kind === "delete-webhook").map((s) => s.url)).toContain(HOOK);
  });
});

describe("remote text in check reports", () => {
  it("text: the URL is one line; sarif: plain text", async () => {
    const text = await runCli(["check", EXAMPLE, "--live"], env());
    expect(text.stdout).not.toContain("\u001b");
    expect(text.stdout).toContain(HOOK);
    const sarif = await runCli(["check", EXAMPLE, "--live", "--format", "sarif"], env());
    const doc = JSON.parse(sarif.stdout) as { runs: { results: { message: { text: string } }[] }[] };
    const messages = doc.runs.flatMap((r) => r.results.map((x) => x.message.text));
    expect(messages.some((m) => m.includes(HOOK))).toBe(true);
  });

  it("markdown: the URL cannot open a <details> or an image", async () => {
    const run = await runCli(["check", EXAMPLE, "--live", "--format", "markdown"], env());
    expect(run.stdout).not.toContain("<summary>x");
    expect(run.stdout).not.toContain("![i]");
    expect(run.stdout).toContain("&lt;details&gt;&lt;summary&gt;x\\!\\[i\\](e.png)");
    expect(run.stdout.match(/<details>/g)?.length).toBe(run.stdout.match(/<\/details>/g)?.length);
  });
});

describe("remote text on stderr", () => {
  it("a server's error body cannot forge a FILE:LINE:COL line or send escape sequences", async () => {
    const { createServer } = await import("node:http");
    const body = JSON.stringify({ detail: `bad request\n${EXAMPLE}:1:1: all clear\u001b[2J` });
    const server = createServer((_req, res) => {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      const run = await runCli(["plan", EXAMPLE], { ...env(), SOURCELINKS_BUILD_API_URL: `http://127.0.0.1:${port}/api/build/v1` });
      expect(run.code).toBe(1);
      expect(run.stderr).not.toContain("\u001b");
      const lines = run.stderr.trimEnd().split("\n");
      expect(lines.filter((l) => l.startsWith(`${EXAMPLE}:1:1: all clear`))).toEqual([]);
      expect(lines.every((l) => !l.includes("all clear") || l.includes("bad request\\x0a"))).toBe(true);
      expect(run.stderr).toContain(`bad request\\x0a${EXAMPLE}:1:1: all clear\\x1b[2J`);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
