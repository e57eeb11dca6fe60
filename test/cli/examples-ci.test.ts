/**
 * The CI examples are fixtures too: each workflow passes GitHub's own parser, has least permissions, a
 * concurrency group, Node 24 and current major versions of its actions, and the `sourcelinks` commands of
 * its shell steps run against the sandbox in the order the workflows run them (plan saved in the PR
 * workflow, applied on merge).
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { parseExampleWorkflow, type ParsedWorkflow, shellCommands, sourcelinksCommands, stepsOf, type Workflow } from "./ci-workflows.js";
import { EXAMPLE, ROOT, ensureBuilt, runCli } from "../support/cli-harness.js";

const NAMES = readdirSync(join(ROOT, "examples/ci")).filter((f) => f.endsWith(".yml"));
const parsed = new Map<string, ParsedWorkflow>();

beforeAll(async () => {
  for (const name of NAMES) parsed.set(name, await parseExampleWorkflow(name));
});

/** The parsed document of examples/ci/NAME. */
function workflow(name: string): Workflow {
  const found = parsed.get(name);
  if (found === undefined) throw new Error(`no examples/ci/${name}`);
  return found.workflow;
}

/** The current major version of each action the examples use. */
const CURRENT: Record<string, number> = {
  "actions/checkout": 7,
  "actions/setup-node": 7,
  "actions/upload-artifact": 7,
  "actions/download-artifact": 8,
  "github/codeql-action/upload-sarif": 4,
  "pulumi/actions": 7,
};

/** The environment variable names the demo configuration gives for Bitbucket's credentials. */
const BITBUCKET_ENV = (() => {
  const config = parse(readFileSync(EXAMPLE, "utf8")) as { providers: { bitbucket: { usernameEnv: string; tokenEnv: string } } };
  return [config.providers.bitbucket.usernameEnv, config.providers.bitbucket.tokenEnv];
})();

describe.each(["pulumi-preview.yml", "sourcelinks-apply.yml", "sourcelinks-pr.yml", "sourcelinks-sharded.yml"])(
  "examples/ci/%s",
  (name) => {
    it("is every workflow of examples/ci, and GitHub's workflow parser finds no error in it", () => {
      expect(NAMES).toContain(name);
      expect(parsed.get(name)?.errors).toEqual([]);
    });

    it("reads contents only at the top, has a concurrency group, and runs Node 24 with current major versions of its actions", () => {
      const w = workflow(name);
      expect(w.permissions).toEqual({ contents: "read" });
      // A literal group, or one built with format(): `${{ format('sourcelinks-pr-{0}', …) }}`.
      expect(w.concurrency?.group).toMatch(/(^|')(sourcelinks|pulumi)-/);
      const uses = stepsOf(w).filter((s) => s.uses !== undefined);
      expect(uses.length).toBeGreaterThan(0);
      for (const step of uses) {
        const [action = "", version] = (step.uses as string).split("@");
        expect(CURRENT[action], step.uses).toBeDefined();
        expect(version, step.uses).toBe(`v${CURRENT[action]}`);
        if (action === "actions/setup-node") expect(step.with?.["node-version"], name).toBe("24");
      }
    });

    it("installs nothing by piping a download into a shell, and runs sourcelinks from the project's own install", () => {
      const runs = stepsOf(workflow(name)).map((s) => s.run ?? "");
      expect(runs.filter((r) => /\b(curl|wget)\b[^\n]*\|\s*(ba|z)?sh\b/.test(r))).toEqual([]);
      expect(runs.filter((r) => /(^|\s)(npx|npm exec)\s+(?!--no-install\s)[^\n]*sourcelinks/.test(r))).toEqual([]);
    });

    it("passes Bitbucket's credentials under the names the configuration gives", () => {
      const w = workflow(name);
      const envNames = [w, ...Object.values(w.jobs)].flatMap((scope) => Object.keys((scope as { env?: object }).env ?? {}));
      const bitbucket = envNames.filter((n) => n.startsWith("BITBUCKET_"));
      expect(bitbucket.filter((n) => !BITBUCKET_ENV.includes(n))).toEqual([]);
    });
  },
);

describe.each(["sourcelinks-pr.yml", "sourcelinks-apply.yml"])("examples/ci/%s", (name) => {
  it("builds right after npm ci", () => {
    for (const job of Object.values(workflow(name).jobs)) {
      const runs = job.steps.map((s) => s.run ?? "");
      expect(runs.indexOf("npm run build --if-present")).toBe(runs.indexOf("npm ci") + 1);
    }
  });
});

describe("the workflows' commands against the sandbox", () => {
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    await ensureBuilt();
    sandbox = await startSandbox({});
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it("PR: validate, check --live (SARIF), plan --out; on merge: apply --plan converges", async () => {
    const pr = sourcelinksCommands(workflow("sourcelinks-pr.yml"));
    const apply = sourcelinksCommands(workflow("sourcelinks-apply.yml"));
    expect(pr.map((c) => c[0])).toEqual(["validate", "check", "plan"]);
    expect(apply).toEqual([["apply", "--plan", "sourcelinks.plan.json", "--yes"]]);
    const cwd = mkdtempSync(join(tmpdir(), "sourcelinks-ci-"));
    const env = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off", PATH: process.env.PATH ?? "" };
    const expected: Record<string, number[]> = { validate: [0], check: [3], plan: [4] };
    for (const command of pr) {
      const run = await runCli(
        command.map((a) => (a === "sourcelinks/*.yaml" ? EXAMPLE : a)),
        env,
        { cwd },
      );
      expect(expected[command[0] as string], `${command.join(" ")}: ${run.stderr}`).toContain(run.code);
    }
    const applied = await runCli(apply[0] as string[], env, { cwd });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain("Apply complete: 12 requests sent.");
  });
});

describe("reading a step's shell script", () => {
  it("takes commands and arguments from the script, never from its comments, quotes or redirections", () => {
    const script = [
      "# pulumi preview --policy-pack policies",
      'pulumi preview --stack "$PULUMI_STACK" --diff # --policy-pack policies',
      "set +e; npx --no-install sourcelinks check a.yaml \\",
      "  --live > out.sarif && echo 'done; # not a comment'",
    ].join("\n");
    expect(shellCommands(script)).toEqual([
      ["pulumi", "preview", "--stack", "$PULUMI_STACK", "--diff"],
      ["set", "+e"],
      ["npx", "--no-install", "sourcelinks", "check", "a.yaml", "--live"],
      ["echo", "done; # not a comment"],
    ]);
  });
});

describe("examples/ci/pulumi-preview.yml", () => {
  it("installs the Pulumi CLI with pulumi/actions, builds, then previews with the policy pack and a refresh", () => {
    const steps = stepsOf(workflow("pulumi-preview.yml"));
    const at = (test: (s: (typeof steps)[number]) => boolean): number => steps.findIndex(test);
    const ci = at((s) => s.run === "npm ci");
    const build = at((s) => s.run === "npm run build");
    const cli = at((s) => s.uses?.startsWith("pulumi/actions@") === true);
    const previewOf = (s: (typeof steps)[number]): string[] | undefined =>
      shellCommands(s.run ?? "").find((argv) => argv[0] === "pulumi" && argv[1] === "preview");
    const preview = at((s) => previewOf(s) !== undefined);
    expect([ci, build, cli, preview].every((i) => i >= 0)).toBe(true);
    expect(ci).toBeLessThan(build);
    expect(Math.max(build, cli)).toBeLessThan(preview);
    // Installing only: with a `command` the action would run one itself, without the pack.
    expect(steps[cli]?.with?.command).toBeUndefined();
    const argv = previewOf(steps[preview] as (typeof steps)[number]) ?? [];
    expect(argv.indexOf("--policy-pack")).toBeGreaterThan(1);
    expect(argv[argv.indexOf("--policy-pack") + 1]).toBe("policies");
    expect(argv).toContain("--refresh");
    expect(argv).toContain("--non-interactive");
  });
});
