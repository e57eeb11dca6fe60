/**
 * Runs what `builds render` writes the way CI runs it: the router step's script as actions/github-script
 * runs it (the body of an async function of github, context, core, glob, io, exec, require), and the
 * Bitbucket gate with bash in a child process, with Bitbucket's variables as its environment.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { parse } from "yaml";
import { runCli } from "../support/cli-harness.js";

/** One build as `builds tags --format json` prints it. */
export interface PrintedBuild {
  rule: number;
  tags: string[];
  push: boolean;
  dockerfile: string;
  context: string;
}

/** A fresh folder for one test's files. */
export function scratch(): string {
  return mkdtempSync(join(tmpdir(), "sourcelinks-builds-"));
}

/** Writes a config file into `dir` and returns its path. */
export function writeConfig(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text, "utf8");
  return path;
}

/** Every file under `dir`, by `/`-separated relative path, with its text. */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path).split(sep).join("/"), readFileSync(path, "utf8"));
    }
  };
  walk(dir);
  return files;
}

/** `builds render FILE --out DIR` in process; fails the test on a non-zero exit. */
export async function render(config: string, out: string): Promise<Map<string, string>> {
  const run = await runCli(["builds", "render", config, "--out", out], {});
  if (run.code !== 0) throw new Error(`builds render exited ${run.code}: ${run.stderr}`);
  return readTree(out);
}

/** `builds tags --format json` in process: the printed answer. */
export async function printedTags(
  config: string,
  image: string,
  ref: string,
  extra: string[] = [],
): Promise<{ image: string; ref: string; builds: PrintedBuild[] }> {
  const run = await runCli(["builds", "tags", config, "--image", image, "--ref", ref, "--format", "json", ...extra], {});
  if (run.code !== 0) throw new Error(`builds tags exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as { image: string; ref: string; builds: PrintedBuild[] };
}

/** The `script` of the step `id: autobuild-rules` in a rendered workflow. */
export function routerStepScript(workflowText: string): { uses: string; script: string } {
  const workflow = parse(workflowText) as {
    jobs: Record<string, { steps?: { id?: string; uses?: string; with?: { script?: string } }[] }>;
  };
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps ?? []);
  const routers = steps.filter((s) => s.id === "autobuild-rules");
  const router = routers[0];
  if (routers.length !== 1 || router?.uses === undefined || router.with?.script === undefined)
    throw new Error("the workflow has no single autobuild-rules step with a script");
  return { uses: router.uses, script: router.with.script };
}

/** The GitHub event a router sees: a push of `ref`, or a pull request into `base`. */
export type GitHubEvent = { ref: string } | { ref: string; pullRequest: { base: string; fork: boolean } };

type AsyncScript = (...args: unknown[]) => Promise<unknown>;
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => AsyncScript;

/** Runs a router script as github-script does and returns its `builds` output, parsed. */
export async function runRouter(script: string, event: GitHubEvent): Promise<unknown> {
  const context =
    "pullRequest" in event
      ? {
          ref: event.ref,
          eventName: "pull_request",
          payload: {
            pull_request: {
              base: { ref: event.pullRequest.base, repo: { full_name: "acme/api" } },
              head: { ref: "topic", repo: { full_name: event.pullRequest.fork ? "someone/api" : "acme/api" } },
            },
          },
        }
      : { ref: event.ref, eventName: "push", payload: { ref: event.ref } };
  const outputs = new Map<string, string>();
  const core = { setOutput: (name: string, value: string) => void outputs.set(name, value) };
  const fn = new AsyncFunction("github", "context", "core", "glob", "io", "exec", "require", script);
  await fn({}, context, core, {}, {}, {}, createRequire(import.meta.url));
  const builds = outputs.get("builds");
  if (builds === undefined) throw new Error("the router set no builds output");
  return JSON.parse(builds);
}

/** The gate command of a rendered `bitbucket-pipelines.yml` (the script line that sets SOURCELINKS_BUILDS), of the step named `step` when given. */
export function gateCommand(pipelinesText: string, step?: string): string {
  const file = parse(pipelinesText) as { pipelines: Record<string, Record<string, { step: { name: string; script: string[] } }[]>> };
  const scripts = Object.values(file.pipelines)
    .flatMap((section) => Object.values(section))
    .flatMap((steps) => steps.filter((s) => step === undefined || s.step.name === step).map((s) => s.step.script));
  const gates = new Set(scripts.flatMap((script) => script.filter((line) => line.includes('SOURCELINKS_BUILDS="$(node'))));
  const gate = [...gates][0];
  if (gates.size !== 1 || gate === undefined) throw new Error(`expected one gate command in the pipelines file, found ${gates.size}`);
  return gate;
}

/** Runs the gate with bash and Bitbucket's variables; returns SOURCELINKS_BUILDS, parsed. */
export function runGate(gate: string, variables: Record<string, string>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const env = { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, ...variables };
    const child = spawn("bash", ["-c", `set -eu\n${gate}\nprintf '%s' "$SOURCELINKS_BUILDS"`], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`the gate exited ${code}: ${stderr}`));
      else {
        try {
          resolve(JSON.parse(stdout));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      }
    });
  });
}

/** Bitbucket's variables for a ref. */
export function bitbucketVariables(event: GitHubEvent): Record<string, string> {
  if ("pullRequest" in event)
    return { BITBUCKET_BRANCH: "topic", BITBUCKET_PR_ID: "7", BITBUCKET_PR_DESTINATION_BRANCH: event.pullRequest.base };
  if (event.ref.startsWith("refs/tags/")) return { BITBUCKET_TAG: event.ref.slice("refs/tags/".length) };
  return { BITBUCKET_BRANCH: event.ref.slice("refs/heads/".length) };
}
