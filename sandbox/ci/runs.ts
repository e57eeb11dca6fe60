/**
 * The sandbox's CI: a push or a merge to a branch (or a tag) of a repository that holds a rendered
 * replacement file starts a run of it. The run executes the file's router (router-step.ts) to decide
 * what it builds, then "pushes" those tags to the sandbox's Docker Hub a second after its start, or
 * fails without pushing when the world lists the repository in `failingBuilds`.
 */
import { parse } from "yaml";
import type { SandboxClock } from "../clock.js";
import { pushTags } from "../docker-hub/registry.js";
import type { CiRunState, World } from "../world.js";
import { runBitbucketGate, runRouterScript, workflowRouter, type PushEvent, type RoutedBuild } from "./router-step.js";

/** Where rendered GitHub workflows live, and the name `builds render` gives them. */
const WORKFLOW = /^\.github\/workflows\/docker-hub-[^/]+\.ya?ml$/;

/** The Bitbucket gate's heredoc marker (engine/builds/router.ts). */
const GATE_MARKER = "SOURCELINKS_AUTOBUILD_RULES";

/** Whether a push of `ref` triggers a workflow whose `on.push` filters are `filters` (null: every ref). */
function triggers(filters: { branches?: string[]; tags?: string[] } | null, ref: string): boolean {
  if (filters === null) return true;
  const [list, name] = ref.startsWith("refs/tags/") ? [filters.tags, ref.slice(10)] : [filters.branches, ref.slice(11)];
  if (list === undefined) return filters.branches === undefined && filters.tags === undefined;
  return list.includes("**") || list.includes(name);
}

/** A push to run CI on: the repository, the ref, the commit, and the files the commit holds. */
export interface CiPush {
  provider: "github" | "bitbucket";
  repository: string;
  ref: string;
  sha: string;
  /** The commit's files by path (only the CI files are read). */
  files: ReadonlyMap<string, string>;
}

/** Runs the replacement CI files of a push; answers the runs recorded (none when the commit holds no rendered file). */
export function runCi(world: World, clock: SandboxClock, push: CiPush): CiRunState[] {
  const event: PushEvent = { ref: push.ref, sha: push.sha, repository: push.repository };
  const runs: CiRunState[] = [];
  if (push.provider === "github") {
    for (const [path, text] of [...push.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (!WORKFLOW.test(path)) continue;
      const router = workflowRouter(text);
      if (router === null || !triggers(router.pushFilters, event.ref)) continue;
      const builds = runRouterScript(router.script, event);
      runs.push(record(world, clock, push, path, builds === null ? null : [{ image: router.image, builds }]));
    }
    world.github.workflowRuns = [...(world.github.workflowRuns ?? []), ...runs];
  } else {
    const text = push.files.get("bitbucket-pipelines.yml");
    if (text !== undefined) {
      const steps = gateSteps(text).map((step) => ({ image: step.image, builds: runBitbucketGate(step.program, event) }));
      if (steps.length > 0) runs.push(record(world, clock, push, "bitbucket-pipelines.yml", steps));
    }
    world.bitbucket.pipelines = [...(world.bitbucket.pipelines ?? []), ...runs];
  }
  return runs;
}

/** One run: started now, finished a second later, pushing what the router chose unless the world makes it fail. */
function record(
  world: World,
  clock: SandboxClock,
  push: CiPush,
  path: string,
  routed: { image: string; builds: RoutedBuild[] }[] | null,
): CiRunState {
  const started = clock.now();
  const finishedAt = new Date(started + 1000).toISOString();
  // A router that set no output failed its step, and the run with it.
  const failing = routed === null || (world.failingBuilds ?? []).includes(push.repository);
  const images = routed ?? [];
  const pushed: string[] = [];
  if (!failing) {
    for (const { image, builds } of images) {
      const tags = [...new Set(builds.filter((b) => b.push).flatMap((b) => b.tags))];
      if (tags.length === 0) continue;
      pushTags(world, image, tags, finishedAt);
      pushed.push(...tags.map((t) => `${image}:${t}`));
    }
  }
  const tag = push.ref.startsWith("refs/tags/");
  return {
    id: world.nextId++,
    repository: push.repository,
    path,
    refName: push.ref.replace(/^refs\/(heads|tags)\//, ""),
    refType: tag ? "tag" : "branch",
    headSha: push.sha,
    event: "push",
    status: "completed",
    conclusion: failing ? "failure" : "success",
    startedAt: new Date(started).toISOString(),
    finishedAt,
    builds: images.flatMap((i) => i.builds),
    pushed,
  };
}

/** Each step of a rendered bitbucket-pipelines.yml: its gate's Node program and the image it pushes (a step listed under several sections counts once). */
function gateSteps(text: string): { program: string; image: string }[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return [];
  }
  const pipelines = (doc as { pipelines?: Record<string, unknown> } | null)?.pipelines ?? {};
  const found = new Map<string, string>();
  const gate = new RegExp(`<<'${GATE_MARKER}'\n([\\s\\S]*?)\n${GATE_MARKER}(\n|$)`);
  for (const section of Object.values(pipelines)) {
    const lists = Array.isArray(section) ? [section] : typeof section === "object" && section !== null ? Object.values(section) : [];
    for (const list of lists) {
      for (const entry of Array.isArray(list) ? list : []) {
        const script = (entry as { step?: { script?: unknown } }).step?.script;
        const lines = Array.isArray(script) ? script.filter((l): l is string => typeof l === "string").join("\n") : "";
        const program = gate.exec(lines)?.[1];
        const image = /export DOCKER_REPO='?[^'\s/]+\/([^'\s]+?)'?(\s|$)/.exec(lines)?.[1];
        if (program !== undefined && image !== undefined && !found.has(image)) found.set(image, program);
      }
    }
  }
  return [...found].map(([image, program]) => ({ image, program }));
}
