/**
 * The sandbox's CI decides what a run builds the way the real CI does: it executes the router the
 * rendered file carries. For a GitHub workflow, the `script` of the step `id: autobuild-rules`, run as
 * actions/github-script runs it (the body of an async function of `github, context, core, glob, io,
 * exec, require`) in a `node:vm` context with a fake `context` and `core`. For Bitbucket, the gate's
 * Node program, with the `BITBUCKET_*` variables Pipelines sets.
 */
import { createContext, Script } from "node:vm";
import { parse } from "yaml";

/** A push of one ref: what the router reads. */
export interface PushEvent {
  ref: string;
  sha: string;
  repository: string;
}

/** A build the router chose, as `builds tags --format json` prints it. */
export interface RoutedBuild {
  rule: number;
  tags: string[];
  push: boolean;
}

/** What a rendered GitHub workflow holds for the sandbox's CI: the router step's script and the image its jobs push. */
export interface WorkflowRouter {
  script: string;
  /** The `on.push` filters (`branches`, `tags`: exact names or `**`), or null when the workflow runs on every push. */
  pushFilters: { branches?: string[]; tags?: string[] } | null;
  /** `namespace/name` from the jobs' `DOCKER_REPO` (`index.docker.io/namespace/name`). */
  image: string;
}

/** The router and image of a workflow's YAML text, or null when it is not a rendered replacement workflow. */
export function workflowRouter(text: string): WorkflowRouter | null {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return null;
  }
  const jobs = (
    doc as { jobs?: Record<string, { env?: Record<string, unknown>; steps?: { id?: unknown; with?: { script?: unknown } }[] }> }
  )?.jobs;
  if (typeof jobs !== "object" || jobs === null) return null;
  let script: string | null = null;
  let image: string | null = null;
  for (const job of Object.values(jobs)) {
    for (const step of job.steps ?? [])
      if (step.id === "autobuild-rules" && typeof step.with?.script === "string") script = step.with.script;
    const repo = job.env?.["DOCKER_REPO"];
    if (typeof repo === "string") image = repo.split("/").slice(-2).join("/");
  }
  const push = (doc as { on?: { push?: { branches?: unknown; tags?: unknown } | null } }).on?.push;
  const list = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.map(String) : undefined);
  const pushFilters =
    push === undefined || push === null
      ? null
      : {
          ...(list(push.branches) === undefined ? {} : { branches: list(push.branches)! }),
          ...(list(push.tags) === undefined ? {} : { tags: list(push.tags)! }),
        };
  return script === null || image === null ? null : { script, pushFilters, image };
}

/**
 * Runs the router step's script on a push as github-script would, and answers the `builds` output it
 * set. The rendered script awaits nothing, so its output is set before the call returns; a script
 * that sets none (it threw) answers null, a failed step.
 */
export function runRouterScript(script: string, event: PushEvent): RoutedBuild[] | null {
  const outputs = new Map<string, string>();
  const core = {
    setOutput: (name: string, value: unknown) => outputs.set(name, String(value)),
    info: () => undefined,
    warning: () => undefined,
    setFailed: () => outputs.delete("builds"),
  };
  const context = {
    eventName: "push",
    ref: event.ref,
    sha: event.sha,
    payload: { ref: event.ref, after: event.sha, repository: { full_name: event.repository } },
    repo: { owner: event.repository.split("/")[0], repo: event.repository.split("/")[1] },
  };
  const body = new Script(`(async function (github, context, core, glob, io, exec, require) {\n${script}\n})`, {
    filename: "autobuild-rules.js",
  });
  const fn = body.runInContext(createContext({}), { timeout: 1000 }) as (...args: unknown[]) => Promise<unknown>;
  // A rejection is the step failing: the missing output says so.
  fn(undefined, context, core, undefined, undefined, undefined, undefined).catch(() => outputs.delete("builds"));
  const builds = outputs.get("builds");
  return builds === undefined ? null : (JSON.parse(builds) as RoutedBuild[]);
}

/** Runs a Bitbucket gate's Node program (between its heredoc markers) with Pipelines' variables for a push. */
export function runBitbucketGate(program: string, event: PushEvent): RoutedBuild[] {
  const tag = event.ref.startsWith("refs/tags/") ? event.ref.slice("refs/tags/".length) : undefined;
  const branch = event.ref.startsWith("refs/heads/") ? event.ref.slice("refs/heads/".length) : undefined;
  let written = "";
  const sandboxed = {
    process: {
      env: { ...(tag === undefined ? {} : { BITBUCKET_TAG: tag }), ...(branch === undefined ? {} : { BITBUCKET_BRANCH: branch }) },
      stdout: { write: (text: string) => (written += text) },
    },
  };
  new Script(program, { filename: "bitbucket-gate.js" }).runInContext(createContext(sandboxed), { timeout: 1000 });
  return JSON.parse(written === "" ? "[]" : written) as RoutedBuild[];
}
